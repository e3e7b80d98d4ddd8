import type { IsoDate } from '../../platform/calendar/domain/dates';
import type { DisputeStatus } from './dispute-rules';

/** A period of the statistics, both ends included (ISO dates). */
export interface DisputePeriod {
  from: IsoDate;
  to: IsoDate;
}

/** What the figures need of a dispute. */
export interface DisputeFigureRow {
  foundDate: IsoDate;
  status: DisputeStatus;
  /** The day it was 销号 or turned into a case; null while open. */
  closedDate: IsoDate | null;
  targetDate: IsoDate;
}

/**
 * The ledger's figures for a period, as the annual report says them (“排查出各矛盾纠纷203件，
 * 成功化解196件，7件正在有序调处”): the disputes found in the period, and where they stood at
 * its end — resolved, escalated into cases, still in progress (and of those, past their target).
 */
export interface DisputeFigures {
  found: number;
  resolved: number;
  escalated: number;
  inProgress: number;
  overdue: number;
  /** resolved / found, 0–1; null when nothing was found. */
  resolutionRate: number | null;
}

/**
 * `asOf`: today, for a period not over yet (its state now); a closed period is read at its end.
 */
export function disputeFigures(rows: readonly DisputeFigureRow[], period: DisputePeriod, asOf: IsoDate): DisputeFigures {
  const end = asOf < period.to ? asOf : period.to;
  let found = 0;
  let resolved = 0;
  let escalated = 0;
  let overdue = 0;
  for (const r of rows) {
    if (r.foundDate < period.from || r.foundDate > period.to) continue;
    found++;
    const closedByEnd = r.closedDate !== null && r.closedDate <= end;
    if (closedByEnd && r.status === 'resolved') resolved++;
    else if (closedByEnd && r.status === 'escalated') escalated++;
    else if (r.targetDate < end) overdue++;
  }
  const inProgress = found - resolved - escalated;
  return { found, resolved, escalated, inProgress, overdue, resolutionRate: found ? resolved / found : null };
}
