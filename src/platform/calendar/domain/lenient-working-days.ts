import { IsoDate, yearOf } from './dates';
import { WorkingDayArithmetic } from './working-day-arithmetic';
import type { HolidayCalendar } from './holiday-calendar';

/**
 * Working-day arithmetic for reminders, over the legal calendar. Unlike HolidayCalendar it does
 * not stop at a year without holiday data: a reminder late in December must still go out. Such a
 * year is read as plain weekdays/weekends, and `unknownYearsSeen` says so, so the caller can warn.
 */
export class WorkingDays extends WorkingDayArithmetic {
  private readonly memo = new Map<IsoDate, boolean>();
  readonly unknownYearsSeen = new Set<number>();

  constructor(private readonly cal: HolidayCalendar) {
    super();
  }

  override isWorkingDay(date: IsoDate): boolean {
    let w = this.memo.get(date);
    if (w === undefined) {
      if (!this.cal.isKnown(date)) this.unknownYearsSeen.add(yearOf(date));
      w = this.cal.isWorkingDayOrEstimate(date);
      this.memo.set(date, w);
    }
    return w;
  }

  /** Whether the date's year has no holiday data (the answer is a weekday/weekend estimate). */
  isEstimate(date: IsoDate): boolean {
    return !this.cal.isKnown(date);
  }
}
