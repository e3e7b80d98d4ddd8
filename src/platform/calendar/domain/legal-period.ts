import { addDays, IsoDate, parseIsoDate, yearOf } from './dates';
import { HolidayCalendar, UnknownYearError } from './holiday-calendar';

export interface PeriodOptions {
  /**
   * Whether an ordinary weekend counts as a 法定休假日 when the last day falls on it. Common
   * practice says yes; it is not settled nationally, so it is a setting (default true).
   */
  rollOverWeekends: boolean;
  /**
   * Outside the years the calendar knows, answer from weekends alone and mark the result
   * provisional, instead of throwing. Callers that accept this must show the warning.
   */
  allowProvisional?: boolean;
}

export interface PeriodEnd {
  /** The last day of the period; it ends at 24:00 of this day. */
  lastDay: IsoDate;
  /** trigger + days, before any roll-forward. */
  nominalLastDay: IsoDate;
  /** Days the last day moved forward because it was a rest day. */
  rolledOverDays: number;
  /** True when a year without holiday data was involved: the answer is an estimate. */
  provisional: boolean;
  /** Years without holiday data that the answer touched. */
  unknownYears: number[];
}

export class InvalidPeriodError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidPeriodError';
  }
}

/**
 * The last day of a period counted in days, per 《民法典》 arts. 201–203: counting starts the day
 * after the triggering day; when the last day is a statutory rest day, the period ends on the
 * first day after it. A 调休 make-up working day is a working day and ends the period.
 */
export function legalPeriodEnd(trigger: IsoDate, days: number, cal: HolidayCalendar, opts: PeriodOptions): PeriodEnd {
  const start = parseIsoDate(trigger);
  if (!Number.isInteger(days) || days <= 0) throw new InvalidPeriodError(`期间天数必须是正整数，收到“${days}”`);
  if (days > 3650) throw new InvalidPeriodError(`期间天数 ${days} 过长（最多 3650 天）`);

  const nominal = addDays(start, days);
  const unknown = new Set<number>();
  const kind = (d: IsoDate) => {
    if (cal.isKnown(d)) return cal.dayKind(d);
    if (!opts.allowProvisional) throw new UnknownYearError(yearOf(d));
    unknown.add(yearOf(d));
    return cal.dayKindAssumingWeekends(d);
  };
  const isRest = (d: IsoDate) => {
    const k = kind(d);
    if (k === 'holiday') return true;
    return k === 'weekend' && opts.rollOverWeekends;
  };

  let last = nominal;
  while (isRest(last)) last = addDays(last, 1);
  return {
    lastDay: last,
    nominalLastDay: nominal,
    rolledOverDays: Math.round((Date.parse(last) - Date.parse(nominal)) / 86_400_000),
    provisional: unknown.size > 0,
    unknownYears: [...unknown].sort(),
  };
}

/** The last day of a period of n working days (工作日) after the trigger. */
export function workingDayPeriodEnd(trigger: IsoDate, workingDays: number, cal: HolidayCalendar): IsoDate {
  const start = parseIsoDate(trigger);
  if (!Number.isInteger(workingDays) || workingDays <= 0) {
    throw new InvalidPeriodError(`工作日天数必须是正整数，收到“${workingDays}”`);
  }
  return cal.addWorkingDays(start, workingDays);
}
