import type { Knex } from 'knex';
import { toDbTime } from '../platform/database/time';

/** One session's (or meeting's) mapping to its Lark event, and its place in the sync queue. */
export interface EventMapping {
  /** sessions.id, or consultations.id for a meeting's table. */
  itemId: number;
  eventId: string | null;
  wantHash: string;
  syncedHash: string | null;
  wantSequence: number;
  attendees: string[];
  attempts: number;
}

/** Which mapping table a store works on: the reception sessions' (017) or the meetings' (028). */
export interface MappingTable {
  table: string;
  key: string;
}

export const SESSION_EVENTS: MappingTable = { table: 'lark_calendar_events', key: 'session_id' };
export const MEETING_EVENTS: MappingTable = { table: 'lark_calendar_meetings', key: 'consultation_id' };

/**
 * The only SQL for lark_calendars, lark_calendar_events (migration 017) and lark_calendar_meetings
 * (028). Every claim is a compare-and-set on the row, so two replicas on one database never both
 * call Lark for it.
 */
export class LarkCalendarStore {
  private readonly table: string;
  private readonly key: string;

  constructor(private readonly db: Knex, mapping: MappingTable = SESSION_EVENTS) {
    this.table = mapping.table;
    this.key = mapping.key;
  }

  /** The stored calendar id, or null while none was created. */
  async calendarId(name: string): Promise<string | null> {
    const r: any = await this.db('lark_calendars').where({ name }).first('calendar_id');
    return r?.calendar_id ?? null;
  }

  /**
   * Claims the right to create the calendar for `leaseMs`: the row is made once (its name is the
   * primary key), and only one owner at a time holds an unexpired claim on a row with no id.
   */
  async claimCalendar(name: string, owner: string, now: Date, leaseMs: number): Promise<boolean> {
    const t = toDbTime(now);
    await this.db('lark_calendars').insert({ name, calendar_id: null, claimed_by: null, claimed_until: null, created_at: t, updated_at: t }).onConflict('name').ignore();
    const n = await this.db('lark_calendars')
      .where({ name })
      .whereNull('calendar_id')
      .where((w) => w.whereNull('claimed_until').orWhere('claimed_until', '<', t).orWhere('claimed_by', owner))
      .update({ claimed_by: owner, claimed_until: toDbTime(new Date(now.getTime() + leaseMs)), updated_at: t });
    return n === 1;
  }

  /** Stores the created calendar's id under the claim; false when the claim was lost meanwhile. */
  async setCalendarId(name: string, owner: string, calendarId: string, now: Date): Promise<boolean> {
    const n = await this.db('lark_calendars')
      .where({ name, claimed_by: owner })
      .whereNull('calendar_id')
      .update({ calendar_id: calendarId, claimed_until: null, updated_at: toDbTime(now) });
    return n === 1;
  }

  async releaseCalendar(name: string, owner: string, now: Date): Promise<void> {
    await this.db('lark_calendars').where({ name, claimed_by: owner }).whereNull('calendar_id').update({ claimed_until: null, updated_at: toDbTime(now) });
  }

  async mappings(ids: number[]): Promise<Map<number, EventMapping>> {
    const out = new Map<number, EventMapping>();
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await this.db(this.table).whereIn(this.key, ids.slice(i, i + 500));
      for (const r of rows) out.set(Number(r[this.key]), toMapping(r, this.key));
    }
    return out;
  }

  /**
   * What the session should look like in Lark. A new session gets a pending row; a changed one
   * (another want_hash) becomes pending again, due now, its attempts reset. Safe to run from two
   * replicas at once: the insert ignores a row that exists, the update only changes another hash.
   */
  async want(id: number, hash: string, sequence: number, now: Date, exists: boolean): Promise<void> {
    const t = toDbTime(now);
    if (!exists) {
      await this.db(this.table)
        .insert({ [this.key]: id, event_id: null, want_hash: hash, synced_hash: null, want_sequence: sequence, synced_sequence: null, attendees: '[]', attempts: 0, next_attempt_at: t, created_at: t, updated_at: t })
        .onConflict(this.key)
        .ignore();
    }
    await this.db(this.table)
      .where({ [this.key]: id })
      .whereNot('want_hash', hash)
      .update({ want_hash: hash, want_sequence: sequence, attempts: 0, next_attempt_at: t, last_error: null, updated_at: t });
  }

  /** Claims up to `limit` due rows whose want differs from what was written, each with a lease. */
  async claimDue(owner: string, now: Date, leaseMs: number, limit: number): Promise<EventMapping[]> {
    const t = toDbTime(now);
    const rows = await this.db(this.table)
      .whereRaw('(synced_hash is null or synced_hash <> want_hash)')
      .where('next_attempt_at', '<=', t)
      .where((w) => w.whereNull('lease_until').orWhere('lease_until', '<', t))
      .orderBy('next_attempt_at')
      .limit(limit)
      .select(this.key, 'lease_until');
    const claimed: number[] = [];
    const until = toDbTime(new Date(now.getTime() + leaseMs));
    for (const r of rows) {
      const q = this.db(this.table).where({ [this.key]: r[this.key] });
      if (r.lease_until === null) q.whereNull('lease_until');
      else q.where('lease_until', r.lease_until);
      const n = await q.update({ lease_owner: owner, lease_until: until });
      if (n === 1) claimed.push(Number(r[this.key]));
    }
    return [...(await this.mappings(claimed)).values()];
  }

  /** Saves what Lark now holds (under the lease): the event id and attendees, and, when done, the hash written. */
  async saveProgress(id: number, owner: string, p: { eventId: string | null; attendees: string[]; syncedHash?: string; syncedSequence?: number }, now: Date): Promise<boolean> {
    const row: Record<string, unknown> = { event_id: p.eventId, attendees: JSON.stringify(p.attendees), updated_at: toDbTime(now) };
    if (p.syncedHash !== undefined) Object.assign(row, { synced_hash: p.syncedHash, synced_sequence: p.syncedSequence ?? null, attempts: 0, last_error: null, lease_owner: null, lease_until: null });
    const n = await this.db(this.table).where({ [this.key]: id, lease_owner: owner }).update(row);
    return n === 1;
  }

  /** A failed call: tried again at `nextAt`; the error is Lark's code and message, nothing of the session. */
  async fail(id: number, owner: string, attempts: number, nextAt: Date, error: string, now: Date): Promise<void> {
    await this.db(this.table)
      .where({ [this.key]: id, lease_owner: owner })
      .update({ attempts, next_attempt_at: toDbTime(nextAt), last_error: error.slice(0, 200), lease_owner: null, lease_until: null, updated_at: toDbTime(now) });
  }

  /** Rows still to write and, of them, the ones that failed at least once. */
  async backlog(): Promise<{ pending: number; failing: number }> {
    const r: any = await this.db(this.table)
      .whereRaw('(synced_hash is null or synced_hash <> want_hash)')
      .select(this.db.raw('count(*) as n'), this.db.raw('sum(case when attempts > 0 then 1 else 0 end) as f'))
      .first();
    return { pending: Number(r?.n ?? 0), failing: Number(r?.f ?? 0) };
  }
}

function toMapping(r: any, key: string): EventMapping {
  let attendees: string[] = [];
  try {
    attendees = JSON.parse(r.attendees ?? '[]');
  } catch {
    attendees = [];
  }
  return {
    itemId: Number(r[key]),
    eventId: r.event_id ?? null,
    wantHash: String(r.want_hash),
    syncedHash: r.synced_hash ?? null,
    wantSequence: Number(r.want_sequence ?? 0),
    attendees,
    attempts: Number(r.attempts ?? 0),
  };
}
