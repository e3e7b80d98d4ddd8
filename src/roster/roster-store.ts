import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { toDbTime } from '../platform/database/time';
import type { IsoDate } from '../platform/calendar/domain';
import type {
  LeaderLevel, PlanSession, RosterLeader, RosterVenue, SessionStatus, SessionType, Slot, Unavailability, VenueKind,
} from './domain';

export interface SessionLeaderView {
  id: string;
  name: string;
  title: string;
  level: LeaderLevel;
  /** When this leader receives as a deputy: whose day it was. */
  substituteFor: string | null;
}

/** What 接访记录 saved about a session. */
export interface SessionOutcome {
  /** 批次: groups received. */
  batches: number;
  /** 人次: people received. */
  persons: number;
  /** Cases registered at the session when it was recorded. */
  caseNos: string[];
  note: string | null;
  recordedBy: string;
  recordedAt: string;
}

export interface SessionView {
  id: number;
  uid: string;
  date: IsoDate;
  slot: Slot;
  startTime: string;
  endTime: string;
  type: SessionType;
  venueId: string;
  venueName: string;
  venueKind: VenueKind;
  venueTown: string | null;
  venueAddress: string | null;
  accompanyUnits: string[];
  focus: string | null;
  capacity: number | null;
  status: SessionStatus;
  sequence: number;
  outcome: SessionOutcome | null;
  planYear: number;
  ruleId: string | null;
  note: string | null;
  leaders: SessionLeaderView[];
  createdAt: string;
  updatedAt: string;
}

export interface SessionFilter {
  year?: number;
  from?: IsoDate;
  to?: IsoDate;
  leaderId?: string;
  venueIds?: string[];
  ids?: number[];
  includeCancelled?: boolean;
  /** Only sessions with a recorded outcome. */
  heldOnly?: boolean;
  /** Newest first. */
  desc?: boolean;
  limit?: number;
}

export interface PlanRecord {
  year: number;
  provisional: boolean;
  source: string | null;
  report: unknown;
  generatedBy: string | null;
  generatedAt: string;
}

export type ChangeKind = 'move' | 'swap';
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

export interface SessionPatch {
  date?: IsoDate;
  slot?: Slot;
  startTime?: string;
  endTime?: string;
  status?: SessionStatus;
  outcome?: SessionOutcome | null;
  note?: string | null;
  focus?: string | null;
  accompanyUnits?: string[];
  capacity?: number | null;
}

type Db = Knex | Knex.Transaction;

const CHUNK = 500;

/** Leaders, venues, absences, sessions, plans, change requests and briefings of the roster. */
export class RosterStore {
  constructor(private readonly db: Knex) {}

  // --- leaders and venues ---

  async listLeaders(opts: { activeOnly?: boolean } = {}, db: Db = this.db): Promise<RosterLeader[]> {
    const q = db('leaders').orderBy([{ column: 'sort_order' }, { column: 'id' }]);
    if (opts.activeOnly) q.where({ active: true });
    return (await q).map(toLeader);
  }

  async getLeader(id: string, db: Db = this.db): Promise<RosterLeader | null> {
    const r = await db('leaders').where({ id }).first();
    return r ? toLeader(r) : null;
  }

  async upsertLeader(l: RosterLeader, db: Db = this.db): Promise<void> {
    const row = {
      name: l.name, level: l.level, title: l.title, towns: JSON.stringify(l.towns), deputy_id: l.deputyId,
      sort_order: l.sortOrder, active: l.active,
    };
    await db('leaders').insert({ id: l.id, ...row }).onConflict('id').merge(row);
  }

  async listVenues(db: Db = this.db): Promise<RosterVenue[]> {
    return (await db('venues').orderBy('id')).map(toVenue);
  }

  async getVenue(id: string, db: Db = this.db): Promise<RosterVenue | null> {
    const r = await db('venues').where({ id }).first();
    return r ? toVenue(r) : null;
  }

