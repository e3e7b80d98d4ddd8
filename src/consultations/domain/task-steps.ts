import { IsoDate, shanghaiDate, shanghaiTime } from '../../platform/calendar/domain/dates';
import type { WorkingDayArithmetic } from '../../platform/calendar/domain/working-day-arithmetic';

/** A task's reminder: once shortly before it is due, and once when it is overdue. */
export type TaskStep = 'before' | 'overdue';
export const TASK_STEP_LABELS: Record<TaskStep, string> = { before: '即将到期', overdue: '已逾期' };

/** Working days before the due date that the first reminder goes out. */
export const BEFORE_WORKING_DAYS = 1;

/**
 * The step an open task has reached on `today` (a working day), or null: `before` from
 * BEFORE_WORKING_DAYS working days ahead of the due date through the due day itself, `overdue`
 * from the day after. Each step is sent once (the caller keys it per task and step), so a task
 * first seen overdue gets only the overdue reminder.
 */
export function taskStep(today: IsoDate, dueDate: IsoDate, days: WorkingDayArithmetic): TaskStep | null {
  if (today > dueDate) return 'overdue';
  const from = days.addWorkingDays(days.workingDayOnOrBefore(dueDate), -BEFORE_WORKING_DAYS);
  return today >= from ? 'before' : null;
}

/** Office hours, Asia/Shanghai ('HH:MM'; start inclusive, end exclusive). */
export interface OfficeHours {
  start: string;
  end: string;
}

/** Whether an instant is in office hours on a working day: the only time task reminders go out. */
export function isOfficeTime(instant: Date, days: WorkingDayArithmetic, hours: OfficeHours): boolean {
  const t = shanghaiTime(instant);
  return t >= hours.start && t < hours.end && days.isWorkingDay(shanghaiDate(instant));
}
