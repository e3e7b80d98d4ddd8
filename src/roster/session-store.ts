import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { toDbTime } from '../platform/database/time';
import { NotFoundError } from '../platform/errors/user-error';
import type { PlanSession, SessionStatus } from './domain';
import { CHUNK, Db, parseJsonArray } from './store-rows';
import { insertInChunks } from '../platform/database/insert-in-chunks';
import type { SessionFilter, SessionLeaderView, SessionOutcome, SessionPatch, SessionView } from './session-view';

/** The record of a year's plan: how it was made (rules file or workbook) and what the generator reported. */
export interface PlanRecord {
  year: number;
  provisional: boolean;
  source: string | null;
  report: unknown;
  generatedBy: string | null;
  generatedAt: string;
}

/** Who cancelled a session (取消接访), when and why. */
export interface SessionCancelInfo {
  reason: string | null;
  by: string;
  at: string;
}

export type SessionEventKind = 'cancel' | 'restore' | 'move' | 'reassign';

/** An entry of roster_session_events: the audit of a direct change. */
export interface SessionEvent {
  id: number;
  sessionId: number;
  kind: SessionEventKind;
  actor: string;
  reason: string | null;
  detail: Record<string, unknown> | null;
  createdAt: string;
}

export type NewSessionEvent = Omit<SessionEvent, 'id' | 'createdAt'>;

