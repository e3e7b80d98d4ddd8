import type { ChangeRequest } from '../../src/roster/change-request-store';
import {
  changeNoticeCard, changeRequestCard, describeRequest, MAX_SESSIONS_PER_CARD, moveFormCard, mySessionsCard, planSummaryCard,
  recordDoneCard, recordFormCard, recordPickCard, sessionListCard, sessionPages, swapFormCard,
} from '../../src/roster/roster-cards';
import type { SessionView } from '../../src/roster/session-view';

/** A session on Friday 9 October 2026 at the county centre, received by 林启航（县委书记）. */
function session(over: Partial<SessionView> = {}): SessionView {
  return {
    id: 12, uid: 'u12@xinfang', date: '2026-10-09', slot: '上午', startTime: '08:30', endTime: '12:00', type: '接访',
    venueId: 'county-center', venueName: '县群众来访接待中心', venueKind: 'center', venueTown: null, venueAddress: '县城人民路 88 号',
    accompanyUnits: ['县信访局', '县自然资源局'], focus: '征地拆迁', capacity: null, status: 'planned', sequence: 0, outcome: null,
    planYear: 2026, ruleId: 'county-center-monthly', note: null,
    leaders: [{ id: 'cty1', name: '林启航', title: '县委书记', level: 'county', substituteFor: null }],
    createdAt: '2026-01-01 00:00:00', updatedAt: '2026-01-01 00:00:00', ...over,
  };
}

function request(over: Partial<ChangeRequest> = {}): ChangeRequest {
  return {
    id: 7, kind: 'move', sessionId: 12, leaderId: 'cty1', requestedBy: 'cty1', targetDate: '2026-10-13', targetSlot: '下午',
    otherSessionId: null, otherLeaderId: null, reason: '参加省里会议', status: 'pending', decidedBy: null, decidedAt: null,
    decisionNote: null, createdAt: '2026-10-01 00:00:00', ...over,
  };
}

type Card = Record<string, any>;

/** Every text of a card's body (markdown, labels, button texts), in order, as a reader would see it. */
function textOf(c: Card): string {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'content' && typeof x === 'string') out.push(x);
        else walk(x);
      }
    }
  };
  walk(c.body);
  return out.join('\n');
}

/** The card's buttons (form submits included): label, style and the value a click sends. */
function buttons(c: Card): Array<{ text: string; type: string; value: Record<string, unknown> }> {
  const out: Array<{ text: string; type: string; value: Record<string, unknown> }> = [];
  const walk = (v: any) => {
    if (!v || typeof v !== 'object') return;
    if (v.tag === 'button') out.push({ text: v.text.content, type: v.type, value: v.behaviors[0].value });
    Object.values(v).forEach(walk);
  };
  walk(c.body);
  return out;
}

const names = (id: string) => ({ cty1: '林启航（县委书记）', cty2: '周庭远（县长）' })[id] ?? id;

