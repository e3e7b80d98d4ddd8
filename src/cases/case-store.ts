import { Knex } from 'knex';
import { fromDbTime, toDbTime } from '../platform/database/time';
import type { CaseStatus } from './domain/case-status';

/** The connection, or the caller's transaction. */
export type Db = Knex | Knex.Transaction;

/** A case row as the code reads it (column names in camelCase, dates as 'YYYY-MM-DD'). */
export interface CaseRow {
  id: number;
  caseNo: string;
  year: number;
  status: CaseStatus;
  name: string;
  idNumber: string | null;
  phone: string | null;
  address: string | null;
  headcount: number;
  isGroup: boolean;
  channel: string;
  town: string;
  category: string;
  purpose: string | null;
  content: string;
  receivedAt: Date;
  receivedDate: string;
  unit: string | null;
  transferTo: string | null;
  leaderId: string | null;
  supervised: boolean;
  sessionId: number | null;
  acceptedDate: string | null;
  repliedDate: string | null;
  extensionDays: number | null;
  replySummary: string | null;
  registeredBy: string;
  decidedDate: string | null;
  assignedDate: string | null;
  decisionReason: string | null;
  reviewRequestedDate: string | null;
  reviewRepliedDate: string | null;
  recheckRequestedDate: string | null;
  recheckRepliedDate: string | null;
  /** 匿名 or 身份不明: registered without ID number and phone (来信, 网上信访, 电话). */
  anonymous: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export type NewCaseRow = Omit<CaseRow, 'id' | 'createdAt' | 'updatedAt' | 'anonymous'> & { anonymous?: boolean };

/** The columns a transition may change. */
export type CasePatch = Partial<
  Pick<
    CaseRow,
    | 'status' | 'unit' | 'transferTo' | 'leaderId' | 'supervised' | 'acceptedDate' | 'repliedDate' | 'extensionDays'
    | 'replySummary' | 'decidedDate' | 'assignedDate' | 'decisionReason' | 'reviewRequestedDate' | 'reviewRepliedDate'
    | 'recheckRequestedDate' | 'recheckRepliedDate'
  >
>;

export interface CaseFilter {
  status?: CaseStatus | readonly CaseStatus[];
  /** The unit's cases; null: cases without a unit (the bureau handles them itself). */
  unit?: string | null;
  /** Any of these towns. */
  towns?: readonly string[];
  leaderId?: string;
  /** Cases matching any of: leader_id = leaderOrTowns.leaderId, or town in leaderOrTowns.towns. */
  leaderOrTowns?: { leaderId: string; towns: readonly string[] };
  name?: string;
  idSuffix?: string;
  idNumber?: string;
  phone?: string;
  limit?: number;
}

const COLUMNS: Record<keyof CasePatch, string> = {
  status: 'status',
  unit: 'unit',
  transferTo: 'transfer_to',
  leaderId: 'leader_id',
  supervised: 'supervised',
  acceptedDate: 'accepted_date',
  repliedDate: 'replied_date',
  extensionDays: 'extension_days',
  replySummary: 'reply_summary',
  decidedDate: 'decided_date',
  assignedDate: 'assigned_date',
  decisionReason: 'decision_reason',
  reviewRequestedDate: 'review_requested_date',
  reviewRepliedDate: 'review_replied_date',
  recheckRequestedDate: 'recheck_requested_date',
  recheckRepliedDate: 'recheck_replied_date',
};

/**
 * The cases table. Every method takes the connection or the caller's transaction, so a service
 * composes one transaction from several calls (with the deadline, event and link stores).
 */
export class CaseStore {
  constructor(private readonly db: Knex) {}

