import type { Knex } from 'knex';

/** A connection or a transaction: every store method runs on either. */
export type Db = Knex | Knex.Transaction;

/** Rows per statement for the roster's bulk writes and reads (well under SQLite's and MySQL's limits). */
export const CHUNK = 500;

/** A JSON list column (leaders.towns, sessions.accompany_units) as strings; anything else reads as empty. */
export function parseJsonArray(s: unknown): string[] {
  if (typeof s !== 'string' || !s) return [];
  try {
    const v = JSON.parse(s);
    return Array.isArray(v) ? v.map(String) : [];
  } catch {
    return [];
  }
}
