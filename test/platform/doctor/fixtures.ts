import { addDays, chineseDaysData, HolidayCalendar, IsoDate, weekday } from '../../../src/platform/calendar/domain';

/**
 * The last year the packaged holiday data knows, whose next year it does not: the doctor's
 * "next year missing" case, whatever year the data reaches when the tests run.
 */
export function lastKnownYear(): number {
  const cal = new HolidayCalendar(chineseDaysData());
  for (let y = 2024; y < 2100; y++) if (cal.isKnown(`${y}-01-01`) && !cal.isKnown(`${y + 1}-01-01`)) return y;
  throw new Error('no known year followed by an unknown one');
}

/** The first Monday on or after a date. */
export function mondayFrom(date: IsoDate): IsoDate {
  return addDays(date, (8 - weekday(date)) % 7);
}