  async insert(trx: Db, c: NewCaseRow, now: Date): Promise<number> {
    const t = toDbTime(now);
    const [id] = await trx('cases').insert({
      case_no: c.caseNo,
      year: c.year,
      status: c.status,
      name: c.name,
      id_number: c.idNumber,
      phone: c.phone,
      address: c.address,
      headcount: c.headcount,
      is_group: c.isGroup,
      channel: c.channel,
      town: c.town,
      category: c.category,
      purpose: c.purpose,
      content: c.content,
      received_at: toDbTime(c.receivedAt),
      received_date: c.receivedDate,
      unit: c.unit,
      transfer_to: c.transferTo,
      leader_id: c.leaderId,
      supervised: c.supervised,
      session_id: c.sessionId,
      accepted_date: c.acceptedDate,
      replied_date: c.repliedDate,
      extension_days: c.extensionDays,
      reply_summary: c.replySummary,
      registered_by: c.registeredBy,
      decided_date: c.decidedDate,
      assigned_date: c.assignedDate,
      decision_reason: c.decisionReason,
      review_requested_date: c.reviewRequestedDate,
      review_replied_date: c.reviewRepliedDate,
      recheck_requested_date: c.recheckRequestedDate,
      recheck_replied_date: c.recheckRepliedDate,
      anonymous: c.anonymous === true,
      created_at: t,
      updated_at: t,
    });
    return Number(id);
  }

  async getById(id: number, trx: Db = this.db): Promise<CaseRow | null> {
    const r = await trx('cases').where({ id }).first();
    return r ? toCase(r) : null;
  }

  async getByNo(caseNo: string, trx: Db = this.db): Promise<CaseRow | null> {
    const r = await trx('cases').where({ case_no: caseNo }).first();
    return r ? toCase(r) : null;
  }

  /** Reads the case and locks its row until the transaction ends (MySQL; SQLite locks the whole file). */
  async lockByNo(trx: Knex.Transaction, caseNo: string): Promise<CaseRow | null> {
    const r = await trx('cases').where({ case_no: caseNo }).forUpdate().first();
    return r ? toCase(r) : null;
  }

  async getManyById(ids: number[], trx: Db = this.db): Promise<CaseRow[]> {
    if (!ids.length) return [];
    return (await trx('cases').whereIn('id', ids)).map(toCase);
  }

  /**
   * Applies a transition's patch only if the case is still in `fromStatus`; returns false when
   * another turn moved it first (the caller then refuses, nothing changed).
   */
  async update(trx: Db, id: number, fromStatus: CaseStatus, patch: CasePatch, now: Date): Promise<boolean> {
    const row: Record<string, unknown> = { updated_at: toDbTime(now) };
    for (const [k, v] of Object.entries(patch)) row[COLUMNS[k as keyof CasePatch]] = v;
    const n = await trx('cases').where({ id, status: fromStatus }).update(row);
    return Number(n) === 1;
  }

  async list(filter: CaseFilter = {}, trx: Db = this.db): Promise<CaseRow[]> {
    const q = trx('cases');
    if (filter.status) {
      if (typeof filter.status === 'string') q.where('status', filter.status);
      else q.whereIn('status', [...filter.status]);
    }
    if (filter.unit === null) q.whereNull('unit');
    else if (filter.unit !== undefined) q.where('unit', filter.unit);
    if (filter.towns) q.whereIn('town', [...filter.towns]);
    if (filter.leaderId !== undefined) q.where('leader_id', filter.leaderId);
    if (filter.leaderOrTowns) {
      const { leaderId, towns } = filter.leaderOrTowns;
      q.where((w) => {
        w.where('leader_id', leaderId);
        if (towns.length) w.orWhereIn('town', [...towns]);
      });
    }
    if (filter.name !== undefined) q.where('name', filter.name);
    if (filter.idSuffix !== undefined) q.where('id_number', 'like', `%${filter.idSuffix.replace(/[%_\\]/g, '')}`);
    if (filter.idNumber !== undefined) q.where('id_number', filter.idNumber);
    if (filter.phone !== undefined) q.where('phone', filter.phone);
    q.orderBy([{ column: 'received_at', order: 'desc' }, { column: 'id', order: 'desc' }]);
    if (filter.limit) q.limit(filter.limit);
    return (await q).map(toCase);
  }

  /** The case a person registered last, if after `since` (a 确认 sent again after the save). */
  async lastRegisteredBy(userId: string, since: Date): Promise<{ caseNo: string; createdAt: Date } | null> {
    const r = await this.db('cases')
      .select('case_no', 'created_at')
      .where('registered_by', userId)
      .andWhere('created_at', '>=', toDbTime(since))
      .orderBy('id', 'desc')
      .first();
    return r ? { caseNo: String(r.case_no), createdAt: fromDbTime(r.created_at)! } : null;
  }

