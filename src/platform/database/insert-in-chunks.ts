import type { Knex } from 'knex';

/**
 * Inserts rows with knex's batchInsert, `chunkSize` to a statement (well under SQLite's and MySQL's
 * limits on bound values), inside the caller's transaction when `db` is one.
 */
export async function insertInChunks(db: Knex | Knex.Transaction, table: string, rows: Record<string, unknown>[], chunkSize = 500): Promise<void> {
  if (!rows.length) return;
  const batch = db.batchInsert(table, rows, chunkSize);
  await (db.isTransaction ? batch.transacting(db as Knex.Transaction) : batch);
}