/** Reception sessions (sessions, session_leaders) and the year plans they belong to (roster_plans). */
export class SessionStore {
  constructor(private readonly db: Knex) {}

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
    await insertInChunks(trx, 'sessions', rows);
    const ids = await this.idsByUid(trx, rows.map((r) => r.uid));
    const links = sessions.flatMap((s, i) =>
      s.leaderIds.map((l) => ({ session_id: ids[i], leader_id: l, substitute_for: l === s.leaderIds[0] ? s.substituteFor : null })),
    );
    await insertInChunks(trx, 'session_leaders', links);
    return ids;
  }

  /** A multi-row insert reports one id on MySQL; the ids are read back by the unique uid, in the order given. */
  private async idsByUid(db: Db, uids: string[]): Promise<number[]> {
    const byUid = new Map<string, number>();
    for (let i = 0; i < uids.length; i += CHUNK) {
      const got = await db('sessions').whereIn('uid', uids.slice(i, i + CHUNK)).select('id', 'uid');
      for (const r of got) byUid.set(r.uid, Number(r.id));
    }
    return uids.map((u) => byUid.get(u)!);
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

  /** The session, or a NotFoundError that says so. */
  async requireSession(id: number, db: Db = this.db): Promise<SessionView> {
    const s = await this.getSession(id, db);
    if (!s) throw new NotFoundError(`没有编号为 ${id} 的接访安排`);
    return s;
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
   * Every change to a session goes through here (or, for many at once, cancelSessions and markHeld).
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

  /** Puts `to` in the place of `from` in a session; `substituteFor` when `to` receives as a deputy (代班). */
  async replaceLeader(trx: Db, sessionId: number, from: string, to: string, substituteFor: string | null = null): Promise<void> {
    await trx('session_leaders').where({ session_id: sessionId, leader_id: from }).delete();
    await trx('session_leaders').insert({ session_id: sessionId, leader_id: to, substitute_for: substituteFor });
  }

  /** Cancels the given sessions (kept, status cancelled, sequence raised). */
  async cancelSessions(trx: Db, ids: number[], note: string | null, now = new Date()): Promise<void> {
    await this.updateMany(trx, ids, { status: 'cancelled', ...(note !== null ? { note } : {}) }, now);
  }

  /** Records the same outcome for many sessions at once (status held, sequence raised): the demo's history. */
  async markHeld(trx: Db, ids: number[], outcome: SessionOutcome, now = new Date()): Promise<void> {
    await this.updateMany(trx, ids, { status: 'held', outcome: JSON.stringify(outcome) }, now);
  }

  private async updateMany(trx: Db, ids: number[], row: Record<string, unknown>, now: Date): Promise<void> {
    for (let i = 0; i < ids.length; i += CHUNK) {
      await trx('sessions').whereIn('id', ids.slice(i, i + CHUNK)).update({
        ...row, sequence: trx.raw('?? + 1', ['sequence']), updated_at: toDbTime(now),
      });
    }
  }

  /**
   * A session the regenerated plan still holds takes the new plan's day, hours, venue, leaders and
   * details; it keeps its id, number and UID, its SEQUENCE rises and it is marked changed.
   */
  async applyPlanSession(trx: Db, id: number, s: PlanSession, now = new Date()): Promise<void> {
    await trx('sessions').where({ id }).update({
      date: s.date, plan_year: Number(s.date.slice(0, 4)), slot: s.slot, start_time: s.startTime, end_time: s.endTime, type: s.type,
      venue_id: s.venueId, accompany_units: s.accompanyUnits.length ? JSON.stringify(s.accompanyUnits) : null, focus: s.focus,
      capacity: s.capacity, rule_id: s.ruleId, note: s.note, status: 'changed', sequence: trx.raw('?? + 1', ['sequence']), updated_at: toDbTime(now),
    });
    const links = await trx('session_leaders').where({ session_id: id }).orderBy('leader_id').select('leader_id', 'substitute_for');
    const want = s.leaderIds.map((l, i) => ({ session_id: id, leader_id: l, substitute_for: i === 0 ? s.substituteFor : null }));
    const same = links.length === want.length &&
      [...want].sort((a, b) => a.leader_id.localeCompare(b.leader_id)).every((w, i) => links[i].leader_id === w.leader_id && (links[i].substitute_for ?? null) === w.substitute_for);
    if (same) return;
    await trx('session_leaders').where({ session_id: id }).delete();
    await trx('session_leaders').insert(want);
  }

  /** What a year's plan is at this moment (ids, sequences, statuses): a plan computed from it is still current while this is the same. */
  async planVersion(year: number, db: Db = this.db): Promise<string> {
    const rows = await db('sessions').where({ plan_year: year }).orderBy('id').select('id', 'sequence', 'status');
    return rows.map((r: any) => `${r.id}:${r.sequence}:${r.status}`).join(',');
  }

  async countSessions(year: number, db: Db = this.db): Promise<number> {
    const r = await db('sessions').where({ plan_year: year }).whereNot('status', 'cancelled').count({ n: '*' }).first();
    return Number(r?.n ?? 0);
  }

  // --- direct changes: cancel / restore, and their audit (migration 019) ---

  /**
   * Cancels one session (status cancelled, who, when and why kept, sequence raised), or with
   * `cancel` null restores it to `status`, clearing them. `note` replaces the session's note when given.
   */
  async setCancelled(trx: Db, id: number, cancel: { reason: string | null; by: string } | null, status: SessionStatus, note: string | null | undefined, now = new Date()): Promise<void> {
    await trx('sessions').where({ id }).update({
      status,
      cancel_reason: cancel?.reason ?? null,
      cancelled_by: cancel?.by ?? null,
      cancelled_at: cancel ? toDbTime(now) : null,
      ...(note !== undefined ? { note } : {}),
      sequence: trx.raw('?? + 1', ['sequence']),
      updated_at: toDbTime(now),
    });
  }

  /** Who cancelled a session, when and why; null when it is not cancelled (or was cancelled by a regenerated plan). */
  async cancelInfo(id: number, db: Db = this.db): Promise<SessionCancelInfo | null> {
    const r = await db('sessions').where({ id }).first('status', 'cancel_reason', 'cancelled_by', 'cancelled_at');
    if (!r || r.status !== 'cancelled' || !r.cancelled_by) return null;
    return { reason: r.cancel_reason ?? null, by: r.cancelled_by, at: r.cancelled_at };
  }

  /** One entry of a session's audit: who did what to it, when, why, and what it was before and after. */
  async recordSessionEvent(trx: Db, e: NewSessionEvent, now = new Date()): Promise<number> {
    const [id] = await trx('roster_session_events').insert({
      session_id: e.sessionId, kind: e.kind, actor: e.actor, reason: e.reason, detail: e.detail === null ? null : JSON.stringify(e.detail),
      created_at: toDbTime(now),
    });
    return Number(id);
  }

  /** A session's audit, oldest first. */
  async listSessionEvents(sessionId: number, db: Db = this.db): Promise<SessionEvent[]> {
    const rows = await db('roster_session_events').where({ session_id: sessionId }).orderBy('id');
    return rows.map((r: any) => ({
      id: Number(r.id), sessionId: Number(r.session_id), kind: r.kind, actor: r.actor, reason: r.reason ?? null,
      detail: r.detail ? JSON.parse(r.detail) : null, createdAt: r.created_at,
    }));
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

  /** The year's plan stops being provisional (its holidays are now known); false when it was not. */
  async markPlanFinal(trx: Db, year: number): Promise<boolean> {
    return (await trx('roster_plans').where({ year, provisional: true }).update({ provisional: false })) > 0;
  }

  async savePlan(trx: Db, p: Omit<PlanRecord, 'generatedAt'>, now = new Date()): Promise<void> {
    const row = {
      provisional: p.provisional, source: p.source, report: p.report === null ? null : JSON.stringify(p.report),
      generated_by: p.generatedBy, generated_at: toDbTime(now),
    };
    await trx('roster_plans').insert({ year: p.year, ...row }).onConflict('year').merge(row);
  }
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
