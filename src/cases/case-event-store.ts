import type { Knex } from 'knex';
import { fromDbTime, toDbTime } from '../platform/database/time';
import type { CaseStatus } from './domain/case-status';
import type { Db } from './case-store';
import { caseEventData } from './queries/case-event-data';

export interface CaseEventRow {
  id: number;
  caseId: number;
  action: string;
  fromStatus: CaseStatus | null;
  toStatus: CaseStatus | null;
  actorId: string;
  reason: string | null;
  data: Record<string, unknown> | null;
  at: Date;
}

export interface NewCaseEvent {
  caseId: number;
  action: string;
  fromStatus: CaseStatus | null;
  toStatus: CaseStatus | null;
  actorId: string;
  reason?: string | null;
  data?: Record<string, unknown> | null;
  at: Date;
}

/** A case's audit trail (case_events). */
export class CaseEventStore {
  constructor(private readonly db: Knex) {}

  /** Appends to the audit trail. There is no update or delete: the database refuses both. */
  async add(trx: Db, e: NewCaseEvent): Promise<number> {
    const [id] = await trx('case_events').insert({
      case_id: e.caseId,
      action: e.action,
      from_status: e.fromStatus,
      to_status: e.toStatus,
      actor_id: e.actorId,
      reason: e.reason ?? null,
      data: e.data ? JSON.stringify(e.data) : null,
      at: toDbTime(e.at),
    });
    return Number(id);
  }

  /** The case's latest event of this action (the last 交办, whose actor a 退回 tells), or null. */
  async lastOf(caseId: number, action: string, trx: Db = this.db): Promise<CaseEventRow | null> {
    const r = await trx('case_events').where({ case_id: caseId, action }).orderBy('id', 'desc').first();
    return r ? toEvent(r) : null;
  }

  /** The case's events, oldest first. */
  async ofCase(caseId: number, trx: Db = this.db): Promise<CaseEventRow[]> {
    return (await trx('case_events').where({ case_id: caseId }).orderBy('id')).map(toEvent);
  }
}

function toEvent(r: any): CaseEventRow {
  return {
    id: Number(r.id),
    caseId: Number(r.case_id),
    action: r.action,
    fromStatus: r.from_status ?? null,
    toStatus: r.to_status ?? null,
    actorId: r.actor_id,
    reason: r.reason ?? null,
    data: caseEventData(r.data),
    at: fromDbTime(r.at)!,
  };
}
