import { addDays, IsoDate, weekday } from '../calendar';

export type PeriodKind = 'week' | 'month' | 'quarter' | 'year';

/** A stretch of the plan year over which a rule counts its days. */
export interface Period {
  kind: PeriodKind;
  index: number;
  start: IsoDate;
  end: IsoDate;
  label: string;
}

const md = (d: IsoDate) => `${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`;

/**
 * The periods of a year. Weeks run Monday to Sunday, clipped to the year, so the first and the
 * last week of a year may be short; week 1 is the one holding 1 January.
 */
export function periodsOfYear(year: number, kind: PeriodKind): Period[] {
  const first = `${year}-01-01`;
  const last = `${year}-12-31`;
  const out: Period[] = [];
  if (kind === 'year') return [{ kind, index: 0, start: first, end: last, label: `${year}年` }];
  if (kind === 'month' || kind === 'quarter') {
    const step = kind === 'month' ? 1 : 3;
    for (let m = 1, i = 0; m <= 12; m += step, i++) {
      const start = `${year}-${String(m).padStart(2, '0')}-01`;
      const next = m + step > 12 ? `${year + 1}-01-01` : `${year}-${String(m + step).padStart(2, '0')}-01`;
      out.push({ kind, index: i, start, end: addDays(next, -1), label: kind === 'month' ? `${year}年${m}月` : `${year}年第${i + 1}季度` });
    }
    return out;
  }
  let start = first;
  for (let i = 0; start <= last; i++) {
    const toSunday = (7 - weekday(start)) % 7;
    let end = addDays(start, toSunday);
    if (end > last) end = last;
    out.push({ kind, index: i, start, end, label: `${year}年第${i + 1}周（${md(start)}—${md(end)}）` });
    start = addDays(end, 1);
  }
  return out;
}
