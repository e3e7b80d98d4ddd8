import type { IsoDate } from '../../platform/calendar/domain/dates';
import type { DeadlineKind } from '../../cases';
import { workingOffset } from './reminder-steps';
import type { WorkingDays } from '../../platform/calendar/domain/lenient-working-days';

/** One open deadline, as the digest needs it. */
export interface DigestDeadline {
  caseNo: string;
  kind: DeadlineKind;
  dueDate: IsoDate;
  /** Who must act; null means the bureau itself (受理/交办 not yet decided). */
  unit: string | null;
  category: string;
  supervised: boolean;
  /** Flagged for a 督办函 by the escalation. */
  letterFlagged: boolean;
}

export interface DigestItem extends DigestDeadline {
  /** Working days left (positive), overdue (negative), 0 on the day. */
  workingDays: number;
}

export interface UnitDigest {
  unit: string;
  dueToday: DigestItem[];
  dueSoon: DigestItem[];
  overdue: DigestItem[];
}

export interface Digest {
  date: IsoDate;
  /** Units with something to show, those with most overdue first; a unit with nothing due is absent. */
  units: UnitDigest[];
  totals: { dueToday: number; dueSoon: number; overdue: number };
}

/** What the bureau reads for deadlines without a handling unit. */
export const BUREAU_UNIT = '信访局（待受理/交办）';

/**
 * Sorts open deadlines into due today, due within `soonWorkingDays` working days, and overdue,
 * by unit. Deadlines further ahead are left out.
 */
export function buildDigest(today: IsoDate, rows: DigestDeadline[], days: WorkingDays, soonWorkingDays = 3): Digest {
  const byUnit = new Map<string, UnitDigest>();
  const totals = { dueToday: 0, dueSoon: 0, overdue: 0 };
  const offsets = new Map<IsoDate, number>();
  for (const r of rows) {
    let w = offsets.get(r.dueDate);
    if (w === undefined) {
      w = workingOffset(today, r.dueDate, days);
      offsets.set(r.dueDate, w);
    }
    const bucket: keyof typeof totals | null = w === 0 ? 'dueToday' : w > 0 ? 'overdue' : -w <= soonWorkingDays ? 'dueSoon' : null;
    if (!bucket) continue;
    const unit = r.unit ?? BUREAU_UNIT;
    let u = byUnit.get(unit);
    if (!u) {
      u = { unit, dueToday: [], dueSoon: [], overdue: [] };
      byUnit.set(unit, u);
    }
    u[bucket].push({ ...r, workingDays: -w });
    totals[bucket]++;
  }
  const units = [...byUnit.values()];
  for (const u of units) {
    u.overdue.sort((a, b) => a.dueDate.localeCompare(b.dueDate) || a.caseNo.localeCompare(b.caseNo));
    u.dueToday.sort((a, b) => a.caseNo.localeCompare(b.caseNo));
    u.dueSoon.sort((a, b) => a.dueDate.localeCompare(b.dueDate) || a.caseNo.localeCompare(b.caseNo));
  }
  units.sort(
    (a, b) =>
      b.overdue.length - a.overdue.length ||
      b.dueToday.length - a.dueToday.length ||
      b.dueSoon.length - a.dueSoon.length ||
      a.unit.localeCompare(b.unit, 'zh-Hans-CN'),
  );
  return { date: today, units, totals };
}
