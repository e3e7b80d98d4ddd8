import { addDays, IsoDate, yearOf } from '../calendar/dates';
import type { HolidayCalendar } from '../calendar/holiday-calendar';

/**
 * Working-day arithmetic for reminders, over the legal calendar. Unlike HolidayCalendar it does
 * not stop at a year without holiday data: a reminder late in December must still go out. Such a
 * year is read as plain weekdays/weekends, and `unknownYearsSeen` says so, so the caller can warn.
 */
export class WorkingDays {
  private readonly memo = new Map<IsoDate, boolean>();
  readonly unknownYearsSeen = new Set<number>();

  constructor(private readonly cal: HolidayCalendar) {}

  isWorkingDay(date: IsoDate): boolean {
    let w = this.memo.get(date);
    if (w === undefined) {
      let kind;
      if (this.cal.isKnown(date)) {
        kind = this.cal.dayKind(date);
      } else {
        this.unknownYearsSeen.add(yearOf(date));
        kind = this.cal.dayKindAssumingWeekends(date);
      }
      w = kind === 'workday' || kind === 'makeup-workday';
      this.memo.set(date, w);
    }
    return w;
  }

  /** Whether the date's year has no holiday data (the answer is a weekday/weekend estimate). */
  isEstimate(date: IsoDate): boolean {
    return !this.cal.isKnown(date);
  }

  /** The first working day strictly after `date`. */
  nextWorkingDay(date: IsoDate): IsoDate {
    let d = addDays(date, 1);
    while (!this.isWorkingDay(d)) d = addDays(d, 1);
    return d;
  }

  /** `date` itself when it is a working day, otherwise the last working day before it. */
  workingDayOnOrBefore(date: IsoDate): IsoDate {
    let d = date;
    while (!this.isWorkingDay(d)) d = addDays(d, -1);
    return d;
  }

  /** The n-th working day after `date` (n > 0), or before it (n < 0); `date` for 0. */
  addWorkingDays(date: IsoDate, n: number): IsoDate {
    let d = date;
    const step = n >= 0 ? 1 : -1;
    for (let left = Math.abs(n); left > 0; ) {
      d = addDays(d, step);
      if (this.isWorkingDay(d)) left--;
    }
    return d;
  }

  /** Working days strictly after a, up to and including b (negative when b < a). */
  workingDaysBetween(a: IsoDate, b: IsoDate): number {
    if (a === b) return 0;
    if (b < a) return -this.workingDaysBetween(b, a);
    let n = 0;
    for (let d = addDays(a, 1); d <= b; d = addDays(d, 1)) if (this.isWorkingDay(d)) n++;
    return n;
  }
}