  async upsertVenue(v: RosterVenue & { chatId?: string | null }, db: Db = this.db): Promise<void> {
    const row = { name: v.name, kind: v.kind, town: v.town, address: v.address, chat_id: v.chatId ?? null };
    await db('venues').insert({ id: v.id, ...row }).onConflict('id').merge(row);
  }

  /** The chat ids recorded on the venue row itself (venues.chat_id). */
  async venueChatId(id: string, db: Db = this.db): Promise<string | null> {
    const r = await db('venues').where({ id }).first('chat_id');
    return r?.chat_id ?? null;
  }

  // --- absences ---

  async listUnavailability(range: { from?: IsoDate; to?: IsoDate } = {}, db: Db = this.db): Promise<Unavailability[]> {
    const q = db('leader_unavailability').orderBy([{ column: 'from_date' }, { column: 'id' }]);
    if (range.from) q.where('to_date', '>=', range.from);
    if (range.to) q.where('from_date', '<=', range.to);
    return (await q).map((r: any) => ({
      leaderId: r.leader_id, from: r.from_date, to: r.to_date, reason: r.reason ?? null, deputyId: r.deputy_id ?? null,
    }));
  }

  async addUnavailability(u: Unavailability, now = new Date(), db: Db = this.db): Promise<void> {
    await db('leader_unavailability').insert({
      leader_id: u.leaderId, from_date: u.from, to_date: u.to, reason: u.reason ?? null, deputy_id: u.deputyId ?? null,
      created_at: toDbTime(now),
    });
  }

  // --- sessions ---

  /** Inserts sessions with their leaders; returns the new ids in the order given. */
  async insertSessions(trx: Db, sessions: PlanSession[], now = new Date()): Promise<number[]> {
    const t = toDbTime(now);
    const rows = sessions.map((s) => ({
      uid: `${randomUUID()}@xinfang`,
      date: s.date,
      slot: s.slot,
      start_time: s.startTime,
      end_time: s.endTime,
      type: s.type,
      venue_id: s.venueId,
      accompany_units: s.accompanyUnits.length ? JSON.stringify(s.accompanyUnits) : null,
      focus: s.focus,
      capacity: s.capacity,
      status: 'planned',
      sequence: 0,
      outcome: null,
      plan_year: Number(s.date.slice(0, 4)),
      rule_id: s.ruleId,
      note: s.note,
      created_at: t,
      updated_at: t,
    }));
    const ids: number[] = [];
    for (let i = 0; i < rows.length; i += CHUNK) {
      const part = rows.slice(i, i + CHUNK);
      await trx('sessions').insert(part);
      // A multi-row insert reports one id on MySQL; read them back by the unique uid.
      const got = await trx('sessions').whereIn('uid', part.map((r) => r.uid)).select('id', 'uid');
      const byUid = new Map(got.map((r: any) => [r.uid, Number(r.id)]));
      for (const r of part) ids.push(byUid.get(r.uid)!);
    }
    const links = sessions.flatMap((s, i) =>
      s.leaderIds.map((l) => ({ session_id: ids[i], leader_id: l, substitute_for: l === s.leaderIds[0] ? s.substituteFor : null })),
    );
    for (let i = 0; i < links.length; i += CHUNK) await trx('session_leaders').insert(links.slice(i, i + CHUNK));
    return ids;
  }

  async listSessions(f: SessionFilter = {}, db: Db = this.db): Promise<SessionView[]> {
    const q = db('sessions as s')
      .join('venues as v', 'v.id', 's.venue_id')
      .select('s.*', 'v.name as venue_name', 'v.kind as venue_kind', 'v.town as venue_town', 'v.address as venue_address')
      .orderBy(['s.date', 's.start_time', 's.venue_id', 's.id'].map((column) => ({ column, order: f.desc ? 'desc' : 'asc' })));
    if (f.heldOnly) q.where('s.status', 'held');
    if (f.year !== undefined) q.where('s.plan_year', f.year);
    if (f.from) q.where('s.date', '>=', f.from);
    if (f.to) q.where('s.date', '<=', f.to);
    if (!f.includeCancelled) q.whereNot('s.status', 'cancelled');
    if (f.venueIds) q.whereIn('s.venue_id', f.venueIds.length ? f.venueIds : ['']);
    if (f.ids) q.whereIn('s.id', f.ids.length ? f.ids : [-1]);
    if (f.leaderId) q.whereIn('s.id', db('session_leaders').where({ leader_id: f.leaderId }).select('session_id'));
    if (f.limit) q.limit(f.limit);
    const rows = await q;
    return this.withLeaders(rows, db);
  }

