import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { dialectOf } from '../platform/database/connection';
import type { RowSetVersion } from '../platform/database/row-checks';
import { fromDbTime } from '../platform/database/time';
import type { SessionThirdParty } from './domain/third-party-rules';
import { ThirdPartyStore } from './third-party-store';

/** Joins a session's leader ids in one column; no id contains the unit separator. */
const SEP = '\u001f';

/** A session as the feeds read it. */
export interface FeedSession {
  id: number;
  uid: string;
  date: string;
  slot: string;
  startTime: string;
  endTime: string;
  type: string;
  venueId: string;
  accompanyUnits: string[];
  focus: string | null;
  capacity: number | null;
  status: string;
  sequence: number;
  planYear: number;
  createdAt: Date;
  updatedAt: Date;
  /** In the leaders' sort order. */
  leaderIds: string[];
  /** 第三方力量 at the session (not read for the public feed). */
  thirdParties?: SessionThirdParty[];
}

export interface FeedLeader {
  id: string;
  name: string;
  level: string;
  title: string;
  sortOrder: number;
}

export interface FeedVenue {
  id: string;
  name: string;
  kind: string;
  town: string | null;
  address: string | null;
}

/** Leaders and venues, which every session feed reads, with a hash of their content. */
export interface FeedDimensions {
  leaders: Map<string, FeedLeader>;
  venues: Map<string, FeedVenue>;
  fingerprint: string;
}

/** Which sessions a feed holds. */
export type SessionScope =
  | { kind: 'public' }
  | { kind: 'leader'; leaderId: string }
  | { kind: 'venue'; venueId: string }
  /** A whole plan year, every status, no window (the admin's export). */
  | { kind: 'plan'; year: number };

/**
 * The days a feed looks at: sessions from `fromDate` on, and cancelled sessions while their
 * date or their cancellation (the row's last update) is no older than `cancelFromDate`.
 */
export interface FeedWindow {
  fromDate: string;
  cancelFromDate: string;
  /** cancelFromDate's first instant, as the database stores instants. */
  cancelFromInstant: string;
}

/**
 * The roster as the calendar feeds read it (sessions, their leaders, leaders and venues), for
 * the feeds' version checks and rendering. Plain knex; the same on SQLite and MySQL.
 */
export class RosterFeedQueries {
  constructor(private readonly db: Knex) {}

  private scoped(scope: SessionScope, window: FeedWindow): Knex.QueryBuilder {
    const q = this.db('sessions as s');
    if (scope.kind === 'leader') {
      q.whereIn('s.id', this.db('session_leaders').select('session_id').where('leader_id', scope.leaderId));
    }
    if (scope.kind === 'venue') q.where('s.venue_id', scope.venueId);
    if (scope.kind === 'plan') {
      q.where('s.plan_year', scope.year);
      return q;
    }
    q.where((w) => {
      w.where((a) => {
        a.whereNot('s.status', 'cancelled').andWhere('s.date', '>=', window.fromDate);
      }).orWhere((b) => {
        b.where('s.status', 'cancelled').andWhere((c) => {
          c.where('s.date', '>=', window.cancelFromDate).orWhere('s.updated_at', '>=', window.cancelFromInstant);
        });
      });
    });
    return q;
  }

  /**
   * What changes whenever a session is written: the latest update time and the highest id, both
   * index lookups. Every roster change raises updated_at (and SEQUENCE); sessions are never
   * deleted. SQLite also counts rows for free (it keeps no count, but answers count(*) from the
   * smallest b-tree without reading rows); MySQL would scan, so there the counts are left to
   * the service's one-minute recheck.
   */
  async sessionSignal(): Promise<string> {
    const counts = dialectOf(this.db) === 'sqlite';
    const row: any = await this.db
      .select(
        this.db.raw('(select max(updated_at) from sessions) as m'),
        this.db.raw('(select max(id) from sessions) as i'),
        ...(counts ? [this.db.raw('(select count(*) from sessions) as n'), this.db.raw('(select count(*) from session_leaders) as l')] : []),
      )
      .first();
    return `${String(row?.m ?? '')}|${String(row?.i ?? '')}|${String(row?.n ?? '')}|${String(row?.l ?? '')}`;
  }

