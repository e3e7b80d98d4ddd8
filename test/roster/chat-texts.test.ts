import { noDeputyReply } from '../../src/roster/leave-impact';
import { replaceHint } from '../../src/roster/plan-import';
import { brief, stuckAdvice } from '../../src/roster/plan-follow';
import { planSummaryCard } from '../../src/roster/roster-cards';
import { readable } from '../helpers/app';

/**
 * Guard: the roster's chat texts that used to name the command line (`xinfang plan leader add
 * --deputy`, `请加 --replace`, `xinfang plan import`) now say what a person in chat can do; the
 * command line keeps its own wording where the same check serves it.
 */
const CLI_TALK = /xinfang |(?:^|[\s（(“；])--[a-z]|加 --/;

test('由代班领导接访 with no deputy: a chat word and the admin, no command line', () => {
  const t = noDeputyReply('林启航');
  expect(t).not.toMatch(CLI_TALK);
  expect(t).toContain('请假登记 林启航 日期 代班 代班领导姓名');
  expect(t).toContain('请管理员为其登记默认代班领导');
});

test('a plan import clashing with the plan: the flag on the command line, words elsewhere', () => {
  expect(replaceHint('cli')).toContain('请加 --replace');
  for (const by of [undefined, 'ou_admin']) {
    expect(replaceHint(by)).not.toMatch(CLI_TALK);
    expect(replaceHint(by)).toContain('以本表为准');
  }
});

test('a session in the holiday-import report reads as people write dates', () => {
  const line = brief({ date: '2027-02-08', slot: '上午', leaders: [{ id: 'cty1', name: '林启航' }] as never, venueName: '县群众来访接待中心' });
  expect(line).toBe('2027年2月8日（周一）上午 林启航 县群众来访接待中心');
  expect(line).not.toMatch(/\d{4}-\d{2}-\d{2}/);
});

test('sessions a holiday import could not move: what to do, without the command line', () => {
  const session = { id: 7, date: '2027-02-08' } as never;
  const lines = stuckAdvice({ stuck: [{ session, kind: 'busy', reason: '领导均无空' } as never, { session, kind: 'no-day', reason: '全为假日' } as never] });
  expect(lines.join('\n')).toContain('请管理员导入补充的场次');
  for (const l of lines) expect(l).not.toMatch(CLI_TALK);
});

test('生成接访计划 with more issues than the card lists: how many, without the command line', () => {
  const issues = Array.from({ length: 20 }, (_, i) => ({
    kind: 'unplaced' as const, ruleId: 'r', ruleName: 'r', leaderId: null, leaderName: null, period: null, message: `第 ${i + 1} 条未能安排`,
  }));
  const t = readable([{ type: 'card', card: planSummaryCard({ year: 2027, placed: 300, cancelled: 0, provisional: false, issues, fairness: [] }) }]);
  expect(t).toContain('……共 20 条，此处只列出前 15 条');
  expect(t).not.toMatch(CLI_TALK);
});
