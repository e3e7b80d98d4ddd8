import { addDays, chineseDaysData, HolidayCalendar, HolidayOverride, IsoDate } from '../../src/platform/calendar/domain';

/**
 * A year's arrangement as the State Council's notice would give it, for the tests (fictional: 元旦
 * 1–3 January, 春节 6–14 February — in 2027 the whole week of Monday 8 February — with 调休 on
 * 20 February, 清明 3–5 April, 劳动节 1–5 May, 端午 9 June, 中秋 15 September, 国庆 1–7 October).
 */
export function holidayFileOf(year: number) {
  const on = (md: string, n: number, name: string) => span(`${year}-${md}`, n).map((date) => ({ date, name }));
  return {
    years: [year],
    holidays: [
      ...on('01-01', 3, '元旦'), ...on('02-06', 9, '春节'), ...on('04-03', 3, '清明节'), ...on('05-01', 5, '劳动节'),
      ...on('06-09', 1, '端午节'), ...on('09-15', 1, '中秋节'), ...on('10-01', 7, '国庆节'),
    ],
    workdays: ['02-20', '04-25', '09-26', '10-09'].map((md) => `${year}-${md}`),
  };
}

/** The packaged calendar with the file's year added, as it is after the import. */
export function calendarWith(file: ReturnType<typeof holidayFileOf>): HolidayCalendar {
  const overrides: HolidayOverride[] = [
    ...file.holidays.map((h) => ({ date: h.date, kind: 'holiday' as const, name: h.name })),
    ...file.workdays.map((date) => ({ date, kind: 'workday' as const })),
  ];
  return new HolidayCalendar(chineseDaysData(), overrides, file.years);
}

/** The days whose answer differs between two calendars (working or not, known or not), as a holiday import reports them. */
export function changedDaysOf(before: HolidayCalendar, after: HolidayCalendar, years: number[]): IsoDate[] {
  const out: IsoDate[] = [];
  for (const y of years) {
    for (let d = `${y}-01-01`; d.startsWith(String(y)); d = addDays(d, 1)) {
      if (before.isKnown(d) !== after.isKnown(d) || before.isWorkingDayOrEstimate(d) !== after.isWorkingDayOrEstimate(d)) out.push(d);
    }
  }
  return out;
}

function span(from: IsoDate, n: number): IsoDate[] {
  return Array.from({ length: n }, (_, i) => addDays(from, i));
}
