import { addDays, IsoDate } from '../../platform/calendar/domain/dates';
import { MAX_EXTENSION_DAYS } from './case-deadlines';

/**
 * Which stored deadlines a change of the calendar can move, found from the changed days alone, so
 * that a holiday import reads the deadlines that may move and not every case.
 *
 * A period's last day L is found by walking from its nominal last day N (trigger + days) over rest
 * days: the computation reads exactly the days N..L, and L is the first day on or after N that is
 * not a rest day. If none of N..L changed, the new calendar reads the same answers and stops at the
 * same L (and the provisional flag, "one of N..L lies in a year without data", is the same too).
 * If a changed day c lies in N..L, every day from c to L-1 was a rest day, so L is the first
 * non-rest day on or after c, which is at most W(c), the first working day on or after c by the old
 * calendar (a working day is never a rest day, whichever way the weekend setting goes):
 *
 *   a stored deadline can move only if its due date lies in [c, W(c)] for some changed day c.
 *
 * The conclusion period with an extension is two periods: B = the 60 days' last day, then E = B + x
 * days (x ≤ 30, art. 34) rolled over, and only E is stored. A change inside E's own N..E gives
 * E ∈ [c, W(c)] as above. A change inside B's N..B gives B ≤ W(c), so E's nominal day B + x is at
 * most W(c) + 30 and E ≤ W(W(c) + 30), while E > B ≥ c:
 *
 *   an extended conclusion deadline can also move if its due date lies in [c, W(W(c) + 30)].
 *
 * A stored date that was computed by a calendar older than the one in force (an import before this
 * code existed) is not found this way; the provisional ones are read as well for that reason.
 */

export interface DateRange {
  from: IsoDate;
  /** Inclusive. */
  to: IsoDate;
}

export interface DeadlineWindows {
  /** Any open deadline due in these ranges may move. */
  any: DateRange[];
  /** Beyond `any`: an open conclusion deadline with an extension due in these ranges may move. */
  extended: DateRange[];
}

/** No real arrangement has this many rest days in a row; the walk stops there whatever the data says. */
const LONGEST_REST_RUN = 60;

/** The first day on or after `d` that `isWorkingDay` calls a working day. */
export function firstWorkingOnOrAfter(d: IsoDate, isWorkingDay: (d: IsoDate) => boolean): IsoDate {
  let x = d;
  for (let i = 0; i < LONGEST_REST_RUN && !isWorkingDay(x); i++) x = addDays(x, 1);
  return x;
}

/** Sorts and joins ranges that overlap or touch. */
export function mergeRanges(ranges: readonly DateRange[]): DateRange[] {
  const sorted = [...ranges].sort((a, b) => a.from.localeCompare(b.from));
  const out: DateRange[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.from <= addDays(last.to, 1)) {
      if (r.to > last.to) last.to = r.to;
    } else {
      out.push({ ...r });
    }
  }
  return out;
}

/** The parts of `a` outside every range of `b` (both merged). */
export function subtractRanges(a: readonly DateRange[], b: readonly DateRange[]): DateRange[] {
  const out: DateRange[] = [];
  for (const r of a) {
    let from = r.from;
    for (const s of b) {
      if (s.to < from || s.from > r.to) continue;
      if (s.from > from) out.push({ from, to: addDays(s.from, -1) });
      from = addDays(s.to, 1);
      if (from > r.to) break;
    }
    if (from <= r.to) out.push({ from, to: r.to });
  }
  return out;
}

/**
 * The due dates that the changed days can touch (see above). `isWorkingDayBefore` is the old
 * calendar, estimating from weekends where it had no data (as the stored dates were counted).
 */
export function deadlineWindows(
  changedDays: readonly IsoDate[],
  isWorkingDayBefore: (d: IsoDate) => boolean,
  maxExtensionDays = MAX_EXTENSION_DAYS,
): DeadlineWindows {
  const any: DateRange[] = [];
  const wide: DateRange[] = [];
  for (const c of changedDays) {
    const w = firstWorkingOnOrAfter(c, isWorkingDayBefore);
    any.push({ from: c, to: w });
    wide.push({ from: c, to: firstWorkingOnOrAfter(addDays(w, maxExtensionDays), isWorkingDayBefore) });
  }
  const merged = mergeRanges(any);
  return { any: merged, extended: subtractRanges(mergeRanges(wide), merged) };
}
