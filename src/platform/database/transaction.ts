import type { Knex } from 'knex';

const RETRYABLE = new Set(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT', 'SQLITE_BUSY']);

/**
 * Runs fn in a transaction, and runs it again (up to `attempts` times) when the database
 * aborted it for a deadlock or a lock timeout. fn must be safe to repeat: it only touches the
 * database through trx.
 */
export async function runTransaction<T>(db: Knex, fn: (trx: Knex.Transaction) => Promise<T>, attempts = 5): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await db.transaction(fn);
    } catch (err: any) {
      if (i >= attempts || !RETRYABLE.has(err?.code)) throw err;
      await new Promise((r) => setTimeout(r, 5 * i + Math.random() * 20));
    }
  }
}
