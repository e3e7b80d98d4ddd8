import { BriefingCase, BriefingData, briefingCard, venueReminderCard } from '../../src/roster/briefing-cards';
import type { SessionView } from '../../src/roster/session-view';

/** A session on Friday 9 October 2026 at 阳城镇综治中心, received by 黎嘉禾 and 林启航. */
function session(over: Partial<SessionView> = {}): SessionView {
  return {
    id: 21, uid: 'u21@xinfang', date: '2026-10-09', slot: '上午', startTime: '08:30', endTime: '12:00', type: '下访',
    venueId: 'zz-yangcheng', venueName: '阳城镇综治中心', venueKind: 'town', venueTown: '阳城镇', venueAddress: '阳城镇政府大院',
    accompanyUnits: ['阳城镇人民政府', '县自然资源局'], focus: '宅基地确权', capacity: null, status: 'planned', sequence: 0, outcome: null,
    planYear: 2026, ruleId: null, note: null,
    leaders: [
      { id: 'yc1', name: '黎嘉禾', title: '阳城镇党委书记', level: 'town', substituteFor: null },
      { id: 'cty1', name: '林启航', title: '县委书记', level: 'county', substituteFor: null },
    ],
    createdAt: '2026-01-01 00:00:00', updatedAt: '2026-01-01 00:00:00', ...over,
  };
}

function aCase(over: Partial<BriefingCase> = {}): BriefingCase {
  return {
    caseNo: '2026-000101', name: '王建华', town: '阳城镇', category: '自然资源', status: 'handling',
    content: '反映宅基地确权问题，联系电话13812345678。', nextDue: '2026-10-20', ...over,
  };
}

function data(over: Partial<BriefingData> = {}): BriefingData {
  return {
    session: session(), today: '2026-10-08', leaderName: '黎嘉禾', scope: '阳城镇',
    counts: { open: 9, overdue: 1, supervised: 0 }, overdue: [], supervised: [], repeat: [], owned: [], lastSession: null, ...over,
  };
}

type Card = Record<string, any>;

/** Masked digits as the card's markdown carries them: each * escaped, so Lark shows it as a star. */
const stars = (s: string) => s.replace(/\*/g, '\\*');

/** The markdown and field texts of a card's body, in order. */
function textOf(c: Card): string {
  return (c.body.elements as Array<{ tag: string; content?: string }>).filter((e) => e.tag === 'markdown').map((e) => e.content).join('\n');
}

