import type { Knex } from 'knex';
import { shanghaiDate } from '../platform/calendar/domain/dates';
import { WorkingDays } from '../platform/calendar/domain/lenient-working-days';
import type { CalendarChange, CalendarChangeReport, Core } from '../platform/core/feature';
import { DEADLINE_LABELS, type DeadlineKind, recomputeDeadlines } from '../cases';
import { FollowPlan, planReminderFollow } from './domain/reminder-follow';
import { stepLabel } from './domain/reminder-steps';
import { ReminderFollowStore } from './reminder-follow-store';
import { reminderPolicy } from './reminder-service';

/** Lines of re-keyed reminders shown in the report; the rest are counted. */
const LINES = 50;

/**
 * The reminders already recorded for the deadlines a holiday import moved follow the new dates
 * (the rule: domain/reminder-follow.ts), inside the import's transaction. The moves are the cases
 * capability's recompute of the same change and transaction (done once, whoever asks first).
 */
export async function followDeadlineMoves(core: Core, change: CalendarChange, trx: Knex.Transaction): Promise<CalendarChangeReport> {
  const { moves } = await recomputeDeadlines(change, trx);
  const store = new ReminderFollowStore();
  const recorded = moves.length ? await store.recordedFor(trx, moves.map((m) => m.caseId)) : [];
  const plan = planReminderFollow(moves, recorded, shanghaiDate(change.now), new WorkingDays(change.after), reminderPolicy(core.config));
  await store.rekey(trx, plan.rekey);
  return followReport(plan, moves.length);
}

/** The reminders' section of the import's report: 期限提醒. */
export function followReport(plan: FollowPlan, movedDeadlines: number): CalendarChangeReport {
  const counts = { checked: plan.checked, rekeyed: plan.rekey.length, kept: plan.kept, alreadyRecorded: plan.alreadyRecorded };
  const lines: string[] = [];
  if (!movedDeadlines) lines.push('没有调整日期的办理期限，已记录的提醒不变。');
  else if (!plan.checked) lines.push(`调整日期的 ${movedDeadlines} 条期限还没有发过提醒，将按新日期提醒。`);
  else {
    const already = plan.alreadyRecorded ? `；${plan.alreadyRecorded} 条在新日期下已有记录，保持不变` : '';
    lines.push(
      `调整日期的 ${movedDeadlines} 条期限已发提醒 ${plan.checked} 条：${plan.rekey.length} 条按新日期算也已到提醒日，改记到新日期下，不再重复发送；` +
        `${plan.kept} 条留作原日期的记录，新日期的相应提醒到时照常发送${already}。`,
    );
  }
  for (const r of plan.rekey.slice(0, LINES)) {
    lines.push(`${r.caseNo} ${DEADLINE_LABELS[r.kind as DeadlineKind] ?? r.kind} ${stepLabel(r.step)}的提醒：${r.from} → ${r.to}`);
  }
  if (plan.rekey.length > LINES) lines.push(`…另有 ${plan.rekey.length - LINES} 条`);
  return { title: '期限提醒', counts, lines };
}
