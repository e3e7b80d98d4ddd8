import type { Knex } from 'knex';
import { shanghaiDate } from '../platform/calendar/domain/dates';
import { WorkingDays } from '../platform/calendar/domain/lenient-working-days';
import type { CalendarChange, CalendarChangeReport, Core } from '../platform/core/feature';
import { DisputeQueries } from '../disputes';
import { planDisputeStepFollow, RecordedDisputeStep } from './domain/dispute-steps';
import { stepLabel } from './domain/reminder-steps';
import { dueInstant } from './domain/working-hours';
import { DisputeReminderStore } from './dispute-reminder-store';
import { reminderPolicy, workingHours } from './reminder-service';

/** Lines of moved steps shown in the report; the rest are counted. */
const LINES = 50;

/**
 * A holiday import and the disputes' reminders (the rule: domain/dispute-steps.ts): target dates
 * stay; the recorded reminders of open disputes take the step days of the new calendar, inside
 * the import's transaction.
 */
export async function followDisputeSteps(core: Core, change: CalendarChange, trx: Knex.Transaction): Promise<CalendarChangeReport> {
  const open = await new DisputeQueries(core.db).openTargets(trx);
  const target = new Map(open.map((d) => [d.id, d]));
  const store = new DisputeReminderStore(core.db);
  const recorded: RecordedDisputeStep[] = (await store.recordedFor(trx, open.map((d) => d.id)))
    .filter((r) => target.get(r.disputeId)?.targetDate === r.targetDate)
    .map((r) => ({ id: r.id, disputeNo: target.get(r.disputeId)!.no, targetDate: r.targetDate, step: r.step, stepDate: r.stepDate }));
  const days = new WorkingDays(change.after);
  const plan = planDisputeStepFollow(recorded, shanghaiDate(change.now), days, reminderPolicy(core.config));
  const hours = workingHours(core.config);
  await store.restep(trx, plan.moves.map((m) => ({ id: m.id, stepDate: m.to, dueAt: dueInstant(m.to, core.config.REMINDERS_TIME, days, hours) })));

  const early = plan.moves.filter((m) => m.early).length;
  const lines: string[] = [];
  if (!plan.checked) lines.push('在办矛盾纠纷还没有发过化解期限提醒；化解期限不变，提醒按新日历发送。');
  else {
    lines.push(
      `化解期限不随节假日调整；在办矛盾纠纷已发提醒 ${plan.checked} 条，其中 ${plan.moves.length} 条的提醒日按新日历改记` +
        `${early ? `（${early} 条按新日历尚未到提醒日，已提前发送，不再重复）` : ''}，其余不变。已发过的提醒不会重复发送。`,
    );
  }
  for (const m of plan.moves.slice(0, LINES)) {
    lines.push(`${m.disputeNo} ${stepLabel(m.step)}的提醒日：${m.from} → ${m.to}${m.early ? '（已提前发送）' : ''}`);
  }
  if (plan.moves.length > LINES) lines.push(`…另有 ${plan.moves.length - LINES} 条`);
  return { title: '矛盾纠纷提醒', counts: { checked: plan.checked, moved: plan.moves.length, early }, lines };
}

/**
 * The reminders' section of an import's report with the disputes' part after the deadlines', when
 * any dispute reminder was looked at (otherwise the section is the deadlines' alone).
 */
export function withDisputeSteps(deadlines: CalendarChangeReport, disputes: CalendarChangeReport): CalendarChangeReport {
  if (!disputes.counts.checked) return deadlines;
  return {
    title: deadlines.title,
    counts: {
      ...deadlines.counts,
      disputesChecked: disputes.counts.checked,
      disputesMoved: disputes.counts.moved,
      disputesEarly: disputes.counts.early,
    },
    lines: [...deadlines.lines, `${disputes.title}：`, ...disputes.lines],
  };
}
