import type { Knex } from 'knex';
import type { Db } from './case-store';

/**
 * The towns of a leader's 接访 duty, which widen what the leader sees of cases. The table is the
 * roster's (leaders); the cases capability cannot ask the roster (the roster imports cases for its
 * briefings, and an import back would be a cycle), so this one read-only query stays here.
 */
export class CasePeopleStore {
  constructor(private readonly db: Knex) {}

  /** The towns of a leader's 接访 duty (leaders.towns, a JSON list); [] when none or malformed. */
  async leaderTowns(leaderId: string, db: Db = this.db): Promise<string[]> {
    const row = await db('leaders').where({ id: leaderId }).first('towns');
    if (!row?.towns) return [];
    try {
      const list = JSON.parse(row.towns);
      return Array.isArray(list) ? list.filter((t): t is string => typeof t === 'string') : [];
    } catch {
      // A malformed towns column only narrows what the leader sees.
      return [];
    }
  }
}