describe('session list cards (今日接访, 本周接访, 接访安排)', () => {
  test('the header, the day as 2026年10月9日（周五）, the slot and hours, venue, type, leaders and the number', () => {
    const c: Card = sessionListCard({ title: '本周接访安排', subtitle: '10月5日—10月11日', sessions: [session()], empty: '这一周没有领导接访安排。' });
    expect(c.header).toEqual({
      title: { tag: 'plain_text', content: '本周接访安排' }, subtitle: { tag: 'plain_text', content: '10月5日—10月11日' }, template: 'blue',
    });
    expect(textOf(c)).toBe('**2026年10月9日（周五）**\n• **上午 08:30—12:00** 县群众来访接待中心 · 接访 · 林启航（县委书记） 〔编号 12〕');
    expect(buttons(c)).toEqual([]);
  });

  test('a provisional day says 暂定; a cancelled one is struck through, not 暂定; a deputy is marked 代班', () => {
    const deputy = session({
      id: 13, slot: '下午', startTime: '14:30', endTime: '17:30',
      leaders: [{ id: 'cty2', name: '周庭远', title: '县长', level: 'county', substituteFor: 'cty1' }],
    });
    const c: Card = sessionListCard({
      title: '今日接访', sessions: [session(), deputy, session({ id: 14, status: 'cancelled' })], empty: '', provisional: () => true,
    });
    const text = textOf(c);
    expect(text).toContain('林启航（县委书记）〔暂定〕 〔编号 12〕');
    expect(text).toContain('**下午 14:30—17:30** 县群众来访接待中心 · 接访 · 周庭远（县长）〔代班〕〔暂定〕 〔编号 13〕');
    expect(text).toContain('• ~~**上午** 县群众来访接待中心 · 接访 · 林启航（县委书记）〔已取消〕 〔编号 14〕~~');
    expect(textOf(sessionListCard({ title: 't', sessions: [session()], empty: '' }))).not.toContain('暂定');
  });

  test('an empty list says so; a long list is cut into cards by whole days, and nothing is left out', () => {
    expect(textOf(sessionListCard({ title: '今日接访', sessions: [], empty: '今天没有领导接访安排。' }))).toBe('今天没有领导接访安排。');
    const days = ['2026-10-05', '2026-10-06', '2026-10-07', '2026-10-08', '2026-10-09', '2026-10-10', '2026-10-11'];
    const many = Array.from({ length: 70 }, (_, i) => session({ id: 100 + i, date: days[Math.floor(i / 10)] }));
    const pages = sessionPages(many);
    expect(pages.length).toBeGreaterThan(1);
    expect(pages.flatMap((p) => p.sessions.map((s) => s.id))).toEqual(many.map((s) => s.id));
    for (const p of pages) expect(p.sessions.length).toBeLessThanOrEqual(MAX_SESSIONS_PER_CARD);
    // No day is split when it fits on one card.
    for (let i = 1; i < pages.length; i++) expect(pages[i].sessions[0].date).not.toBe(pages[i - 1].sessions.at(-1)!.date);
    const cards = pages.map((p, i) => sessionListCard({ title: '本周接访安排', sessions: p.sessions, empty: '', part: { index: i + 1, total: pages.length } }));
    expect((cards.at(-1) as Card).header.title.content).toBe(`本周接访安排（${pages.length}/${pages.length}）`);
    expect(textOf(cards.at(-1) as Card)).toContain('2026年10月11日（周日）');
    expect(cards.map((c) => textOf(c as Card)).join('\n')).not.toContain('未列出');
  });

  test('a day longer than a card goes on to the next card, marked 续', () => {
    const many = Array.from({ length: MAX_SESSIONS_PER_CARD + 5 }, (_, i) => session({ id: 200 + i }));
    const pages = sessionPages(many);
    expect(pages.map((p) => [p.sessions.length, p.continues])).toEqual([[MAX_SESSIONS_PER_CARD, false], [5, true]]);
    const second = sessionListCard({ title: 't', sessions: pages[1].sessions, empty: '', part: { index: 2, total: 2, continues: true } });
    expect(textOf(second)).toContain('**2026年10月9日（周五）（续）**');
  });
});

