import { addDays, daysBetween, formatChineseDate, isIsoDate, IsoDate } from '../../platform/calendar/domain/dates';
import type { StatsPeriod } from './stats-report';

/**
 * The periods people ask statistics for: 本月, 上月, 本季度, 上季度, 今年, 去年, 2026, 2026-10,
 * 2026年10月, 2026Q3 (2026q3, 2026-Q3), 2026年第三季度 (三季度, 第3季度), and FROM..TO ranges
 * (2026-03-05..2026-04-08, 2026-03-05至2026-04-08, 3月5日至4月8日 in the current year).
 */

/** What a caller lists when it cannot read a period. */
export const PERIOD_FORMS = '本月、上月、本季度、上季度、今年、去年、2026、2026-10、2026年10月、2026Q3、2026年第三季度、2026-03-05..2026-04-08、3月5日至4月8日';

/** The longest range the statistics read. */
export const MAX_RANGE_YEARS = 10;

const QUARTER_NAMES = ['一', '二', '三', '四'];
const pad = (n: number) => String(n).padStart(2, '0');
const validYear = (y: number) => y >= 2000 && y <= 2100;

export function monthPeriod(y: number, m: number): StatsPeriod {
  const from = `${y}-${pad(m)}-01`;
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { from, to: `${y}-${pad(m)}-${pad(last)}`, label: `${y}年${m}月`, kind: 'month' };
}

export function quarterPeriod(y: number, q: number): StatsPeriod {
  const first = monthPeriod(y, q * 3 - 2);
  const last = monthPeriod(y, q * 3);
  return { from: first.from, to: last.to, label: `${y}年第${QUARTER_NAMES[q - 1]}季度`, kind: 'quarter' };
}

export function yearPeriod(y: number): StatsPeriod {
  return { from: `${y}-01-01`, to: `${y}-12-31`, label: `${y}年`, kind: 'year' };
}

export function rangePeriod(from: IsoDate, to: IsoDate): StatsPeriod {
  return { from, to, label: `${formatChineseDate(from, false)}至${formatChineseDate(to, false)}`, kind: 'range' };
}

type Reading = { period: StatsPeriod } | { refusal: string } | null;

/** Reads a period; null when the words are not one (callers say which forms work, PERIOD_FORMS). */
export function parsePeriod(input: string, today: IsoDate): StatsPeriod | null {
  const r = readPeriod(input, today);
  return r && 'period' in r ? r.period : null;
}

/**
 * Why the words cannot be used as a period, in Chinese, or null when they can: a range ending
 * before it starts or longer than ten years has its own reason; anything else lists the forms.
 */
export function periodError(input: string, today: IsoDate): string | null {
  const r = readPeriod(input, today);
  if (r && 'period' in r) return null;
  if (r) return r.refusal;
  return `看不懂时间段“${input.trim()}”。可以写：${PERIOD_FORMS}`;
}

function readPeriod(input: string, today: IsoDate): Reading {
  const t = input.trim().replace(/\s+/g, ' ');
  const range = /^(.+?)\s*(?:\.\.|至|到|~|～)\s*(.+)$/.exec(t);
  if (range) return readRange(range[1], range[2], today);
  const p = readSingle(t, today);
  return p ? { period: p } : null;
}

