import type { IsoDate } from '../../platform/calendar/domain/dates';
import type { WorkingDays } from '../../platform/calendar/domain/lenient-working-days';
import { ReminderPolicy, stepOf } from './reminder-steps';

/**
 * What becomes of the reminders already recorded for a deadline that a holiday import moved. A
 * reminder is recorded under its key (case, kind, due date, step), and the scan sends a step of the
 * open deadline's due date once. The rule, for each moved deadline (old date → new date):
 *
 * - a reminder recorded under the old date whose step, counted against the new date, falls on or
 *   before today is re-keyed to the new date: it was said already, and is not said again (no second
 *   "剩余 1 个工作日", and no "已逾期" for a step the new date has not reached is ever recorded);
 * - the others stay under the old date, as the history of what was sent; the new date's steps go
 *   out when their day comes (a "今天到期" sent on a day that turned out a holiday is sent again on
 *   the real last day);
 * - if the new date already holds that step (the deadline moved back and forth), the old row stays.
 *
 * The scan itself sends only the latest step reached on a day, so no step is sent as a backlog.
 */

export interface RecordedReminder {
  id: number;
  caseId: number;
  kind: string;
  dueDate: IsoDate;
  step: string;
}

export interface MovedDeadline {
  caseId: number;
  caseNo: string;
  kind: string;
  from: IsoDate;
  to: IsoDate;
}

export interface Rekey {
  id: number;
  caseNo: string;
  kind: string;
  step: string;
  from: IsoDate;
  to: IsoDate;
}

export interface FollowPlan {
  /** Reminders recorded under the old dates of the moved deadlines. */
  checked: number;
  /** Re-keyed to the new date (said already). */
  rekey: Rekey[];
  /** Left under the old date; the new date's step goes out when reached. */
  kept: number;
  /** Left under the old date because the new date already holds the step. */
  alreadyRecorded: number;
}

const key = (caseId: number, kind: string, due: IsoDate, step: string) => `${caseId}|${kind}|${due}|${step}`;

/** Applies the rule above; `days` is the new calendar, `today` the import's Shanghai date. */
export function planReminderFollow(
  moves: readonly MovedDeadline[],
  recorded: readonly RecordedReminder[],
  today: IsoDate,
  days: WorkingDays,
  policy: ReminderPolicy,
): FollowPlan {
  const keys = new Set(recorded.map((r) => key(r.caseId, r.kind, r.dueDate, r.step)));
  const byOld = new Map<string, RecordedReminder[]>();
  for (const r of recorded) {
    const k = `${r.caseId}|${r.kind}|${r.dueDate}`;
    const list = byOld.get(k);
    if (list) list.push(r);
    else byOld.set(k, [r]);
  }
  const plan: FollowPlan = { checked: 0, rekey: [], kept: 0, alreadyRecorded: 0 };
  for (const m of moves) {
    for (const r of byOld.get(`${m.caseId}|${m.kind}|${m.from}`) ?? []) {
      plan.checked++;
      const step = stepOf(r.step, m.to, days, policy);
      if (!step || step.date > today) {
        plan.kept++;
      } else if (keys.has(key(m.caseId, m.kind, m.to, r.step))) {
        plan.alreadyRecorded++;
      } else {
        keys.add(key(m.caseId, m.kind, m.to, r.step));
        plan.rekey.push({ id: r.id, caseNo: m.caseNo, kind: m.kind, step: r.step, from: m.from, to: m.to });
      }
    }
  }
  return plan;
}
