import { addDays, IsoDate } from './dates';
import type { HolidayCalendar } from './holiday-calendar';

/**
 * The days whose answer differs between two calendars, over the given years, sorted: working or
 * not (estimated from weekends where a year is unknown), or known or not.
 */
export function changedDays(before: HolidayCalendar, after: HolidayCalendar, years: Iterable<number>): IsoDate[] {
  const out: IsoDate[] = [];
  for (const year of [...new Set(years)].sort((a, b) => a - b)) {
    const prefix = String(year);
    for (let d = `${prefix}-01-01`; d.startsWith(prefix); d = addDays(d, 1)) {
      if (before.isKnown(d) !== after.isKnown(d) || before.isWorkingDayOrEstimate(d) !== after.isWorkingDayOrEstimate(d)) out.push(d);
    }
  }
  return out;
}
