import type { Knex } from 'knex';
import { toDbTime } from '../platform/database/time';
import type { IsoDate } from '../platform/calendar/domain';
import type { Slot } from './domain';
import type { Db } from './store-rows';

/** move: another day; swap: two leaders trade days; reassign: another leader (other_leader_id) takes the day. */
export type ChangeKind = 'move' | 'swap' | 'reassign';
export type ChangeStatus = 'pending' | 'approved' | 'rejected' | 'conflict';

export interface ChangeRequest {
  id: number;
  kind: ChangeKind;
  sessionId: number;
  leaderId: string;
  requestedBy: string;
  targetDate: IsoDate | null;
  targetSlot: Slot | null;
  otherSessionId: number | null;
  otherLeaderId: string | null;
  reason: string | null;
  status: ChangeStatus;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionNote: string | null;
  createdAt: string;
}

/** A request as a leader files it: the decision fields come later. */
export type NewChangeRequest = Omit<ChangeRequest, 'id' | 'status' | 'decidedBy' | 'decidedAt' | 'decisionNote' | 'createdAt'>;

/**
 * 调整接访 requests (roster_change_requests): a leader asks to move, swap or hand over a reception day, the
 * admin decides; who decided, when and why (a rejection's reason) are kept on the row.
 */
export class ChangeRequestStore {
  constructor(private readonly db: Knex) {}

  async createChangeRequest(trx: Db, r: NewChangeRequest, now = new Date()): Promise<number> {
    const [id] = await trx('roster_change_requests').insert({
      kind: r.kind, session_id: r.sessionId, leader_id: r.leaderId, requested_by: r.requestedBy, target_date: r.targetDate,
      target_slot: r.targetSlot, other_session_id: r.otherSessionId, other_leader_id: r.otherLeaderId, reason: r.reason,
      status: 'pending', created_at: toDbTime(now),
    });
    return Number(id);
  }

  async getChangeRequest(id: number, db: Db = this.db): Promise<ChangeRequest | null> {
    if (!Number.isInteger(id) || id <= 0) return null;
    const r = await db('roster_change_requests').where({ id }).first();
    return r ? toRequest(r) : null;
  }

  async listChangeRequests(status?: ChangeStatus, db: Db = this.db): Promise<ChangeRequest[]> {
    const q = db('roster_change_requests').orderBy('id');
    if (status) q.where({ status });
    return (await q).map(toRequest);
  }

  /** Closes a pending request; false when someone else already decided it. */
  async decideChangeRequest(trx: Db, id: number, status: Exclude<ChangeStatus, 'pending'>, by: string, note: string | null, now = new Date()): Promise<boolean> {
    const n = await trx('roster_change_requests').where({ id, status: 'pending' }).update({
      status, decided_by: by, decided_at: toDbTime(now), decision_note: note,
    });
    return Number(n) === 1;
  }
}

function toRequest(r: any): ChangeRequest {
  return {
    id: Number(r.id), kind: r.kind, sessionId: Number(r.session_id), leaderId: r.leader_id, requestedBy: r.requested_by,
    targetDate: r.target_date ?? null, targetSlot: r.target_slot ?? null,
    otherSessionId: r.other_session_id === null || r.other_session_id === undefined ? null : Number(r.other_session_id),
    otherLeaderId: r.other_leader_id ?? null, reason: r.reason ?? null, status: r.status, decidedBy: r.decided_by ?? null,
    decidedAt: r.decided_at ?? null, decisionNote: r.decision_note ?? null, createdAt: r.created_at,
  };
}
