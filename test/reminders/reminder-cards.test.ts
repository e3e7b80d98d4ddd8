import { buildDigestCard, buildReminderCard, ReminderCardView } from '../../src/reminders/reminder-cards';
import type { Digest, DigestItem } from '../../src/reminders/domain/digest';
import { cardText } from './fixtures';

/** What a reader of the card sees: its strings, Lark markdown escapes read back (张\*\* shows as 张**). */
function seen(card: unknown): string {
  return cardText(card).replace(/\\([\\*_~`[\]<>#|])/g, '$1');
}

/** The buttons of a card: label and callback value. */
function buttons(card: any): Array<{ text: string; value: unknown }> {
  const out: Array<{ text: string; value: unknown }> = [];
  const walk = (v: any) => {
    if (!v || typeof v !== 'object') return;
    if (v.tag === 'button') out.push({ text: v.text.content, value: v.behaviors.find((b: any) => b.type === 'callback').value });
    else Object.values(v).forEach(walk);
  };
  walk(card);
  return out;
}

const view = (o: Partial<ReminderCardView> = {}): ReminderCardView => ({
  caseNo: '2025-000102',
  category: '城乡建设',
  town: '阳城镇',
  petitioner: '张**',
  unit: '县住建局',
  kind: 'conclusion',
  dueDate: '2025-10-09',
  phase: 'before',
  timeLeft: '剩余 3 个工作日（11 天）',
  supervised: false,
  provisional: false,
  audience: 'unit',
  letterFlagged: false,
  ...o,
});

describe('the reminder card', () => {
  test('before the due date: case number, category, town, masked petitioner, unit, deadline and time left', () => {
    const c: any = buildReminderCard(view());
    expect(c.header.title.content).toBe('信访事项期限提醒：2025-000102');
    expect(c.header.subtitle.content).toBe('办结期限');
    expect(c.header.template).toBe('blue');
    const t = seen(c);
    expect(t).toContain('**案件编号**：2025-000102');
    expect(t).toContain('**问题类别**：城乡建设');
    expect(t).toContain('**问题属地**：阳城镇');
    expect(t).toContain('**信访人**：张**');
    expect(t).toContain('**承办单位**：县住建局');
    expect(t).toContain('**期限**：办结期限：2025年10月9日（周四）24 时止');
    expect(t).toContain('**剩余时间**：剩余 3 个工作日（11 天）');
    expect(t).not.toContain('挂牌督办');
    expect(t).not.toContain('暂按周末推算');
    expect(t).not.toContain('督办函');
  });

  test('buttons open the case and report progress on it', () => {
    expect(buttons(buildReminderCard(view()))).toEqual([
      { text: '查看案件', value: { action: 'case.view', caseNo: '2025-000102' } },
      { text: '报告进展', value: { action: 'case.progress', caseNo: '2025-000102' } },
    ]);
  });

  test('on the day and overdue the title and colour say so', () => {
    const due: any = buildReminderCard(view({ phase: 'due', timeLeft: '今天到期' }));
    expect(due.header.title.content).toBe('信访事项今日到期：2025-000102');
    expect(due.header.template).toBe('orange');
    expect(seen(due)).toContain('**剩余时间**：今天到期');
    const late: any = buildReminderCard(view({ phase: 'overdue', timeLeft: '已逾期 2 个工作日' }));
    expect(late.header.title.content).toBe('信访事项已逾期：2025-000102');
    expect(late.header.template).toBe('red');
    expect(seen(late)).toContain('**剩余时间**：已逾期 2 个工作日');
  });

  test('a provisional deadline says it was counted without that year’s holidays (暂按周末推算)', () => {
    expect(seen(buildReminderCard(view({ provisional: true })))).toContain('**期限**：办结期限：2025年10月9日（周四）24 时止（该年节假日未导入，暂按周末推算）');
  });

  test('supervised, flagged for a 督办函, copied up the escalation', () => {
    const c: any = buildReminderCard(view({ supervised: true, letterFlagged: true, phase: 'overdue', audience: 'leader' }));
    const t = seen(c);
    expect(t).toContain('**挂牌督办**：是');
    // A leader may not issue letters: the 督办函 is suggested to the bureau's readers only.
    expect(t).not.toContain('督办函');
    expect(seen(buildReminderCard(view({ supervised: true, letterFlagged: true, phase: 'overdue', audience: 'supervision' }))))
      .toContain('**已逾期较久，建议发督办函**：发送“督办函 2025-000102”生成。');
    expect(c.header.subtitle.content).toBe('办结期限（逾期报包案领导）');
    expect(buildReminderCard(view({ audience: 'bureau' })).header).toMatchObject({ subtitle: { content: '办结期限（承办单位未登记群聊，请信访局转告）' } });
    expect(buildReminderCard(view({ audience: 'supervision' })).header).toMatchObject({ subtitle: { content: '办结期限（逾期抄送督查）' } });
    expect(buildReminderCard(view({ audience: 'director' })).header).toMatchObject({ subtitle: { content: '办结期限（逾期报局领导）' } });
  });

  test('the bureau’s own deadline names the bureau as the one to act, not as a unit nor as a relay', () => {
    const c = buildReminderCard(view({ unit: null, kind: 'decision', audience: 'bureau' })) as any;
    const t = seen(c);
    expect(t).toContain('**办理**：信访局（尚未交办承办单位）');
    expect(t).not.toContain('承办单位**：');
    expect(t).not.toContain('请信访局转告');
    expect(c.header.subtitle.content).toBe('受理/交办期限（由信访局办理）');
    expect(t).toContain('**期限**：受理/交办期限：');
    expect(t).toContain('本期限由信访局办理');
  });
});

const item = (caseNo: string, workingDays: number, o: Partial<DigestItem> = {}): DigestItem => ({
  caseNo, kind: 'conclusion', dueDate: '2025-10-09', unit: '县自然资源局', category: '自然资源', supervised: false, letterFlagged: false, workingDays, ...o,
});

describe('the digest card', () => {
  test('totals, then each unit with its overdue, due today and due soon cases', () => {
    const d: Digest = {
      date: '2025-10-09',
      totals: { overdue: 1, dueToday: 1, dueSoon: 1 },
      units: [
        {
          unit: '县自然资源局',
          overdue: [item('2025-000801', -4, { dueDate: '2025-09-26', letterFlagged: true })],
          dueToday: [item('2025-000802', 0)],
          dueSoon: [],
        },
        { unit: '阳城镇', overdue: [], dueToday: [], dueSoon: [item('2025-000803', 3, { unit: '阳城镇', dueDate: '2025-10-13', supervised: true, category: '城乡建设' })] },
      ],
    };
    const c: any = buildDigestCard(d);
    expect(c.header.title.content).toBe('信访期限日报 2025年10月9日（周四）');
    expect(c.header.template).toBe('red');
    const t = seen(c);
    expect(t).toContain('逾期 **1** 件 · 今日到期 **1** 件 · 3 个工作日内到期 **1** 件');
    expect(t).toContain(
      ['**县自然资源局**', '逾期（1）', '- 2025-000801 自然资源 · 办结期限 9月26日 · 逾期 4 个工作日〔建议发督办函〕', '今日到期（1）', '- 2025-000802 自然资源 · 办结期限 10月9日 · 今日到期'].join('\n'),
    );
    expect(t).toContain(['**阳城镇**', '3 个工作日内到期（1）', '- 2025-000803 城乡建设 · 办结期限 10月13日 · 剩 3 个工作日〔督办〕'].join('\n'));
    expect(t.indexOf('县自然资源局')).toBeLessThan(t.indexOf('阳城镇'));
    expect(buttons(c)).toEqual([]);
  });

  test('a long list shows 15 cases and the count', () => {
    const many = Array.from({ length: 17 }, (_, i) => item(`2025-0009${String(i).padStart(2, '0')}`, -1));
    const t = seen(buildDigestCard({ date: '2025-10-09', totals: { overdue: 17, dueToday: 0, dueSoon: 0 }, units: [{ unit: '县自然资源局', overdue: many, dueToday: [], dueSoon: [] }] }));
    expect(t).toContain('逾期（17）');
    expect(t).toContain('- 2025-000914 ');
    expect(t).not.toContain('- 2025-000915 ');
    expect(t).toContain('- 等共 17 件');
  });

  test('a quiet day says so, in blue; due today without overdue is orange', () => {
    const quiet: any = buildDigestCard({ date: '2025-10-10', totals: { overdue: 0, dueToday: 0, dueSoon: 0 }, units: [] });
    expect(quiet.header.template).toBe('blue');
    expect(seen(quiet)).toContain('今日没有到期、临期或逾期的信访事项。');
    const today: any = buildDigestCard({ date: '2025-10-10', totals: { overdue: 0, dueToday: 1, dueSoon: 0 }, units: [{ unit: '阳城镇', overdue: [], dueToday: [item('2025-000802', 0)], dueSoon: [] }] });
    expect(today.header.template).toBe('orange');
  });
});

describe('the digest card of a province', () => {
  test('a thousand units with something due: the most overdue listed while the card stays under Lark’s 30 KB, the rest counted', () => {
    const units = Array.from({ length: 1000 }, (_, u) => ({
      unit: `县${String(u).padStart(3, '0')}自然资源局`,
      overdue: u < 300 ? [item(`2026-${String(u).padStart(6, '0')}`, -2, { unit: `县${u}` })] : [],
      dueToday: [],
      dueSoon: u >= 300 ? [item(`2026-${String(10000 + u).padStart(6, '0')}`, 2)] : [],
    }));
    const c: any = buildDigestCard({ date: '2026-10-12', totals: { overdue: 300, dueToday: 0, dueSoon: 700 }, units });
    expect(Buffer.byteLength(JSON.stringify(c))).toBeLessThan(30 * 1024);
    const t = seen(c);
    expect(t).toContain('逾期 **300** 件 · 今日到期 **0** 件 · 3 个工作日内到期 **700** 件');
    expect(t).toContain('**县000自然资源局**');
    const listed = (t.match(/自然资源局\*\*/g) ?? []).length;
    expect(listed).toBeGreaterThan(50);
    const rest = units.slice(listed);
    const restOverdue = rest.filter((u) => u.overdue.length).length;
    expect(t).toContain(`另有 **${1000 - listed}** 个单位（逾期 ${restOverdue} 件、今日到期 0 件、3 个工作日内到期 ${rest.length - restOverdue} 件）未在此列出：发送“逾期”查看全部。`);
  });
});
