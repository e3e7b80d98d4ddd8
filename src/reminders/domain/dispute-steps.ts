import type { IsoDate } from '../../platform/calendar/domain/dates';
import type { WorkingDays } from '../../platform/calendar/domain/lenient-working-days';
import { parseStepCode, ReminderPolicy, stepOf } from './reminder-steps';

/**
 * The reminder steps of a dispute's target date across a change of the legal calendar. Pure.
 *
 * What was decided: a dispute's target date (化解期限) is the date the responsible person
 * promised, a calendar date; a holiday import never moves it. What the calendar decides is when
 * the reminders of that date go out: the steps count working days (3 and 1 working days before,
 * the last working day on or before the date, each working day overdue). So after an import:
 *
 * - the key of a recorded reminder (dispute, target date, step) stays: the same step is never said
 *   twice, whichever day the new calendar gives it;
 * - its step day (and the instant it was due) is re-keyed to the day the new calendar gives that
 *   step, so the record and `reminders list` tell the step by the calendar in force; a step whose
 *   new day is still ahead was said early and is not said again;
 * - the scan never says a step that comes before one already said for the same target date: a
 *   day that turns into a working day must not bring "剩余 3 个工作日" after "剩余 1 个工作日", nor a
 *   new holiday "逾期 1 个工作日" after "逾期 2 个工作日" (laterStepSaid).
 */

/** A step's place in time: before-3 < before-1 < due < overdue-1 < overdue-2 …; null for an unknown code. */
export function stepRank(code: string): number | null {
  const p = parseStepCode(code);
  if (!p) return null;
  return p.phase === 'before' ? -p.workingDays : p.phase === 'due' ? 0 : p.workingDays;
}

/** Whether a step at or after `code` was already said (the codes recorded for the same target date). */
export function laterStepSaid(code: string, said: readonly string[]): boolean {
  const rank = stepRank(code);
  if (rank === null) return false;
  return said.some((s) => {
    const r = stepRank(s);
    return r !== null && r >= rank;
  });
}

/** A dispute reminder as recorded, with the dispute's number and its target date now. */
export interface RecordedDisputeStep {
  id: number;
  disputeNo: string;
  /** The target date the reminder was recorded under. */
  targetDate: IsoDate;
  step: string;
  stepDate: IsoDate;
}

export interface DisputeStepMove {
  id: number;
  disputeNo: string;
  step: string;
  from: IsoDate;
  to: IsoDate;
  /** The new day is after today: said early, not said again. */
  early: boolean;
}

export interface DisputeStepPlan {
  /** Recorded reminders of open disputes looked at. */
  checked: number;
  moves: DisputeStepMove[];
}

/** Each recorded step's day by the new calendar (`days`); `today` is the import's Shanghai date. */
export function planDisputeStepFollow(
  recorded: readonly RecordedDisputeStep[],
  today: IsoDate,
  days: WorkingDays,
  policy: ReminderPolicy,
): DisputeStepPlan {
  const plan: DisputeStepPlan = { checked: 0, moves: [] };
  for (const r of recorded) {
    plan.checked++;
    const step = stepOf(r.step, r.targetDate, days, policy);
    if (!step || step.date === r.stepDate) continue;
    plan.moves.push({ id: r.id, disputeNo: r.disputeNo, step: r.step, from: r.stepDate, to: step.date, early: step.date > today });
  }
  return plan;
}
