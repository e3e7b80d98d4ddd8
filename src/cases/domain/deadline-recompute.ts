import type { IsoDate } from '../../platform/calendar/domain/dates';
import { CaseDates, computeDeadlines, PeriodFn } from './case-deadlines';
import type { DeadlineKind } from './case-status';

/** A stored open deadline with the dates of its case, as a holiday import reads it. */
export interface StoredOpenDeadline {
  id: number;
  caseId: number;
  caseNo: string;
  kind: DeadlineKind;
  dueDate: IsoDate;
  provisional: boolean;
  dates: CaseDates;
}

/** What the new calendar makes of a stored deadline that it changes. */
export interface DeadlineChange {
  id: number;
  caseId: number;
  caseNo: string;
  kind: DeadlineKind;
  from: IsoDate;
  to: IsoDate;
  wasProvisional: boolean;
  provisional: boolean;
}

/**
 * The stored open deadlines recomputed by the same rule as every change of a case
 * (computeDeadlines, over the new calendar's `period`): those whose due date or provisional flag
 * the new calendar changes. A kind the case's present state no longer computes as open is left
 * alone (that is for the next change of the case, not for a holiday import).
 */
export function recomputeOpenDeadlines(rows: readonly StoredOpenDeadline[], period: PeriodFn): DeadlineChange[] {
  const byCase = new Map<number, StoredOpenDeadline[]>();
  for (const r of rows) {
    const list = byCase.get(r.caseId);
    if (list) list.push(r);
    else byCase.set(r.caseId, [r]);
  }
  const out: DeadlineChange[] = [];
  for (const list of byCase.values()) {
    const computed = new Map(computeDeadlines(list[0].dates, period).map((d) => [d.kind, d]));
    for (const r of list) {
      const c = computed.get(r.kind);
      if (!c || c.status !== 'open') continue;
      if (c.dueDate === r.dueDate && c.provisional === r.provisional) continue;
      out.push({
        id: r.id, caseId: r.caseId, caseNo: r.caseNo, kind: r.kind, from: r.dueDate, to: c.dueDate, wasProvisional: r.provisional, provisional: c.provisional,
      });
    }
  }
  return out;
}