describe('我的接访 and the change forms', () => {
  test('each coming day with its accompanying units and the 申请改期 / 申请对调 buttons; none for a held day', () => {
    const c: Card = mySessionsCard('林启航', [session(), session({ id: 15, status: 'held' })]);
    expect(c.header.title.content).toBe('林启航的接访安排');
    const text = textOf(c);
    expect(text).toContain('**2026年10月9日（周五） 上午** 县群众来访接待中心 · 接访 · 林启航（县委书记） 〔编号 12〕\n陪同单位：县信访局、县自然资源局');
    expect(text).toContain('〔已接访〕 〔编号 15〕');
    expect(buttons(c)).toEqual([
      { text: '申请改期', type: 'default', value: { action: 'roster.change.form', kind: 'move', sessionId: 12 } },
      { text: '申请对调', type: 'default', value: { action: 'roster.change.form', kind: 'swap', sessionId: 12 } },
    ]);
  });

  test('the move form names the session and the first day allowed, and submits a move', () => {
    const c: Card = moveFormCard(session(), '2026-10-02');
    expect(c.header.title.content).toBe('申请改期');
    expect(c.header.subtitle.content).toBe('2026年10月9日（周五）上午 08:30—12:00 县群众来访接待中心');
    expect(textOf(c)).toContain('新的日期（2026年10月2日及以后的工作日）');
    expect(buttons(c)).toEqual([{ text: '提交申请', type: 'primary_filled', value: { action: 'roster.change.submit', kind: 'move', sessionId: 12 } }]);
  });

  test('the swap form offers the other leaders’ sessions by day, venue and leader; with none it says so', () => {
    const other = session({ id: 34, date: '2026-10-13', leaders: [{ id: 'cty2', name: '周庭远', title: '县长', level: 'county', substituteFor: null }] });
    const c: Card = swapFormCard(session(), [other]);
    const select = c.body.elements[0].elements[0];
    expect(select.options).toEqual([{ text: { tag: 'plain_text', content: '2026年10月13日（周二）上午 县群众来访接待中心 周庭远（县长）' }, value: '34' }]);
    expect(buttons(c)).toEqual([{ text: '提交申请', type: 'primary_filled', value: { action: 'roster.change.submit', kind: 'swap', sessionId: 12 } }]);
    expect(textOf(swapFormCard(session(), []))).toBe('近期没有可对调的其他领导接访安排。');
  });
});

describe('change requests (调整接访, 接访审批)', () => {
  test('a move and a swap described in words', () => {
    expect(describeRequest(request(), session(), null, names))
      .toBe('林启航（县委书记）申请将2026年10月9日（周五）上午 08:30—12:00、在县群众来访接待中心的接访改到2026年10月13日（周二）下午');
    const b = session({ id: 34, date: '2026-10-16', venueName: '阳城镇综治中心' });
    expect(describeRequest(request({ kind: 'swap', otherSessionId: 34, otherLeaderId: 'cty2', targetDate: null, targetSlot: null }), session(), b, names))
      .toBe('林启航（县委书记）申请将2026年10月9日（周五）上午 08:30—12:00、在县群众来访接待中心的接访与周庭远（县长）2026年10月16日（周五）上午 08:30—12:00、在阳城镇综治中心的安排对调');
  });

  test('a pending request: the description, reason, number, conflicts, and 批准 / 驳回 carrying the request id', () => {
    const c: Card = changeRequestCard(request(), '林启航申请改期', ['周庭远当天已有安排']);
    expect(c.header).toMatchObject({ title: { content: '接访安排调整申请' }, template: 'orange' });
    expect(textOf(c)).toBe('林启航申请改期\n**原因**：参加省里会议\n**申请编号**：7\n⚠️ 当前存在冲突：\n• 周庭远当天已有安排\n批准\n驳回');
    expect(buttons(c)).toEqual([
      { text: '批准', type: 'primary_filled', value: { action: 'roster.change.approve', requestId: 7 } },
      { text: '驳回', type: 'danger', value: { action: 'roster.change.reject', requestId: 7 } },
    ]);
  });

  test('a decided request shows the outcome and no buttons; a notice lists its lines', () => {
    const c: Card = changeRequestCard(request({ status: 'conflict', decisionNote: '冲突' }), '林启航申请改期');
    expect(textOf(c)).toContain('已处理：因冲突未能调整（冲突）');
    expect(buttons(c)).toEqual([]);
    const n: Card = changeNoticeCard({ title: '接访安排已调整', lines: ['原定：10月9日', '改为：10月13日'] });
    expect(n.header).toMatchObject({ title: { content: '接访安排已调整' }, template: 'green' });
    expect(textOf(n)).toBe('原定：10月9日\n改为：10月13日');
  });
});

