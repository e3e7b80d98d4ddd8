import type { Knex } from 'knex';
import { insertInChunks } from '../platform/database/insert-in-chunks';
import { toDbTime } from '../platform/database/time';
import type { DateRange, DeadlineWindows } from './domain/deadline-window';
import type { DeadlineChange, StoredOpenDeadline } from './domain/deadline-recompute';
import type { CaseStatus } from './domain/case-status';
import { dbBool } from './case-store';
import { chunks } from './queries/id-chunks';

/** One audit entry per moved deadline. */
export interface DeadlineMovedEvent {
  caseId: number;
  caseStatus: CaseStatus;
  kind: string;
  from: string;
  to: string;
  reason: string;
}

/** The action on case_events of a deadline a holiday import moved. */
export const DEADLINE_MOVED_ACTION = 'deadline_moved';

/** The actor of entries the bot writes itself. */
const SYSTEM_ACTOR = 'system';

/**
 * The SQL of a holiday import on the case tables: which open deadlines the changed days can touch
 * (read by ranges on case_deadlines(status, due_date) and (status, provisional)), those deadlines with
 * their cases' dates in chunks, and the writes in batches.
 */
export class DeadlineRecomputeStore {
  /**
   * The ids of the open deadlines that may move: due in `windows.any`; conclusion deadlines of
   * extended cases due in `windows.extended`; and every provisional one (its estimate may be stale).
   */
  async candidateIds(trx: Knex.Transaction, windows: DeadlineWindows): Promise<number[]> {
    const ids = new Set<number>();
    const add = (rows: unknown[]) => rows.forEach((id) => ids.add(Number(id)));
    for (const r of windows.any) {
      add(await inRange(trx('case_deadlines').where('status', 'open'), 'due_date', r).pluck('id'));
    }
    for (const r of windows.extended) {
      const q = trx('case_deadlines as d').join('cases as c', 'c.id', 'd.case_id').where('d.status', 'open').where('d.kind', 'conclusion');
      add(await inRange(q, 'd.due_date', r).where('c.extension_days', '>', 0).pluck('d.id'));
    }
    add(await trx('case_deadlines').where('status', 'open').where('provisional', true).pluck('id'));
    return [...ids].sort((a, b) => a - b);
  }

  /** These deadlines (still open) with the dates of their cases; no personal data is read. */
  async openWithCases(trx: Knex.Transaction, ids: readonly number[]): Promise<Array<StoredOpenDeadline & { caseStatus: CaseStatus }>> {
    if (!ids.length) return [];
    const rows: any[] = await trx('case_deadlines as d')
      .join('cases as c', 'c.id', 'd.case_id')
      .whereIn('d.id', [...ids])
      .where('d.status', 'open')
      // Locked till the import commits: a case change meanwhile waits, then recomputes from the new calendar
      // on top of this, instead of this overwriting it with dates read before it (MySQL; SQLite has one writer).
      .forUpdate()
      .select(
        'd.id', 'd.case_id', 'd.kind', 'd.due_date', 'd.provisional', 'c.case_no', 'c.status', 'c.received_date', 'c.decided_date',
        'c.assigned_date', 'c.unit', 'c.accepted_date', 'c.extension_days', 'c.replied_date', 'c.review_requested_date',
        'c.review_replied_date', 'c.recheck_requested_date', 'c.recheck_replied_date',
      );
    return rows.map((r) => ({
      id: Number(r.id),
      caseId: Number(r.case_id),
      caseNo: String(r.case_no),
      caseStatus: r.status,
      kind: r.kind,
      dueDate: r.due_date,
      provisional: dbBool(r.provisional),
      dates: {
        status: r.status,
        receivedDate: r.received_date,
        decidedDate: r.decided_date ?? null,
        assignedDate: r.assigned_date ?? null,
        unit: r.unit ?? null,
        acceptedDate: r.accepted_date ?? null,
        extensionDays: r.extension_days === null || r.extension_days === undefined ? null : Number(r.extension_days),
        repliedDate: r.replied_date ?? null,
        reviewRequestedDate: r.review_requested_date ?? null,
        reviewRepliedDate: r.review_replied_date ?? null,
        recheckRequestedDate: r.recheck_requested_date ?? null,
        recheckRepliedDate: r.recheck_replied_date ?? null,
      },
    }));
  }

  /** Writes the new due dates and flags: one UPDATE per (date, flag) and 500 ids, not one per row. */
  async applyChanges(trx: Knex.Transaction, changes: readonly DeadlineChange[], now: Date): Promise<void> {
    const groups = new Map<string, number[]>();
    for (const c of changes) {
      const key = `${c.to}|${c.provisional ? 1 : 0}`;
      const list = groups.get(key);
      if (list) list.push(c.id);
      else groups.set(key, [c.id]);
    }
    const t = toDbTime(now);
    for (const [key, ids] of groups) {
      const [due, flag] = key.split('|');
      for (const part of chunks(ids)) {
        await trx('case_deadlines').whereIn('id', part).update({ due_date: due, provisional: flag === '1', updated_at: t });
      }
    }
  }

  /** The audit entries of the moved deadlines, in multi-row inserts. */
  async addMovedEvents(trx: Knex.Transaction, events: readonly DeadlineMovedEvent[], now: Date): Promise<void> {
    const at = toDbTime(now);
    const rows = events.map((e) => ({
      case_id: e.caseId,
      action: DEADLINE_MOVED_ACTION,
      from_status: e.caseStatus,
      to_status: e.caseStatus,
      actor_id: SYSTEM_ACTOR,
      reason: e.reason,
      data: JSON.stringify({ kind: e.kind, from: e.from, to: e.to, reason: e.reason }),
      at,
    }));
    await insertInChunks(trx, 'case_events', rows, 500);
  }
}

function inRange(q: Knex.QueryBuilder, column: string, r: DateRange): Knex.QueryBuilder {
  return r.from === r.to ? q.where(column, r.from) : q.whereBetween(column, [r.from, r.to]);
}
