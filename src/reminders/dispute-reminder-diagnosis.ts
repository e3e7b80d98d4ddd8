import { shanghaiDate } from '../platform/calendar/domain/dates';
import { WorkingDays } from '../platform/calendar/domain/lenient-working-days';
import type { Core, Finding } from '../platform/core/feature';
import { DisputeQueries } from '../disputes';
import { findDirector } from './domain/escalation';
import { workingOffset } from './domain/reminder-steps';
import { reminderPolicy } from './reminder-service';

const AREA = '矛盾纠纷提醒';
const NO_DIRECTOR = '但没有设置 DIRECTOR_USER_ID，也没有职务含“局长”的管理员：这些升级提醒无人接收。';
const DIRECTOR_FIX = '登记局长：xinfang users add --id <局长的飞书 open_id> --name <姓名> --role admin --title 局长，或在设置（.env）中加 DIRECTOR_USER_ID=<局长的用户ID>。';
/** DIRECTOR_FIX for 系统检查 in chat. */
const DIRECTOR_CHAT_FIX = '请系统管理员登记局长（用局长的飞书账号，职务写“局长”），或在设置中指定局长的用户ID。';

/** The first few numbers of a list, and how many more. */
function some(nos: string[]): string {
  return nos.length > 5 ? `${nos.slice(0, 5).join('、')} 等 ${nos.length} 件` : nos.join('、');
}

/**
 * `xinfang doctor`: what makes the disputes' reminders go nowhere, found as the scan finds its
 * recipients (dispute-reminders.ts): a responsible unit with no group and no user of its own (the
 * reminder falls back to the bureau group, or to nobody), and disputes overdue past the point
 * where the director is told when there is no director.
 */
export async function diagnoseDisputeReminders(core: Core, now: Date): Promise<Finding[]> {
  const open = await new DisputeQueries(core.db).openTargets();
  if (!open.length) return [];
  const [chats, users] = [await core.chats.list(), await core.users.list()];
  const findings: Finding[] = [];

  const reached = new Set([...chats.map((c) => c.unit), ...users.filter((u) => u.role === 'unit').map((u) => u.unit)].filter(Boolean));
  const orphans = new Map<string, string[]>();
  for (const d of open) if (!reached.has(d.unit)) orphans.set(d.unit, [...(orphans.get(d.unit) ?? []), d.no]);
  const hasBureau = chats.some((c) => c.role === 'bureau');
  for (const [unit, nos] of orphans) {
    findings.push({
      area: AREA,
      severity: hasBureau ? 'warning' : 'error',
      problem:
        `责任单位“${unit}”有 ${nos.length} 件在办矛盾纠纷（${some(nos)}），但这个单位没有登记群聊，也没有登记单位用户：` +
        (hasBureau ? '化解期限提醒只能发到信访局群，由信访局转告。' : '也没有信访局群，化解期限提醒无人接收。'),
      fix:
        `把信访助手拉进该单位的工作群后登记：xinfang chats add --id <群的 chat_id> --unit ${unit} --name <群名>；` +
        `或登记该单位的联系人：xinfang users add --id <飞书 open_id> --name <姓名> --role unit --unit ${unit}。`,
      chatFix: `请把信访助手拉进${unit}的工作群，再请系统管理员在服务器上把该群登记到${unit}；或请系统管理员登记该单位的联系人。`,
    });
  }

  if (!findDirector(users, core.config.DIRECTOR_USER_ID)) {
    const policy = reminderPolicy(core.config);
    const days = new WorkingDays(core.calendar.calendar);
    const today = shanghaiDate(now);
    const late = open.filter((d) => d.targetDate < today && workingOffset(today, d.targetDate, days) >= policy.leaderAfter).map((d) => d.no);
    if (late.length) {
      findings.push({
        area: AREA,
        severity: 'error',
        problem:
          `${late.length} 件矛盾纠纷已超过化解期限 ${policy.leaderAfter} 个工作日以上（${some(late)}），按规定应报局领导，${NO_DIRECTOR}`,
        fix: DIRECTOR_FIX,
        chatFix: DIRECTOR_CHAT_FIX,
      });
    }
  }
  return findings;
}

/**
 * The reminders' findings with the disputes' after them. "No director" is one fact: when the
 * deadlines' check already says it (期限提醒, its fix DIRECTOR_USER_ID), the disputes it leaves
 * without escalation are added to that finding instead of a second one.
 */
export function withDisputeFindings(base: Finding[], disputes: Finding[]): Finding[] {
  const out = base.map((f) => ({ ...f }));
  const noDirector = out.find((f) => f.severity === 'error' && f.problem.includes('没有设置 DIRECTOR_USER_ID'));
  for (const d of disputes) {
    if (noDirector && d.fix === DIRECTOR_FIX) noDirector.problem += `另外，${d.problem.slice(0, -NO_DIRECTOR.length)}同样无人可报。`;
    else out.push(d);
  }
  return out;
}