describe('生成接访计划 summary', () => {
  const fairness = [{ ruleId: 'r', ruleName: '县领导每月到中心接访', mode: 'each' as const, counts: {}, groups: [{ key: '*', min: 11, max: 12 }], spread: 1 }];
  const issue = (kind: 'unplaced' | 'empty-period', message: string) => ({ kind, ruleId: 'r', ruleName: 'r', leaderId: null, leaderName: null, period: null, message });

  test('sessions placed, each rule’s days per leader, the issues and the periods without working days', () => {
    const c: Card = planSummaryCard({
      year: 2027, placed: 320, cancelled: 4, provisional: false, fairness,
      issues: [issue('unplaced', '林启航2027年2月的接访未能安排'), issue('empty-period', 'x'), issue('empty-period', 'y')],
    });
    expect(c.header).toMatchObject({ title: { content: '2027 年接访下访计划已生成' }, template: 'green' });
    const text = textOf(c);
    expect(text).toContain('**安排场次**：320\n**取消的原安排**：4');
    expect(text).toContain('• 县领导每月到中心接访：每人 11–12 天');
    expect(text).toContain('• 林启航2027年2月的接访未能安排\n• 另有 2 个周期全为节假日，不安排');
  });

  test('a provisional plan is orange and says the holidays are not yet known', () => {
    const c: Card = planSummaryCard({ year: 2027, placed: 1, cancelled: 0, provisional: true, fairness, issues: [] });
    expect(c.header.template).toBe('orange');
    expect(textOf(c)).toContain('⚠️ 没有 2027 年的节假日安排数据，本计划暂按周末推算');
  });
});

describe('接访记录 cards', () => {
  const held = session({
    status: 'held',
    outcome: { batches: 3, persons: 5, caseNos: ['2026-000123'], note: '现场答复 2 批', recordedBy: 'staff1', recordedAt: '2026-10-09T04:00:00Z' },
  });

  test('the pick list: each session with 记录情况, or 修改记录 when already recorded', () => {
    const c: Card = recordPickCard([session(), { ...held, id: 16 }]);
    expect(textOf(c)).toContain('**2026年10月9日（周五） 上午** 县群众来访接待中心 · 接访 · 林启航（县委书记）〔已接访〕 〔编号 16〕');
    expect(buttons(c)).toEqual([
      { text: '记录情况', type: 'default', value: { action: 'roster.record.form', sessionId: 12 } },
      { text: '修改记录', type: 'default', value: { action: 'roster.record.form', sessionId: 16 } },
    ]);
    expect(textOf(recordPickCard([]))).toBe('最近 7 天没有待记录的接访。');
  });

  test('the form names the session and carries what was recorded before', () => {
    const c: Card = recordFormCard(held);
    expect(c.header.subtitle.content).toBe('2026年10月9日（周五）上午 08:30—12:00 县群众来访接待中心 林启航');
    const inputs = c.body.elements[0].elements.filter((e: any) => e.tag === 'input').map((e: any) => [e.name, e.default_value]);
    expect(inputs).toEqual([['batches', '3'], ['persons', '5'], ['note', '现场答复 2 批']]);
    expect(buttons(c)).toEqual([{ text: '保存', type: 'primary_filled', value: { action: 'roster.record.submit', sessionId: 12 } }]);
  });

  test('the record saved: time, venue, leaders, batches, people and the cases registered there', () => {
    const c: Card = recordDoneCard(held, [{ caseNo: '2026-000123', name: '王某某', category: '自然资源' }]);
    expect(c.header).toMatchObject({ title: { content: '接访情况已记录' }, template: 'green' });
    expect(textOf(c)).toBe(
      '**时间**：2026年10月9日（周五）上午 08:30—12:00\n**地点**：县群众来访接待中心\n**领导**：林启航（县委书记）\n' +
        '**接待批次**：3\n**接待人次**：5\n**情况说明**：现场答复 2 批\n**当场登记的信访件（1 件）：**\n• 2026-000123 王某某 自然资源',
    );
  });
});