  /** One aggregate row over the feed's sessions: what the ETag is made of. */
  async sessionVersion(scope: SessionScope, window: FeedWindow): Promise<RowSetVersion> {
    const row: any = await this.scoped(scope, window)
      .select(
        this.db.raw('count(*) as n'),
        this.db.raw('max(s.updated_at) as m'),
        this.db.raw('sum(s.sequence) as q'),
        this.db.raw('sum(s.id) as i'),
      )
      .first();
    return {
      count: Number(row?.n ?? 0),
      maxUpdatedAt: row?.m ? String(row.m) : null,
      sums: `${String(row?.q ?? 0)}:${String(row?.i ?? 0)}`,
    };
  }

  async sessions(scope: SessionScope, window: FeedWindow, dims: FeedDimensions): Promise<FeedSession[]> {
    // The leaders come along in one column (a lookup in session_leaders' primary key per row):
    // one query instead of two and no second pass over 25,000 rows.
    // The public feed shows no units, focus or capacity: fewer columns, a faster read.
    const details = scope.kind === 'public' ? [] : ['s.accompany_units', 's.focus', 's.capacity'];
    const rows: any[] = await this.scoped(scope, window)
      .select(
        's.id', 's.uid', 's.date', 's.slot', 's.start_time', 's.end_time', 's.type', 's.venue_id', ...details,
        's.status', 's.sequence', 's.plan_year', 's.created_at', 's.updated_at',
        this.db.raw(
          dialectOf(this.db) === 'mysql'
            ? `(select group_concat(sl.leader_id separator '${SEP}') from session_leaders sl where sl.session_id = s.id) as leader_ids`
            : `(select group_concat(sl.leader_id, '${SEP}') from session_leaders sl where sl.session_id = s.id) as leader_ids`,
        ),
      )
      .orderBy([{ column: 's.date' }, { column: 's.start_time' }, { column: 's.uid' }]);
    // 第三方力量, in one query over the same sessions; the public feed names nobody.
    const thirdParties = scope.kind === 'public' ? null : await new ThirdPartyStore(this.db).ofSessionQuery(this.scoped(scope, window).select('s.id'));
    const order = (id: string) => dims.leaders.get(id)?.sortOrder ?? Number.MAX_SAFE_INTEGER;
    const time = timeParser();
    return rows.map((r) => {
      const leaderIds = r.leader_ids ? String(r.leader_ids).split(SEP) : [];
      if (leaderIds.length > 1) leaderIds.sort((a, b) => order(a) - order(b) || (a < b ? -1 : a > b ? 1 : 0));
      return {
        id: Number(r.id),
        uid: String(r.uid),
        date: String(r.date),
        slot: String(r.slot),
        startTime: String(r.start_time),
        endTime: String(r.end_time),
        type: String(r.type),
        venueId: String(r.venue_id),
        accompanyUnits: parseList(r.accompany_units),
        focus: r.focus ?? null,
        capacity: r.capacity === null || r.capacity === undefined ? null : Number(r.capacity),
        status: String(r.status),
        sequence: Number(r.sequence ?? 0),
        planYear: Number(r.plan_year),
        createdAt: time(r.created_at),
        updatedAt: time(r.updated_at),
        leaderIds,
        ...(thirdParties?.has(Number(r.id)) ? { thirdParties: thirdParties.get(Number(r.id)) } : {}),
      };
    });
  }

