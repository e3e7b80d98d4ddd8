import { addDays, IsoDate } from './dates';

/**
 * Counting over working days, given what a working day is. The legal calendar (strict: unknown
 * years throw) and the reminders' calendar (lenient: unknown years read as weekdays) share it.
 */
export abstract class WorkingDayArithmetic {
  abstract isWorkingDay(date: IsoDate): boolean;

  /** The first working day strictly after `date`. */
  nextWorkingDay(date: IsoDate): IsoDate {
    let d = addDays(date, 1);
    while (!this.isWorkingDay(d)) d = addDays(d, 1);
    return d;
  }

  /** `date` itself when it is a working day, otherwise the next one. */
  workingDayOnOrAfter(date: IsoDate): IsoDate {
    return this.isWorkingDay(date) ? date : this.nextWorkingDay(date);
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

  /** Working days strictly after a and up to and including b (negative when b < a). */
  workingDaysBetween(a: IsoDate, b: IsoDate): number {
    if (a === b) return 0;
    if (b < a) return -this.workingDaysBetween(b, a);
    let n = 0;
    for (let d = addDays(a, 1); d <= b; d = addDays(d, 1)) if (this.isWorkingDay(d)) n++;
    return n;
  }
}
