import { addDays, IsoDate, weekday } from '../../platform/calendar/domain';

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

/**
 * A week cut short by the turn of the year that leaves a rule far fewer usable days than its
 * usual week (2026: 1–3 January are holidays and Sunday 4 January is the 调休 working day: one day
 * where a week has five) is joined to the next week (at the end of the year, to the previous one).
 * Otherwise every leader of a weekly rule would be put on that one day. A rule that uses one
 * weekday only has one usable day in every week, so its edge weeks stay as they are.
 * `days[i]` are the usable days of `periods[i]`; both come back joined and indexed again.
 */
export function joinThinEdgeWeeks<D>(periods: Period[], days: D[][], year: number): { periods: Period[]; days: D[][] } {
  if (periods.length < 3 || periods[0].kind !== 'week') return { periods, days };
  const ps = [...periods];
  const ds = [...days];
  // The usual number of usable days in a week of this rule: the median of the inner weeks.
  const inner = ds.slice(1, -1).map((d) => d.length).sort((a, b) => a - b);
  const usual = inner[Math.floor(inner.length / 2)];
  const thin = (i: number) => ds[i].length > 0 && ds[i].length * 3 <= usual;
  // The label keeps the weeks' own numbers (第1—2周), so the later weeks keep theirs.
  const joined = (a: Period, b: Period): Period => ({
    ...a, end: b.end, label: `${year}年第${a.index + 1}—${b.index + 1}周（${md(a.start)}—${md(b.end)}）`,
  });
  if (thin(0) && weekday(ps[0].start) !== 1) {
    ps.splice(0, 2, joined(ps[0], ps[1]));
    ds.splice(0, 2, [...ds[0], ...ds[1]]);
  }
  const last = ps.length - 1;
  if (thin(last) && weekday(ps[last].end) !== 0) {
    ps.splice(last - 1, 2, joined(ps[last - 1], ps[last]));
    ds.splice(last - 1, 2, [...ds[last - 1], ...ds[last]]);
  }
  return { periods: ps.map((p, i) => ({ ...p, index: i })), days: ds };
}
