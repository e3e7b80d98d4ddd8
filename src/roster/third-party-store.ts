import type { Knex } from 'knex';
import { toDbTime } from '../platform/database/time';
import { insertInChunks } from '../platform/database/insert-in-chunks';
import type { IsoDate } from '../platform/calendar/domain';
import type { AssignHow, SessionThirdParty, ThirdParty, ThirdPartyKind, TpBooking } from './domain/third-party-rules';
import { CHUNK, Db } from './store-rows';

export type { SessionThirdParty };

export type ThirdPartyAction = 'registered' | 'removed' | 'assigned' | 'unassigned';

export interface ThirdPartyEvent {
  id: number;
  thirdPartyId: number;
  sessionId: number | null;
  action: ThirdPartyAction;
  how: AssignHow | null;
  actorId: string;
  reason: string | null;
  at: string;
}

/** Sessions with someone of the roster, in a period: how many, and how many had each kind. */
export interface ThirdPartyFigures {
  from: IsoDate;
  to: IsoDate;
  /** Sessions (not cancelled) with at least one third party. */
  sessions: number;
  /** Sessions with at least one person of the kind. */
  byKind: Record<ThirdPartyKind, number>;
}

/** The only SQL of third_parties, session_third_parties and third_party_events (migration 025). */
export class ThirdPartyStore {
  constructor(private readonly db: Knex) {}

  async insert(trx: Db, p: Omit<ThirdParty, 'id' | 'active'>, by: string, now: Date): Promise<number> {
    const t = toDbTime(now);
    const [id] = await trx('third_parties').insert({
      name: p.name, kind: p.kind, organisation: p.organisation, phone: p.phone, active: true, created_by: by, created_at: t, updated_at: t,
    });
    // MySQL answers the id; SQLite too; both as a number or a string.
    return Number(id);
  }

  async list(opts: { activeOnly?: boolean; kind?: ThirdPartyKind } = {}, db: Db = this.db): Promise<ThirdParty[]> {
    const q = db('third_parties').orderBy('id');
    if (opts.activeOnly) q.where({ active: true });
    if (opts.kind) q.where({ kind: opts.kind });
    return (await q).map(toThirdParty);
  }

  async get(id: number, db: Db = this.db): Promise<ThirdParty | null> {
    if (!Number.isInteger(id) || id <= 0) return null;
    const r = await db('third_parties').where({ id }).first();
    return r ? toThirdParty(r) : null;
  }

  async hasAny(db: Db = this.db): Promise<boolean> {
    return !!(await db('third_parties').first('id'));
  }

  async setInactive(trx: Db, id: number, now: Date): Promise<void> {
    await trx('third_parties').where({ id }).update({ active: false, updated_at: toDbTime(now) });
  }

  /** Every booking on a non-cancelled session dated from..to, with the session's day, half-day and venue. */
  async bookings(from: IsoDate, to: IsoDate, db: Db = this.db): Promise<TpBooking[]> {
    const rows = await db('session_third_parties as st')
      .join('sessions as s', 's.id', 'st.session_id')
      .join('venues as v', 'v.id', 's.venue_id')
      .where('s.date', '>=', from).andWhere('s.date', '<=', to).whereNot('s.status', 'cancelled')
      .select('st.session_id', 'st.third_party_id', 'st.how', 's.date', 's.slot', 'v.name as venue_name')
      .orderBy([{ column: 's.date' }, { column: 'st.session_id' }, { column: 'st.third_party_id' }]);
    return rows.map((r: any) => ({
      sessionId: Number(r.session_id), thirdPartyId: Number(r.third_party_id), how: r.how, date: r.date, slot: r.slot, venueName: r.venue_name,
    }));
  }

  /**
   * A person's bookings on a day (non-cancelled sessions), read with a lock (on MySQL a current read),
   * so a check made after locking the person sees what a transaction that committed meanwhile
   * booked, even inside a turn whose snapshot is older.
   */
  async personBookingsOn(trx: Db, thirdPartyId: number, date: IsoDate): Promise<TpBooking[]> {
    const rows = await trx('session_third_parties as st')
      .join('sessions as s', 's.id', 'st.session_id')
      .join('venues as v', 'v.id', 's.venue_id')
      .where('st.third_party_id', thirdPartyId).andWhere('s.date', date).whereNot('s.status', 'cancelled')
      .select('st.session_id', 'st.third_party_id', 'st.how', 's.date', 's.slot', 'v.name as venue_name')
      .orderBy('st.session_id')
      .forShare();
    return rows.map((r: any) => ({
      sessionId: Number(r.session_id), thirdPartyId: Number(r.third_party_id), how: r.how, date: r.date, slot: r.slot, venueName: r.venue_name,
    }));
  }

  /** The people booked on each of the sessions, in kind order then as registered. */
  async ofSessions(ids: number[], db: Db = this.db): Promise<Map<number, SessionThirdParty[]>> {
    const out = new Map<number, SessionThirdParty[]>();
    for (let i = 0; i < ids.length; i += CHUNK) {
      const rows = await this.assignmentRows(db).whereIn('st.session_id', ids.slice(i, i + CHUNK));
      for (const r of rows) out.set(Number(r.session_id), [...(out.get(Number(r.session_id)) ?? []), toAssignment(r)]);
    }
    return out;
  }

