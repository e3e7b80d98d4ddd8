import type { Knex } from 'knex';

/**
 * Cheap facts about a set of rows that change whenever the rows do (one aggregate query):
 * compared before the rows themselves are read, as a feed's ETag is.
 */
export interface RowSetVersion {
  count: number;
  maxUpdatedAt: string | null;
  /** Sums that move when rows are swapped for others with the same count and times. */
  sums: string;
}

/**
 * Whether some row of `table` holds exactly `value` in `column`. MySQL's collation compares
 * case- and accent-insensitively, so the row it finds is checked again here, in JavaScript.
 */
export async function hasExactValue(db: Knex, table: string, column: string, value: string): Promise<boolean> {
  const hit = await db(table).select(column).where(column, value).first();
  return Boolean(hit) && String(hit[column]) === value;
}
