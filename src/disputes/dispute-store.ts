import type { Knex } from 'knex';
import { toDbTime } from '../platform/database/time';
import { nextCounterValue } from '../platform/database/counter-store';
import { disputeCounterName, DisputeParty, DisputeStatus, formatDisputeNo } from './domain/dispute-rules';
import type { DisputeFigureRow } from './domain/dispute-figures';

type Db = Knex | Knex.Transaction;

/** A dispute as the ledger holds it. */
export interface DisputeRecord {
  id: number;
  no: string;
  year: number;
  screening: string;
  source: string;
  foundDate: string;
  town: string;
  category: string;
  summary: string;
  parties: DisputeParty[];
  risk: string;
  unit: string;
  owner: string;
  targetDate: string;
  status: DisputeStatus;
  resolution: string | null;
  closedDate: string | null;
  caseNo: string | null;
  registeredBy: string;
  createdAt: string;
  updatedAt: string;
}

export type NewDispute = Omit<DisputeRecord, 'id' | 'no' | 'year' | 'status' | 'resolution' | 'closedDate' | 'caseNo' | 'createdAt' | 'updatedAt'> & {
  /** Given by an import of an old ledger; otherwise the next number of the year. */
  no?: string;
  status?: DisputeStatus;
  resolution?: string | null;
  closedDate?: string | null;
  caseNo?: string | null;
};

export interface DisputeEvent {
  disputeId: number;
  action: string;
  fromStatus: DisputeStatus | null;
  toStatus: DisputeStatus;
  actorId: string;
  at: Date;
  data?: Record<string, unknown>;
}

export interface DisputeEventRow extends Omit<DisputeEvent, 'at'> {
  at: string;
}

export interface DisputeFilter {
  status?: DisputeStatus;
  town?: string;
  unit?: string;
  year?: number;
}

/** An open dispute whose target date a reminder scan reads. */
export interface DueDispute {
  id: number;
  no: string;
  town: string;
  category: string;
  unit: string;
  owner: string;
  risk: string;
  targetDate: string;
}

/** The only SQL of disputes and dispute_events. Writers take the caller's transaction. */
export class DisputeStore {
  constructor(private readonly db: Knex) {}

  /** The next number of the year, from the counter, in the caller's transaction. */
  async nextNo(trx: Db, year: number): Promise<string> {
    return formatDisputeNo(year, await nextCounterValue(trx, disputeCounterName(year)));
  }

  /** Moves the year's counter past an imported number, so a later 登记 never takes it again. */
  async reserveNo(trx: Db, year: number, seq: number): Promise<void> {
    const name = disputeCounterName(year);
    await trx('counters').insert({ name, value: 0 }).onConflict('name').ignore();
    await trx('counters').where({ name }).andWhere('value', '<', seq).update({ value: seq });
  }

  async insert(trx: Db, d: NewDispute & { no: string }, now: Date): Promise<number> {
    const t = toDbTime(now);
    const [id] = await trx('disputes').insert(
      {
        dispute_no: d.no, year: Number(d.no.slice(1, 5)), screening: d.screening, source: d.source, found_date: d.foundDate,
        town: d.town, category: d.category, summary: d.summary, parties: JSON.stringify(d.parties), risk: d.risk, unit: d.unit,
        owner: d.owner, target_date: d.targetDate, status: d.status ?? 'open', resolution: d.resolution ?? null,
        closed_date: d.closedDate ?? null, case_no: d.caseNo ?? null, registered_by: d.registeredBy, created_at: t, updated_at: t,
      },
    );
    return Number(id);
  }

  async getByNo(no: string, db: Db = this.db): Promise<DisputeRecord | null> {
    const row = await db('disputes').where({ dispute_no: no }).first();
    return row ? toRecord(row) : null;
  }

  async existingNos(nos: string[], db: Db = this.db): Promise<Set<string>> {
    const out = new Set<string>();
    for (let i = 0; i < nos.length; i += 500) {
      const rows = await db('disputes').whereIn('dispute_no', nos.slice(i, i + 500)).select('dispute_no');
      rows.forEach((r: any) => out.add(String(r.dispute_no)));
    }
    return out;
  }

  /** The ledger, newest found first. */
  async list(f: DisputeFilter = {}, db: Db = this.db): Promise<DisputeRecord[]> {
    const q = db('disputes');
    if (f.status) q.where({ status: f.status });
    if (f.town) q.where({ town: f.town });
    if (f.unit) q.where({ unit: f.unit });
    if (f.year) q.where({ year: f.year });
    return (await q.orderBy([{ column: 'found_date', order: 'desc' }, { column: 'id', order: 'desc' }])).map(toRecord);
  }