  async getSession(id: number, db: Db = this.db): Promise<SessionView | null> {
    if (!Number.isInteger(id) || id <= 0) return null;
    const [s] = await this.listSessions({ ids: [id], includeCancelled: true }, db);
    return s ?? null;
  }

  private async withLeaders(rows: any[], db: Db): Promise<SessionView[]> {
    const byId = new Map<number, SessionLeaderView[]>();
    const ids = rows.map((r) => Number(r.id));
    for (let i = 0; i < ids.length; i += CHUNK) {
      const links = await db('session_leaders as sl')
        .join('leaders as l', 'l.id', 'sl.leader_id')
        .whereIn('sl.session_id', ids.slice(i, i + CHUNK))
        .select('sl.session_id', 'sl.substitute_for', 'l.id', 'l.name', 'l.title', 'l.level', 'l.sort_order')
        .orderBy([{ column: 'l.sort_order' }, { column: 'l.id' }]);
      for (const l of links) {
        const list = byId.get(Number(l.session_id)) ?? [];
        list.push({ id: l.id, name: l.name, title: l.title, level: l.level, substituteFor: l.substitute_for ?? null });
        byId.set(Number(l.session_id), list);
      }
    }
    return rows.map((r) => toSession(r, byId.get(Number(r.id)) ?? []));
  }

  /**
   * Applies a change and raises the iCal SEQUENCE and updated_at, so calendars pick it up.
   * Every change to a session goes through here.
   */
  async updateSession(trx: Db, id: number, patch: SessionPatch, now = new Date()): Promise<void> {
    const row: Record<string, unknown> = { updated_at: toDbTime(now), sequence: trx.raw('?? + 1', ['sequence']) };
    if (patch.date !== undefined) {
      row.date = patch.date;
      row.plan_year = Number(patch.date.slice(0, 4));
    }
    if (patch.slot !== undefined) row.slot = patch.slot;
    if (patch.startTime !== undefined) row.start_time = patch.startTime;
    if (patch.endTime !== undefined) row.end_time = patch.endTime;
    if (patch.status !== undefined) row.status = patch.status;
    if (patch.outcome !== undefined) row.outcome = patch.outcome ? JSON.stringify(patch.outcome) : null;
    if (patch.note !== undefined) row.note = patch.note;
    if (patch.focus !== undefined) row.focus = patch.focus;
    if (patch.capacity !== undefined) row.capacity = patch.capacity;
    if (patch.accompanyUnits !== undefined) row.accompany_units = patch.accompanyUnits.length ? JSON.stringify(patch.accompanyUnits) : null;
    await trx('sessions').where({ id }).update(row);
  }

  /** Puts `to` in the place of `from` in a session. */
  async replaceLeader(trx: Db, sessionId: number, from: string, to: string): Promise<void> {
    await trx('session_leaders').where({ session_id: sessionId, leader_id: from }).delete();
    await trx('session_leaders').insert({ session_id: sessionId, leader_id: to, substitute_for: null });
  }

  /** Cancels the given sessions (kept, status cancelled, sequence raised). */
  async cancelSessions(trx: Db, ids: number[], note: string | null, now = new Date()): Promise<void> {
    for (let i = 0; i < ids.length; i += CHUNK) {
      await trx('sessions').whereIn('id', ids.slice(i, i + CHUNK)).update({
        status: 'cancelled', sequence: trx.raw('?? + 1', ['sequence']), updated_at: toDbTime(now),
        ...(note !== null ? { note } : {}),
      });
    }
  }

