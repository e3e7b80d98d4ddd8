import type { Knex } from 'knex';
import { toDbTime } from '../platform/database/time';
import type { IsoDate } from '../platform/calendar/domain';
import type { RosterLeader, RosterVenue, Unavailability } from './domain';
import { Db, parseJsonArray } from './store-rows';
import { lockKeys } from '../platform/database/cluster-lock';

/** Who receives and where: the leaders, the venues, and the days a leader is away (leave). */
export class LeaderStore {
  constructor(private readonly db: Knex) {}

  // --- leaders ---

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

  /**
   * Serialises changes touching the same leaders (MySQL row locks; SQLite runs one writer anyway;
   * on a Galera cluster, where FOR UPDATE locks one node only, the lock rows' writes conflict).
   */
  async lockLeaders(trx: Knex.Transaction, ids: string[]): Promise<void> {
    await lockKeys(trx, ids.map((id) => `leader:${id}`));
    await trx('leaders').whereIn('id', ids).forUpdate().select('id');
  }

  // --- venues ---

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
