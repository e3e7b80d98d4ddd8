import { addDays, HolidayCalendar, IsoDate, weekday } from '../../platform/calendar/domain';
import type { Period } from './periods';
import type { Unavailability } from './types';

/**
 * Days off fixed by date in 《全国年节及纪念日放假办法》 (元旦, 劳动节, 国庆节). In a year without the
 * State Council's notice these at least are known; the lunar holidays and 调休 are not.
 */
const FIXED_DATE_HOLIDAYS = ['01-01', '05-01', '05-02', '10-01', '10-02', '10-03'];

/** The days of the plan year as indexes, so the hot loop touches typed arrays, not strings. */
export interface YearDays {
  dates: IsoDate[];
  /** Whether a session may be placed on the day: a working day, not before fromDate. */
  working: boolean[];
  /** 1 (Monday) … 7 (Sunday). */
  isoWeekday: number[];
  index: Map<IsoDate, number>;
}

export function yearDays(year: number, calendar: HolidayCalendar, provisional: boolean, fromDate: IsoDate): YearDays {
  const dates: IsoDate[] = [];
  for (let d = `${year}-01-01`; d.startsWith(String(year)); d = addDays(d, 1)) dates.push(d);
  const working = dates.map((d) => {
    if (d < fromDate) return false;
    if (provisional && FIXED_DATE_HOLIDAYS.includes(d.slice(5))) return false;
    return calendar.isWorkingDayOrEstimate(d);
  });
  return { dates, working, isoWeekday: dates.map((d) => weekday(d) || 7), index: new Map(dates.map((d, i) => [d, i])) };
}

/** The days of a period a rule may use: working, and on the rule's weekdays if it names any. */
export function usableDays(days: YearDays, p: Period, weekdays: number[] | undefined): number[] {
  const out: number[] = [];
  const n = days.dates.length;
  for (let i = days.index.get(p.start)!; i < n && days.dates[i] <= p.end; i++) {
    if (days.working[i] && (!weekdays || weekdays.includes(days.isoWeekday[i]))) out.push(i);
  }
  return out;
}

/** Who and what is taken on each day of the year: leaders busy or away, sessions per venue and per day. */
export class Occupancy {
  private readonly busy = new Map<string, Uint8Array>();
  private readonly away = new Map<string, Uint8Array>();
  private readonly venueLoad = new Map<string, Uint16Array>();
  private readonly none: Uint8Array;
  /** Sessions on each day, all venues together. */
  readonly dayLoad: Uint16Array;

  private readonly nDays: number;

  constructor(days: YearDays, leaves: Unavailability[]) {
    const nDays = days.dates.length;
    this.nDays = nDays;
    this.none = new Uint8Array(nDays);
    this.dayLoad = new Uint16Array(nDays);
    for (const u of leaves) {
      const a = this.away.get(u.leaderId) ?? new Uint8Array(nDays);
      this.away.set(u.leaderId, a);
      for (let i = 0; i < nDays; i++) if (days.dates[i] >= u.from && days.dates[i] <= u.to) a[i] = 1;
    }
  }

  busyOf(id: string): Uint8Array {
    let a = this.busy.get(id);
    if (!a) this.busy.set(id, (a = new Uint8Array(this.nDays)));
    return a;
  }

  awayOf(id: string): Uint8Array {
    return this.away.get(id) ?? this.none;
  }

  venueLoadOf(id: string): Uint16Array {
    let a = this.venueLoad.get(id);
    if (!a) this.venueLoad.set(id, (a = new Uint16Array(this.nDays)));
    return a;
  }

  /** A session on day i: its leaders are busy, its venue and the day one session fuller. */
  occupy(leaderIds: string[], venueId: string, i: number): void {
    for (const l of leaderIds) this.busyOf(l)[i] = 1;
    this.venueLoadOf(venueId)[i]++;
    this.dayLoad[i]++;
  }
}