describe('the briefing card (接访提示)', () => {
  test('a session whose year has no holiday data says it is 暂定, on the leader\'s card and the venue\'s; a known year says nothing', () => {
    expect(textOf(briefingCard(data({ provisional: true })))).toContain('〔暂定〕该年节假日安排尚未导入');
    expect(textOf(venueReminderCard(session({ date: '2027-03-05' }), true))).toContain('〔暂定〕');
    expect(textOf(briefingCard(data()))).not.toContain('暂定');
    expect(textOf(venueReminderCard(session()))).not.toContain('暂定');
  });

  test('the header: day as 2026年10月9日（周五）, slot, the leader it is for', () => {
    const c: Card = briefingCard(data());
    expect(c.header).toEqual({
      title: { tag: 'plain_text', content: '接访提示：2026年10月9日（周五）上午' },
      subtitle: { tag: 'plain_text', content: '黎嘉禾，请提前做好准备' },
      template: 'turquoise',
    });
  });

  test('time, venue with its address, type, the other leaders with their posts, accompanying units, focus, the scope', () => {
    const text = textOf(briefingCard(data()));
    expect(text).toContain(
      '**时间**：2026年10月9日（周五）上午 08:30—12:00\n**地点**：阳城镇综治中心（阳城镇政府大院）\n**类型**：下访\n' +
        '**同场领导**：林启航（县委书记）\n**陪同单位**：阳城镇人民政府、县自然资源局\n**接访重点**：宅基地确权',
    );
    expect(text).toContain('**阳城镇信访概况**：在办 9 件，逾期 1 件，挂牌督办 0 件');
    expect(text).toContain('**上次在此接访**：此前没有在此地点接访的记录');
  });

  test('case lines: status, deadline or how it is overdue, and the gist with ID and phone numbers masked', () => {
    const overdue = aCase({ caseNo: '2026-000102', overdueKind: 'conclusion', nextDue: '2026-10-01', content: '身份证 441823198001011234 反映土地被占' });
    const late = aCase({ caseNo: '2026-000103', nextDue: '2026-10-05' });
    const text = textOf(briefingCard(data({ overdue: [overdue], supervised: [late], owned: [aCase()], counts: { open: 9, overdue: 1, supervised: 1 } })));
    expect(text).toContain(`**逾期未办结**\n• 2026-000102 王建华（阳城镇·自然资源）办理中，办结期限已于2026年10月1日届满：身份证 ${stars('441823********1234')} 反映土地被占`);
    expect(text).toContain(`**挂牌督办**\n• 2026-000103 王建华（阳城镇·自然资源）办理中，已逾期（期限 2026年10月5日）：反映宅基地确权问题，联系电话${stars('138****5678')}。`);
    expect(text).toContain('**您包案的信访件**\n• 2026-000101 王建华（阳城镇·自然资源）办理中，期限 2026年10月20日：');
    expect(text).not.toContain('13812345678');
    expect(text).not.toContain('441823198001011234');
  });

  test('a long list stops at the limit and says how many more; repeat petitioners are counted', () => {
    const many = Array.from({ length: 7 }, (_, i) => aCase({ caseNo: `2026-00020${i}` }));
    const text = textOf(briefingCard(data({
      overdue: many, counts: { open: 20, overdue: 12, supervised: 0 },
      repeat: [{ name: '陈秀英', count: 3, lastCaseNo: '2026-000150', town: '阳城镇' }],
    }), 5));
    expect(text).toContain('• 2026-000204');
    expect(text).not.toContain('• 2026-000205');
    expect(text).toContain('……另有 7 件');
    expect(text).toContain('**重复来访人员**\n• 陈秀英（阳城镇）共 3 件，最近一件 2026-000150');
    expect(text).toContain('**挂牌督办**\n无');
  });

  test('the last session here: when, who, what was received, with personal data in its note masked', () => {
    const last = session({
      id: 5, date: '2026-09-11', status: 'held',
      outcome: { batches: 2, persons: 4, caseNos: [], note: '张某（电话 13912345678）已当场答复', recordedBy: 'staff1', recordedAt: '2026-09-11T04:00:00Z' },
    });
    const text = textOf(briefingCard(data({ lastSession: { session: last, caseCount: 1 } })));
    expect(text).toContain(`**上次在此接访**：2026年9月11日（周五），黎嘉禾（阳城镇党委书记）、林启航（县委书记），接待 2 批 4 人次，登记信访件 1 件。张某（电话 ${stars('139****5678')}）已当场答复`);
    expect(text).not.toContain('13912345678');
  });
});

describe('the venue reminder (接访提醒)', () => {
  test('the venue’s group is told the day, the hours, the leaders with their posts and what to prepare', () => {
    const c: Card = venueReminderCard(session({ accompanyUnits: [], focus: null }));
    expect(c.header).toMatchObject({ title: { content: '接访提醒：2026年10月9日（周五） 阳城镇综治中心' }, template: 'wathet' });
    expect(textOf(c)).toBe(
      '**时间**：2026年10月9日（周五）上午 08:30—12:00\n**领导**：黎嘉禾（阳城镇党委书记）、林启航（县委书记）\n**类型**：下访\n**陪同单位**：（未指定）\n' +
        '请提前准备接待场地、登记台账，通知陪同单位准时到场；接访结束后发送“接访记录”登记接待情况。',
    );
  });
});
