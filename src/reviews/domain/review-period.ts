import type { IsoDate } from '../../platform/calendar/domain/dates';

/** A stretch of days, both ends included, and how a person says it. */
export interface ReviewPeriod {
  from: IsoDate;
  to: IsoDate;
  label: string;
}

const QUARTER_WORDS: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, '1': 1, '2': 2, '3': 3, '4': 4 };
const pad = (n: number) => String(n).padStart(2, '0');
const lastDay = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();
const validYear = (y: number) => y >= 2000 && y <= 2100;

function month(y: number, m: number): ReviewPeriod {
  return { from: `${y}-${pad(m)}-01`, to: `${y}-${pad(m)}-${pad(lastDay(y, m))}`, label: `${y}年${m}月` };
}

function quarter(y: number, q: number): ReviewPeriod {
  const first = (q - 1) * 3 + 1;
  return { from: `${y}-${pad(first)}-01`, to: `${y}-${pad(first + 2)}-${pad(lastDay(y, first + 2))}`, label: `${y}年第${'一二三四'[q - 1]}季度` };
}

const year = (y: number): ReviewPeriod => ({ from: `${y}-01-01`, to: `${y}-12-31`, label: `${y}年` });

/** A real calendar day written YYYY-MM-DD (or with / or .). */
function day(s: string): IsoDate | null {
  const m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(s.trim());
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (!validYear(y) || mo < 1 || mo > 12 || d < 1 || d > lastDay(y, mo)) return null;
  return `${y}-${pad(mo)}-${pad(d)}`;
}

function relative(t: string, today: IsoDate): ReviewPeriod | null {
  const [ty, tm] = [Number(today.slice(0, 4)), Number(today.slice(5, 7))];
  if (t === '本月') return month(ty, tm);
  if (t === '上月') return tm === 1 ? month(ty - 1, 12) : month(ty, tm - 1);
  if (t === '今年' || t === '本年') return year(ty);
  if (t === '去年') return year(ty - 1);
  if (t === '本季度') return quarter(ty, Math.ceil(tm / 3));
  return null;
}

/**
 * Reads a period as people write it: 2026-10, 2026年10月, 2026Q3, 2026年第三季度, 2026, 2026年,
 * 2026-07-01..2026-09-30 (or 至/到 between), 本月, 上月, 本季度, 今年, 去年. Null when it is none of these.
 */
export function parseReviewPeriod(input: string, today: IsoDate): ReviewPeriod | null {
  const t = input.trim().replace(/\s+/g, '');
  if (!t) return null;
  const rel = relative(t, today);
  if (rel) return rel;
  let m = /^(\d{4})[-年./](\d{1,2})月?$/.exec(t);
  if (m && validYear(Number(m[1])) && Number(m[2]) >= 1 && Number(m[2]) <= 12) return month(Number(m[1]), Number(m[2]));
  m = /^(\d{4})(?:[Qq]([1-4])|年?第([一二三四1-4])季度?)$/.exec(t);
  if (m && validYear(Number(m[1]))) return quarter(Number(m[1]), QUARTER_WORDS[m[2] ?? m[3]]);
  m = /^(\d{4})年?$/.exec(t);
  if (m && validYear(Number(m[1]))) return year(Number(m[1]));
  m = /^(.+?)(?:\.\.|至|到|~)(.+)$/.exec(t);
  if (m) {
    const [from, to] = [day(m[1]), day(m[2])];
    if (from && to && from <= to) return { from, to, label: `${from}至${to}` };
  }
  return null;
}

export const PERIOD_HELP = '可以写：2026-10、2026Q3、2026年第三季度、2026、2026-07-01..2026-09-30、本月、上月、今年';