  /** The same for the sessions a subquery selects (one query, however many sessions: the calendar feeds). */
  async ofSessionQuery(sessionIds: Knex.QueryBuilder, db: Db = this.db): Promise<Map<number, SessionThirdParty[]>> {
    const out = new Map<number, SessionThirdParty[]>();
    for (const r of await this.assignmentRows(db).whereIn('st.session_id', sessionIds)) {
      out.set(Number(r.session_id), [...(out.get(Number(r.session_id)) ?? []), toAssignment(r)]);
    }
    return out;
  }

  private assignmentRows(db: Db): Knex.QueryBuilder {
    return db('session_third_parties as st')
      .join('third_parties as t', 't.id', 'st.third_party_id')
      .select('st.session_id', 'st.how', 'st.assigned_by', 'st.assigned_at', 't.*')
      .orderBy([{ column: 't.kind' }, { column: 't.id' }]);
  }

  /** The coming sessions (from `from`, not cancelled) a person is booked on. */
  async comingSessionsOf(thirdPartyId: number, from: IsoDate, db: Db = this.db): Promise<number[]> {
    const rows = await db('session_third_parties as st')
      .join('sessions as s', 's.id', 'st.session_id')
      .where('st.third_party_id', thirdPartyId).andWhere('s.date', '>=', from).whereNot('s.status', 'cancelled')
      .orderBy('s.date').select('s.id');
    return rows.map((r: any) => Number(r.id));
  }

  async assign(trx: Db, a: { sessionId: number; thirdPartyId: number; how: AssignHow; by: string }, now: Date): Promise<void> {
    await trx('session_third_parties').insert({
      session_id: a.sessionId, third_party_id: a.thirdPartyId, how: a.how, assigned_by: a.by, assigned_at: toDbTime(now),
    });
  }

  /** Many rule bookings at once (plan generation), each with its audit entry. */
  async assignMany(trx: Db, list: Array<{ sessionId: number; thirdPartyId: number }>, how: AssignHow, by: string, reason: string, now: Date): Promise<void> {
    const t = toDbTime(now);
    await insertInChunks(trx, 'session_third_parties', list.map((a) => ({
      session_id: a.sessionId, third_party_id: a.thirdPartyId, how, assigned_by: by, assigned_at: t,
    })));
    await insertInChunks(trx, 'third_party_events', list.map((a) => ({
      third_party_id: a.thirdPartyId, session_id: a.sessionId, action: 'assigned', how, actor_id: by, reason, at: t,
    })));
  }

  /** Whether there was such a booking. */
  async unassign(trx: Db, sessionId: number, thirdPartyId: number): Promise<boolean> {
    return (await trx('session_third_parties').where({ session_id: sessionId, third_party_id: thirdPartyId }).delete()) > 0;
  }

  async recordEvent(trx: Db, e: Omit<ThirdPartyEvent, 'id' | 'at'>, now: Date): Promise<void> {
    await trx('third_party_events').insert({
      third_party_id: e.thirdPartyId, session_id: e.sessionId, action: e.action, how: e.how, actor_id: e.actorId,
      reason: e.reason ? e.reason.slice(0, 200) : null, at: toDbTime(now),
    });
  }

  async events(filter: { thirdPartyId?: number; sessionId?: number } = {}, db: Db = this.db): Promise<ThirdPartyEvent[]> {
    const q = db('third_party_events').orderBy('id');
    if (filter.thirdPartyId !== undefined) q.where({ third_party_id: filter.thirdPartyId });
    if (filter.sessionId !== undefined) q.where({ session_id: filter.sessionId });
    return (await q).map((r: any) => ({
      id: Number(r.id), thirdPartyId: Number(r.third_party_id), sessionId: r.session_id === null ? null : Number(r.session_id),
      action: r.action, how: r.how ?? null, actorId: r.actor_id, reason: r.reason ?? null, at: r.at,
    }));
  }

  /** thirdPartyFigures: sessions (not cancelled) dated in the period with a third party, in all and by kind. */
  async figures(from: IsoDate, to: IsoDate, db: Db = this.db): Promise<ThirdPartyFigures> {
    const base = () => db('session_third_parties as st')
      .join('sessions as s', 's.id', 'st.session_id')
      .join('third_parties as t', 't.id', 'st.third_party_id')
      .where('s.date', '>=', from).andWhere('s.date', '<=', to).whereNot('s.status', 'cancelled');
    const all: any = await base().countDistinct({ n: 'st.session_id' }).first();
    const kinds: any[] = await base().groupBy('t.kind').select('t.kind').countDistinct({ n: 'st.session_id' });
    const byKind = { 律师: 0, 心理咨询师: 0, 调解员: 0, 其他: 0 } as Record<ThirdPartyKind, number>;
    for (const k of kinds) if (k.kind in byKind) byKind[k.kind as ThirdPartyKind] = Number(k.n);
    return { from, to, sessions: Number(all?.n ?? 0), byKind };
  }
}

function toThirdParty(r: any): ThirdParty {
  return {
    id: Number(r.id), name: r.name, kind: r.kind, organisation: r.organisation ?? null, phone: r.phone ?? null, active: Boolean(r.active),
  };
}

function toAssignment(r: any): SessionThirdParty {
  return { ...toThirdParty(r), how: r.how, assignedBy: r.assigned_by, assignedAt: r.assigned_at };
}
