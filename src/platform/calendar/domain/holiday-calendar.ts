import { IsoDate, isWeekend, parseIsoDate, yearOf } from './dates';
import { WorkingDayArithmetic } from './working-day-arithmetic';

/** What kind of day a date is in mainland China. */
export type DayKind = 'workday' | 'weekend' | 'holiday' | 'makeup-workday';

/** Official arrangements for whole years: days off and 调休 make-up working days. */
export interface HolidayData {
  years: number[];
  holidays: IsoDate[];
  workdays: IsoDate[];
  /** Optional names, e.g. '2026-10-01' -> '国庆节'. */
  names?: Record<IsoDate, string>;
}

/** One admin correction: a day declared off or working. */
export interface HolidayOverride {
  date: IsoDate;
  kind: 'holiday' | 'workday';
  name?: string;
}

export class UnknownYearError extends Error {
  constructor(public readonly year: number) {
    super(
      `没有 ${year} 年的节假日安排数据，无法确定该年的工作日与法定休假日。` +
        // Read in chat too: plain words, no command line.
        `请系统管理员在国务院办公厅通知发布后，在服务器上导入 ${year} 年的节假日安排。`,
    );
    this.name = 'UnknownYearError';
  }
}

/**
 * Working days of mainland China for the years it has data for. A date in any other year
 * raises UnknownYearError: a missing State Council notice must never pass for "no holidays".
 */
export class HolidayCalendar extends WorkingDayArithmetic {
  private readonly years: Set<number>;
  private readonly holidays: Set<IsoDate>;
  private readonly workdays: Set<IsoDate>;
  private readonly names: Map<IsoDate, string>;

  constructor(base: HolidayData, overrides: HolidayOverride[] = [], extraYears: number[] = []) {
    super();
    this.years = new Set([...base.years, ...extraYears]);
    this.holidays = new Set(base.holidays);
    this.workdays = new Set(base.workdays);
    this.names = new Map(Object.entries(base.names ?? {}));
    for (const o of overrides) {
      const d = parseIsoDate(o.date);
      if (o.kind === 'holiday') {
        this.holidays.add(d);
        this.workdays.delete(d);
      } else {
        this.workdays.add(d);
        this.holidays.delete(d);
      }
      if (o.name) this.names.set(d, o.name);
    }
  }

  knownYears(): number[] {
    return [...this.years].sort((a, b) => a - b);
  }

  isKnown(date: IsoDate): boolean {
    return this.years.has(yearOf(date));
  }

  /** Throws UnknownYearError outside the known years. */
  dayKind(date: IsoDate): DayKind {
    if (!this.isKnown(date)) throw new UnknownYearError(yearOf(date));
    return this.dayKindAssumingWeekends(date);
  }

  /**
   * The kind of a day where the data is known, and a plain weekday/weekend reading where it
   * is not. Only for callers that then say loudly that the answer is provisional.
   */
  dayKindAssumingWeekends(date: IsoDate): DayKind {
    if (this.workdays.has(date)) return isWeekend(date) ? 'makeup-workday' : 'workday';
    if (this.holidays.has(date)) return 'holiday';
    return isWeekend(date) ? 'weekend' : 'workday';
  }

  /**
   * Whether a day is a working day, read from weekends alone in a year without holiday data. The one
   * place that estimates: callers must mark such answers provisional (isKnown says when).
   */
  isWorkingDayOrEstimate(date: IsoDate): boolean {
    const k = this.dayKindAssumingWeekends(date);
    return k === 'workday' || k === 'makeup-workday';
  }

  override isWorkingDay(date: IsoDate): boolean {
    const k = this.dayKind(date);
    return k === 'workday' || k === 'makeup-workday';
  }

  holidayName(date: IsoDate): string | undefined {
    return this.names.get(date);
  }
}