  /**
   * Closes an open dispute (销号 or escalation): a compare-and-set on status, so of two at once
   * only one closes it. False when it was no longer open.
   */
  async close(
    trx: Db,
    id: number,
    c: { status: Exclude<DisputeStatus, 'open'>; closedDate: string; resolution: string | null; caseNo: string | null },
    now: Date,
  ): Promise<boolean> {
    const n = await trx('disputes')
      .where({ id, status: 'open' })
      .update({ status: c.status, closed_date: c.closedDate, resolution: c.resolution, case_no: c.caseNo, updated_at: toDbTime(now) });
    return Number(n) === 1;
  }

  async addEvents(trx: Db, events: DisputeEvent[]): Promise<void> {
    if (!events.length) return;
    const rows = events.map((e) => ({
      dispute_id: e.disputeId, action: e.action, from_status: e.fromStatus, to_status: e.toStatus, actor_id: e.actorId,
      at: toDbTime(e.at), data: e.data ? JSON.stringify(e.data) : null,
    }));
    for (let i = 0; i < rows.length; i += 200) await trx('dispute_events').insert(rows.slice(i, i + 200));
  }

  async events(disputeId: number, db: Db = this.db): Promise<DisputeEventRow[]> {
    const rows = await db('dispute_events').where({ dispute_id: disputeId }).orderBy('id');
    return rows.map((r: any) => ({
      disputeId: Number(r.dispute_id), action: r.action, fromStatus: r.from_status ?? null, toStatus: r.to_status,
      actorId: r.actor_id, at: r.at, data: r.data ? JSON.parse(r.data) : undefined,
    }));
  }

  /** What the figures need of the disputes found between two dates (both included). */
  async figureRows(from: string, to: string, db: Db = this.db): Promise<DisputeFigureRow[]> {
    const rows = await db('disputes').whereBetween('found_date', [from, to]).select('found_date', 'status', 'closed_date', 'target_date');
    return rows.map((r: any) => ({ foundDate: r.found_date, status: r.status, closedDate: r.closed_date ?? null, targetDate: r.target_date }));
  }

  /** Open disputes due on or before `horizon`, for the reminder scan. */
  async dueOpen(horizon: string, db: Db = this.db): Promise<DueDispute[]> {
    const rows = await db('disputes').where({ status: 'open' }).andWhere('target_date', '<=', horizon).orderBy('id');
    return rows.map((r: any) => ({
      id: Number(r.id), no: r.dispute_no, town: r.town, category: r.category, unit: r.unit, owner: r.owner, risk: r.risk, targetDate: r.target_date,
    }));
  }

  /** The numbers of some disputes, by id (the reminders list names each reminder's dispute). */
  async numbersById(ids: number[], db: Db = this.db): Promise<Map<number, string>> {
    const out = new Map<number, string>();
    const unique = [...new Set(ids)];
    for (let i = 0; i < unique.length; i += 500) {
      const rows = await db('disputes').whereIn('id', unique.slice(i, i + 500)).select('id', 'dispute_no');
      rows.forEach((r: any) => out.set(Number(r.id), String(r.dispute_no)));
    }
    return out;
  }

  /** Open disputes with their target dates and units (a holiday import; the doctor's checks). */
  async openTargets(db: Db = this.db): Promise<Array<{ id: number; no: string; unit: string; targetDate: string }>> {
    const rows = await db('disputes').where({ status: 'open' }).orderBy('id').select('id', 'dispute_no', 'unit', 'target_date');
    return rows.map((r: any) => ({ id: Number(r.id), no: r.dispute_no, unit: r.unit, targetDate: r.target_date }));
  }

  /** Whether a dispute is still open (a reminder about a closed one is not sent). */
  async openIds(ids: number[], db: Db = this.db): Promise<Set<number>> {
    if (!ids.length) return new Set();
    const rows = await db('disputes').whereIn('id', ids).andWhere({ status: 'open' }).select('id');
    return new Set(rows.map((r: any) => Number(r.id)));
  }
}

function toRecord(r: any): DisputeRecord {
  return {
    id: Number(r.id), no: r.dispute_no, year: Number(r.year), screening: r.screening, source: r.source, foundDate: r.found_date,
    town: r.town, category: r.category, summary: r.summary, parties: JSON.parse(r.parties), risk: r.risk, unit: r.unit,
    owner: r.owner, targetDate: r.target_date, status: r.status, resolution: r.resolution ?? null, closedDate: r.closed_date ?? null,
    caseNo: r.case_no ?? null, registeredBy: r.registered_by, createdAt: r.created_at, updatedAt: r.updated_at,
  };
}