  async countSessions(year: number, db: Db = this.db): Promise<number> {
    const r = await db('sessions').where({ plan_year: year }).whereNot('status', 'cancelled').count({ n: '*' }).first();
    return Number(r?.n ?? 0);
  }

  // --- plans ---

  async getPlan(year: number, db: Db = this.db): Promise<PlanRecord | null> {
    const r = await db('roster_plans').where({ year }).first();
    if (!r) return null;
    return {
      year: Number(r.year), provisional: Boolean(r.provisional), source: r.source ?? null,
      report: r.report ? JSON.parse(r.report) : null, generatedBy: r.generated_by ?? null, generatedAt: r.generated_at,
    };
  }

  async savePlan(trx: Db, p: Omit<PlanRecord, 'generatedAt'>, now = new Date()): Promise<void> {
    const row = {
      provisional: p.provisional, source: p.source, report: p.report === null ? null : JSON.stringify(p.report),
      generated_by: p.generatedBy, generated_at: toDbTime(now),
    };
    await trx('roster_plans').insert({ year: p.year, ...row }).onConflict('year').merge(row);
  }

  // --- change requests ---

  async createChangeRequest(
    trx: Db,
    r: Omit<ChangeRequest, 'id' | 'status' | 'decidedBy' | 'decidedAt' | 'decisionNote' | 'createdAt'>,
    now = new Date(),
  ): Promise<number> {
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

  // --- briefings ---

  async briefingSent(key: string, db: Db = this.db): Promise<boolean> {
    return Boolean(await db('roster_briefings').where({ key }).first('id'));
  }

  /** Records a briefing under its unique key; a second insert of the same key fails. */
  async recordBriefing(trx: Db, b: { key: string; sessionId: number; recipient: string; kind: 'leader' | 'venue'; outboxId: number }, now = new Date()): Promise<void> {
    await trx('roster_briefings').insert({
      key: b.key, session_id: b.sessionId, recipient: b.recipient, kind: b.kind, outbox_id: b.outboxId, created_at: toDbTime(now),
    });
  }

  async countBriefings(db: Db = this.db): Promise<number> {
    const r = await db('roster_briefings').count({ n: '*' }).first();
    return Number(r?.n ?? 0);
  }
}

function parseJsonArray(s: unknown): string[] {
  if (typeof s !== 'string' || !s) return [];
  try {
    const v = JSON.parse(s);
    return Array.isArray(v) ? v.map(String) : [];
  } catch {
    return [];
  }
}

function toLeader(r: any): RosterLeader {
  return {
    id: r.id, name: r.name, level: r.level, title: r.title, towns: parseJsonArray(r.towns), deputyId: r.deputy_id ?? null,
    sortOrder: Number(r.sort_order), active: Boolean(r.active),
  };
}

function toVenue(r: any): RosterVenue {
  return { id: r.id, name: r.name, kind: r.kind, town: r.town ?? null, address: r.address ?? null };
}

function toSession(r: any, leaders: SessionLeaderView[]): SessionView {
  return {
    id: Number(r.id), uid: r.uid, date: r.date, slot: r.slot, startTime: r.start_time, endTime: r.end_time, type: r.type,
    venueId: r.venue_id, venueName: r.venue_name, venueKind: r.venue_kind, venueTown: r.venue_town ?? null,
    venueAddress: r.venue_address ?? null, accompanyUnits: parseJsonArray(r.accompany_units), focus: r.focus ?? null,
    capacity: r.capacity === null || r.capacity === undefined ? null : Number(r.capacity), status: r.status,
    sequence: Number(r.sequence), outcome: r.outcome ? JSON.parse(r.outcome) : null, planYear: Number(r.plan_year),
    ruleId: r.rule_id ?? null, note: r.note ?? null, leaders, createdAt: r.created_at, updatedAt: r.updated_at,
  };
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
