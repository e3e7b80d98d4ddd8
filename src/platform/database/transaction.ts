import type { Knex } from 'knex';
import { inheritUserParams, isAmbientDb, runInTurn } from './ambient-transaction';

const RETRYABLE = new Set(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT', 'SQLITE_BUSY']);

/** Whether a transaction's failure is worth running it again (a deadlock, a lock timeout). */
export function isRetryable(err: unknown): boolean {
  return RETRYABLE.has((err as { code?: unknown } | null)?.code as string);
}

/**
 * Runs fn in a transaction, and runs it again (up to `attempts` times) when the database
 * aborted it for a deadlock or a lock timeout. fn must be safe to repeat: it only touches the
 * database through trx.
 *
 * Inside another transaction (a turn's ambient one, see ambient-transaction.ts, or a `trx`
 * passed as db) this is a savepoint and is not retried: on MySQL a deadlock aborts the whole
 * transaction, so only its owner can run it again.
 */
export async function runTransaction<T>(db: Knex, fn: (trx: Knex.Transaction) => Promise<T>, attempts = 5): Promise<T> {
  if (db.isTransaction) {
    return db.transaction((sp) => {
      inheritUserParams(sp, db);
      return fn(sp);
    });
  }
  for (let i = 1; ; i++) {
    try {
      return await db.transaction(fn);
    } catch (err: unknown) {
      if (i >= attempts || !isRetryable(err)) throw err;
      await new Promise((r) => setTimeout(r, 5 * i + Math.random() * 20));
    }
  }
}

/**
 * Runs fn as a turn (see ambient-transaction.ts): in one transaction of `db` (a handle made by
 * ambientDb), through which every query on the handle inside fn goes, retried as a whole after
 * a deadlock. fn must be safe to repeat as a whole: its effects outside the database (in memory)
 * must not matter when the transaction is rolled back.
 */
export function runTurn<T>(db: Knex, fn: (trx: Knex.Transaction) => Promise<T>, attempts = 5): Promise<T> {
  if (!isAmbientDb(db)) throw new Error('runTurn needs a handle made by ambientDb');
  return runTransaction(db, (trx) => runInTurn(db, trx, () => fn(trx)), attempts);
}