  /** Earlier cases of the same petitioner: the same ID number, or the same name and phone. */
  async findSamePetitioner(trx: Db, p: { idNumber: string | null; name: string; phone: string | null; beforeId?: number }): Promise<Array<{ row: CaseRow; reason: 'id_number' | 'name_phone' }>> {
    const found = new Map<number, { row: CaseRow; reason: 'id_number' | 'name_phone' }>();
    if (p.idNumber) {
      const q = trx('cases').where('id_number', p.idNumber);
      if (p.beforeId) q.where('id', '<', p.beforeId);
      for (const r of await q) found.set(Number(r.id), { row: toCase(r), reason: 'id_number' });
    }
    if (p.phone) {
      const q = trx('cases').where({ name: p.name, phone: p.phone });
      if (p.beforeId) q.where('id', '<', p.beforeId);
      for (const r of await q) if (!found.has(Number(r.id))) found.set(Number(r.id), { row: toCase(r), reason: 'name_phone' });
    }
    return [...found.values()].sort((a, b) => newestFirst(a.row, b.row));
  }

  /**
   * The cases to compare an anonymous petition's content with: of the same town or the same
   * category, received on or after `since`, newest first, at most `limit` (before `beforeId` when given).
   */
  async contentCandidates(trx: Db, p: { town: string; category: string; since: string; beforeId?: number; limit: number }): Promise<CaseRow[]> {
    const q = trx('cases')
      .where('received_date', '>=', p.since)
      .andWhere((w) => void w.where('town', p.town).orWhere('category', p.category));
    if (p.beforeId) q.where('id', '<', p.beforeId);
    q.orderBy([{ column: 'received_at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(p.limit);
    return (await q).map(toCase);
  }
}

/** A boolean column as either driver hands it back (SQLite 0/1, MySQL 0/1 or true). */
export const dbBool = (v: unknown) => v === true || v === 1 || v === '1';
const intOrNull = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/** Newest received first, then the higher id. */
export function newestFirst(a: Pick<CaseRow, 'receivedAt' | 'id'>, b: Pick<CaseRow, 'receivedAt' | 'id'>): number {
  return b.receivedAt.getTime() - a.receivedAt.getTime() || b.id - a.id;
}

function toCase(r: any): CaseRow {
  return {
    id: Number(r.id),
    caseNo: r.case_no,
    year: Number(r.year),
    status: r.status,
    name: r.name,
    idNumber: r.id_number ?? null,
    phone: r.phone ?? null,
    address: r.address ?? null,
    headcount: Number(r.headcount),
    isGroup: dbBool(r.is_group),
    channel: r.channel,
    town: r.town,
    category: r.category,
    purpose: r.purpose ?? null,
    content: r.content,
    receivedAt: fromDbTime(r.received_at)!,
    receivedDate: r.received_date,
    unit: r.unit ?? null,
    transferTo: r.transfer_to ?? null,
    leaderId: r.leader_id ?? null,
    supervised: dbBool(r.supervised),
    sessionId: intOrNull(r.session_id),
    acceptedDate: r.accepted_date ?? null,
    repliedDate: r.replied_date ?? null,
    extensionDays: intOrNull(r.extension_days),
    replySummary: r.reply_summary ?? null,
    registeredBy: r.registered_by,
    decidedDate: r.decided_date ?? null,
    assignedDate: r.assigned_date ?? null,
    decisionReason: r.decision_reason ?? null,
    reviewRequestedDate: r.review_requested_date ?? null,
    reviewRepliedDate: r.review_replied_date ?? null,
    recheckRequestedDate: r.recheck_requested_date ?? null,
    recheckRepliedDate: r.recheck_replied_date ?? null,
    anonymous: dbBool(r.anonymous),
    createdAt: fromDbTime(r.created_at)!,
    updatedAt: fromDbTime(r.updated_at)!,
  };
}

