import type { Knex } from 'knex';
import { toDbTime } from '../platform/database/time';
import type { ComputedDeadline } from './domain/case-deadlines';
import type { DeadlineKind } from './domain/case-status';
import { Db, dbBool } from './case-store';

export interface DeadlineRow {
  id: number;
  caseId: number;
  kind: DeadlineKind;
  dueDate: string;
  provisional: boolean;
  status: 'open' | 'met' | 'void';
  unit: string | null;
}

/** The legal deadlines stored per case (case_deadlines), recomputed after every change of the case. */
export class CaseDeadlineStore {
  constructor(private readonly db: Knex) {}

  /**
   * Stores the deadlines computed for the case's present state: each kind upserted; kinds stored
   * before but no longer computed become void (the case left that road).
   */
  async save(trx: Db, caseId: number, list: ComputedDeadline[], now: Date): Promise<void> {
    const t = toDbTime(now);
    const existing = await trx('case_deadlines').where({ case_id: caseId });
    const byKind = new Map(existing.map((r: any) => [r.kind as string, r]));
    for (const d of list) {
      const row = { due_date: d.dueDate, provisional: d.provisional, status: d.status, unit: d.unit, met_date: d.metDate, updated_at: t };
      const old = byKind.get(d.kind);
      if (old) {
        await trx('case_deadlines').where({ id: old.id }).update(row);
        byKind.delete(d.kind);
      } else {
        await trx('case_deadlines').insert({ case_id: caseId, kind: d.kind, ...row, created_at: t });
      }
    }
    for (const old of byKind.values()) {
      if (old.status !== 'void') await trx('case_deadlines').where({ id: old.id }).update({ status: 'void', updated_at: t });
    }
  }

  async ofCase(caseId: number, trx: Db = this.db): Promise<DeadlineRow[]> {
    return (await trx('case_deadlines').where({ case_id: caseId }).orderBy('id')).map(toDeadline);
  }

  /** Deadlines of many cases at once (list views). */
  async ofCases(caseIds: number[], trx: Db = this.db): Promise<Map<number, DeadlineRow[]>> {
    const out = new Map<number, DeadlineRow[]>();
    if (!caseIds.length) return out;
    for (const r of await trx('case_deadlines').whereIn('case_id', caseIds).orderBy('id')) {
      const d = toDeadline(r);
      out.set(d.caseId, [...(out.get(d.caseId) ?? []), d]);
    }
    return out;
  }

  /** Open deadlines of the given kinds due on or before `until`, oldest first. */
  async openDueBy(until: string, kinds: readonly DeadlineKind[], trx: Db = this.db): Promise<DeadlineRow[]> {
    return (
      await trx('case_deadlines')
        .where('status', 'open')
        .where('due_date', '<=', until)
        .whereIn('kind', [...kinds])
        .orderBy([{ column: 'due_date' }, { column: 'id' }])
    ).map(toDeadline);
  }
}

function toDeadline(r: any): DeadlineRow {
  return {
    id: Number(r.id),
    caseId: Number(r.case_id),
    kind: r.kind,
    dueDate: r.due_date,
    provisional: dbBool(r.provisional),
    status: r.status,
    unit: r.unit ?? null,
  };
}