  /** Every leader and venue (a county has a few hundred at most), and a hash of what feeds show of them. */
  async dimensions(): Promise<FeedDimensions> {
    const [leaderRows, venueRows] = await Promise.all([
      this.db('leaders').select(...LEADER_COLUMNS).orderBy('id'),
      this.db('venues').select(...VENUE_COLUMNS).orderBy('id'),
    ]);
    return fingerprinted(leaderRows, venueRows);
  }

  /**
   * The leaders and venues a feed's sessions name (a leader's or a venue's feed: a handful, read
   * through the sessions' indexes however many counties share the tables), or all of them (the
   * public and plan feeds, which name them all anyway). A leader renamed in another county then
   * changes neither the leader's feed nor its ETag.
   */
  async dimensionsFor(scope: SessionScope, window: FeedWindow): Promise<FeedDimensions> {
    if (scope.kind === 'public' || scope.kind === 'plan') return this.dimensions();
    const sessionIds = this.scoped(scope, window).select('s.id');
    const [leaderRows, venueRows] = await Promise.all([
      this.db('leaders')
        .select(...LEADER_COLUMNS)
        .whereIn('id', this.db('session_leaders').select('leader_id').whereIn('session_id', sessionIds))
        .orderBy('id'),
      this.db('venues').select(...VENUE_COLUMNS).whereIn('id', this.scoped(scope, window).select('s.venue_id')).orderBy('id'),
    ]);
    return fingerprinted(leaderRows, venueRows);
  }

  async leader(id: string): Promise<FeedLeader | null> {
    const r: any = await this.db('leaders').select(...LEADER_COLUMNS).where({ id }).first();
    return r ? toLeader(r) : null;
  }

  async venue(id: string): Promise<FeedVenue | null> {
    const r: any = await this.db('venues').select(...VENUE_COLUMNS).where({ id }).first();
    return r ? toVenue(r) : null;
  }
}

/** The leaders and venues as feeds read them, with a hash of what feeds show of them. */
function fingerprinted(leaderRows: any[], venueRows: any[]): FeedDimensions {
  const h = createHash('sha256');
  const leaders = new Map<string, FeedLeader>();
  for (const r of leaderRows as any[]) {
    const l = toLeader(r);
    leaders.set(l.id, l);
    h.update(`L\u0000${l.id}\u0000${l.name}\u0000${l.level}\u0000${l.title}\u0000${l.sortOrder}\n`);
  }
  const venues = new Map<string, FeedVenue>();
  for (const r of venueRows as any[]) {
    const v = toVenue(r);
    venues.set(v.id, v);
    h.update(`V\u0000${v.id}\u0000${v.name}\u0000${v.kind}\u0000${v.town ?? ''}\u0000${v.address ?? ''}\n`);
  }
  return { leaders, venues, fingerprint: h.digest('base64url') };
}

const LEADER_COLUMNS = ['id', 'name', 'level', 'title', 'sort_order'];
const VENUE_COLUMNS = ['id', 'name', 'kind', 'town', 'address'];

function toLeader(r: any): FeedLeader {
  return { id: String(r.id), name: String(r.name), level: String(r.level), title: String(r.title), sortOrder: Number(r.sort_order ?? 0) };
}

function toVenue(r: any): FeedVenue {
  return { id: String(r.id), name: String(r.name), kind: String(r.kind), town: r.town ?? null, address: r.address ?? null };
}

/** A plan written in bulk shares a handful of timestamps: each is parsed once. */
function timeParser(): (v: unknown) => Date {
  const times = new Map<string, Date>();
  return (v) => {
    const k = String(v);
    let d = times.get(k);
    if (d === undefined) times.set(k, (d = fromDbTime(k)!));
    return d;
  };
}

function parseList(v: unknown): string[] {
  if (v === null || v === undefined || v === '' || v === '[]') return [];
  if (Array.isArray(v)) return v.map(String);
  try {
    const parsed = JSON.parse(String(v));
    if (Array.isArray(parsed)) return parsed.map(String).filter((s) => s.trim() !== '');
    return [String(parsed)];
  } catch {
    return [String(v)];
  }
}