function readSingle(t: string, today: IsoDate): StatsPeriod | null {
  const [ty, tm] = [Number(today.slice(0, 4)), Number(today.slice(5, 7))];
  const tq = Math.ceil(tm / 3);
  switch (t) {
    case '':
    case '本月':
      return monthPeriod(ty, tm);
    case '上月':
      return tm === 1 ? monthPeriod(ty - 1, 12) : monthPeriod(ty, tm - 1);
    case '本季度':
    case '本季':
      return quarterPeriod(ty, tq);
    case '上季度':
    case '上季':
      return tq === 1 ? quarterPeriod(ty - 1, 4) : quarterPeriod(ty, tq - 1);
    case '今年':
    case '本年':
      return yearPeriod(ty);
    case '去年':
      return yearPeriod(ty - 1);
  }
  let m = /^(\d{4})\s*[-年./]\s*(\d{1,2})\s*月?$/.exec(t);
  if (m) return validYear(+m[1]) && +m[2] >= 1 && +m[2] <= 12 ? monthPeriod(+m[1], +m[2]) : null;
  m = /^(\d{4})\s*-?\s*[Qq]\s*([1-4])$/.exec(t);
  if (m) return validYear(+m[1]) ? quarterPeriod(+m[1], +m[2]) : null;
  m = /^(\d{4})\s*年\s*第?\s*([1-4一二三四])\s*季度?$/.exec(t);
  if (m) {
    const q = /\d/.test(m[2]) ? Number(m[2]) : QUARTER_NAMES.indexOf(m[2]) + 1;
    return validYear(+m[1]) ? quarterPeriod(+m[1], q) : null;
  }
  m = /^(\d{4})\s*年?$/.exec(t);
  if (m) return validYear(+m[1]) ? yearPeriod(+m[1]) : null;
  return null;
}

/** A day of a range: 2026-03-05, 2026/3/5, 2026年3月5日, or 3月5日 (this year). */
function readDay(s: string, today: IsoDate): IsoDate | null {
  const t = s.trim();
  let y: number;
  let mo: number;
  let d: number;
  let m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?$/.exec(t);
  if (m) [y, mo, d] = [+m[1], +m[2], +m[3]];
  else if ((m = /^(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?$/.exec(t))) [y, mo, d] = [Number(today.slice(0, 4)), +m[1], +m[2]];
  else return null;
  const iso = `${y}-${pad(mo)}-${pad(d)}`;
  return validYear(y) && isIsoDate(iso) ? iso : null;
}

function readRange(a: string, b: string, today: IsoDate): Reading {
  const from = readDay(a, today);
  const to = readDay(b, today);
  if (!from || !to) return null;
  if (to < from) return { refusal: `时间段的结束日（${formatChineseDate(to, false)}）早于开始日（${formatChineseDate(from, false)}），请把较早的日期写在前面` };
  if (to > addDays(addYears(from, MAX_RANGE_YEARS), -1)) return { refusal: `时间段最长${MAX_RANGE_YEARS}年，${formatChineseDate(from, false)}至${formatChineseDate(to, false)}太长了，请分段统计` };
  return { period: rangePeriod(from, to) };
}

function addYears(date: IsoDate, years: number): IsoDate {
  const y = Number(date.slice(0, 4)) + years;
  const md = date.slice(5);
  return md === '02-29' ? `${y}-03-01` : `${y}-${md}`;
}

/** The period right before: the same kind and length (a range: the same number of days, ending the day before). */
export function previousPeriod(p: StatsPeriod): StatsPeriod {
  const y = Number(p.from.slice(0, 4));
  const m = Number(p.from.slice(5, 7));
  switch (p.kind) {
    case 'month':
      return m === 1 ? monthPeriod(y - 1, 12) : monthPeriod(y, m - 1);
    case 'quarter': {
      const q = Math.ceil(m / 3);
      return q === 1 ? quarterPeriod(y - 1, 4) : quarterPeriod(y, q - 1);
    }
    case 'year':
      return yearPeriod(y - 1);
    case 'range': {
      const days = daysBetween(p.from, p.to) + 1;
      const to = addDays(p.from, -1);
      return rangePeriod(addDays(to, -(days - 1)), to);
    }
  }
}

/** Every calendar month a period touches, as 2026-03. */
export function monthsOf(p: StatsPeriod): string[] {
  const out: string[] = [];
  let [y, m] = [Number(p.from.slice(0, 4)), Number(p.from.slice(5, 7))];
  const last = p.to.slice(0, 7);
  for (;;) {
    const key = `${y}-${pad(m)}`;
    out.push(key);
    if (key >= last) return out;
    [y, m] = m === 12 ? [y + 1, 1] : [y, m + 1];
  }
}
