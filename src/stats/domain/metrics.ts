import type { IsoDate } from '../../platform/calendar/domain';
import type { StatsCaseRow } from '../../cases';

export type { StatsCaseRow };

/**
 * The figures the bureau reports (monthly, yearly), defined once. Rates are computed over the
 * cases whose deadline fell due in the period, so a case still inside its period counts
 * neither for nor against the bureau.
 */
export interface Period {
  from: IsoDate;
  to: IsoDate;
  label: string;
}

export interface RateFigure {
  /** Met on time. */
  onTime: number;
  /** Fell due in the period (met on time, late, or still open past the due day). */
  due: number;
  /** onTime / due, or null when nothing fell due. */
  rate: number | null;
}

export interface PeriodStats {
  period: Period;
  registered: number;
  groupVisits: number;
  repeatPetitions: number;
  /**
   * 匿名 or 身份不明 petitions (来信, 网上信访, 电话 without ID number and phone), counted apart.
   * Always set by computeStats (optional only for figures built by hand).
   */
  anonymous?: number;
  supervised: number;
  byChannel: Array<[string, number]>;
  byCategory: Array<[string, number]>;
  byTown: Array<[string, number]>;
  /** 及时受理率: 受理/不予受理/转送/交办 within 15 days (条例 art. 22). */
  timelyDecision: RateFigure;
  /** 按期办结率: concluded within the conclusion period (art. 34, with any extension). */
  timelyConclusion: RateFigure;
  concluded: number;
}

const inPeriod = (d: IsoDate | null, p: Period) => d !== null && d >= p.from && d <= p.to;

function rate(rows: StatsCaseRow[], p: Period, today: IsoDate, due: (r: StatsCaseRow) => IsoDate | null, done: (r: StatsCaseRow) => IsoDate | null): RateFigure {
  let onTime = 0;
  let count = 0;
  for (const r of rows) {
    const d = due(r);
    if (!inPeriod(d, p)) continue;
    const at = done(r);
    if (at === null && d! >= today) continue; // still inside its period
    count++;
    if (at !== null && at <= d!) onTime++;
  }
  return { onTime, due: count, rate: count ? onTime / count : null };
}

function tally(rows: StatsCaseRow[], key: (r: StatsCaseRow) => string): Array<[string, number]> {
  const m = new Map<string, number>();
  for (const r of rows) m.set(key(r), (m.get(key(r)) ?? 0) + 1);
  return [...m.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0], 'zh-CN'));
}

export function computeStats(rows: StatsCaseRow[], period: Period, today: IsoDate): PeriodStats {
  const registered = rows.filter((r) => inPeriod(r.receivedDate, period));
  return {
    period,
    registered: registered.length,
    groupVisits: registered.filter((r) => r.isGroup).length,
    repeatPetitions: registered.filter((r) => r.repeat).length,
    anonymous: registered.filter((r) => r.anonymous === true).length,
    supervised: registered.filter((r) => r.supervised).length,
    byChannel: tally(registered, (r) => r.channel),
    byCategory: tally(registered, (r) => r.category),
    byTown: tally(registered, (r) => r.town),
    timelyDecision: rate(rows, period, today, (r) => r.decisionDue, (r) => r.decidedDate),
    timelyConclusion: rate(rows, period, today, (r) => r.conclusionDue, (r) => r.repliedDate),
    concluded: rows.filter((r) => inPeriod(r.repliedDate, period)).length,
  };
}

export function formatRate(f: RateFigure): string {
  if (f.rate === null) return '—（本期无到期事项）';
  const pct = Math.round(f.rate * 1000) / 10;
  return `${pct}%（${f.onTime}/${f.due}）`;
}

/** Reads what a person asks for: 本月, 上月, 今年, 2026, 2026-10, 2026年10月 (empty = this month). */
export function parsePeriod(input: string, today: IsoDate): Period | null {
  const t = input.trim();
  const [ty, tm] = [Number(today.slice(0, 4)), Number(today.slice(5, 7))];
  const month = (y: number, m: number): Period => {
    const from = `${y}-${String(m).padStart(2, '0')}-01`;
    const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
    return { from, to: `${from.slice(0, 8)}${String(last).padStart(2, '0')}`, label: `${y}年${m}月` };
  };
  const year = (y: number): Period => ({ from: `${y}-01-01`, to: `${y}-12-31`, label: `${y}年` });
  if (t === '' || t === '本月') return month(ty, tm);
  if (t === '上月') return tm === 1 ? month(ty - 1, 12) : month(ty, tm - 1);
  if (t === '今年' || t === '本年') return year(ty);
  if (t === '去年') return year(ty - 1);
  let m = /^(\d{4})\s*[-年./]\s*(\d{1,2})\s*月?$/.exec(t);
  if (m && Number(m[2]) >= 1 && Number(m[2]) <= 12 && Number(m[1]) >= 2000) return month(Number(m[1]), Number(m[2]));
  m = /^(\d{4})\s*年?$/.exec(t);
  if (m && Number(m[1]) >= 2000 && Number(m[1]) <= 2100) return year(Number(m[1]));
  return null;
}
