import { IsoDate, shanghaiDate, shanghaiInstant, shanghaiTime } from '../../platform/calendar/domain/dates';
import type { WorkingDays } from '../../platform/calendar/domain/lenient-working-days';

/** Office hours, Asia/Shanghai wall clock ('HH:MM'); start inclusive, end exclusive. */
export interface WorkingHours {
  start: string;
  end: string;
}

/** Whether an instant falls in office hours on a working day: the only time reminders go out. */
export function isWorkingTime(instant: Date, days: WorkingDays, hours: WorkingHours): boolean {
  const t = shanghaiTime(instant);
  return t >= hours.start && t < hours.end && days.isWorkingDay(shanghaiDate(instant));
}

/**
 * The instant itself in office hours; otherwise the start of the next working morning (today's,
 * when it is a working day and the office has not opened yet). Nobody is woken at midnight.
 */
export function nextWorkingTime(instant: Date, days: WorkingDays, hours: WorkingHours): Date {
  if (isWorkingTime(instant, days, hours)) return instant;
  const date = shanghaiDate(instant);
  if (days.isWorkingDay(date) && shanghaiTime(instant) < hours.start) return shanghaiInstant(date, hours.start);
  return shanghaiInstant(days.nextWorkingDay(date), hours.start);
}

/** The instant a day's reminder falls due: `at` on that date, moved into office hours. */
export function dueInstant(date: IsoDate, at: string, days: WorkingDays, hours: WorkingHours): Date {
  return nextWorkingTime(shanghaiInstant(date, at), days, hours);
}

/** Validates an office-hours pair; a mistake here would silence every reminder. */
export function checkWorkingHours(hours: WorkingHours): void {
  const ok = /^([01]\d|2[0-3]):[0-5]\d$/;
  if (!ok.test(hours.start) || !ok.test(hours.end) || hours.start >= hours.end) {
    throw new Error(`工作时间设置有误：${hours.start}–${hours.end}（WORK_HOURS_START 应早于 WORK_HOURS_END，格式 HH:MM）`);
  }
}
