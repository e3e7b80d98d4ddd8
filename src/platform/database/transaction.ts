import type { Knex } from 'knex';
import { inheritUserParams, isAmbientDb, runInTurn } from './ambient-transaction';

// SQLITE_BUSY_SNAPSHOT: a WAL transaction that read before another connection wrote cannot write; it must start again.
const RETRYABLE = new Set(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT', 'SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT']);

/**
 * How many times a transaction (or a lone statement) is run before its deadlock is the caller's:
 * on MariaDB Galera writers on other nodes do not wait for a row, they win it at commit, so a hot
 * row (the year's case counter) can take a transaction several tries.
 */
export const TRANSACTION_ATTEMPTS = 10;

/** Before try i + 1: a random wait up to 10 ms·2^i (at most 250 ms), so that tries that collided spread out. */
function backoff(i: number): Promise<void> {
  return new Promise((r) => setTimeout(r, 2 + Math.random() * Math.min(250, 10 * 2 ** i)));
}

/** Whether a transaction's failure is worth running it again (a deadlock, a lock timeout). */
export function isRetryable(err: unknown): boolean {
  return RETRYABLE.has((err as { code?: unknown } | null)?.code as string);
}

/**
 * Runs fn in a transaction, and runs it again (up to `attempts` times) when the database
 * aborted it for a deadlock or a lock timeout (on Galera also: lost a conflict at COMMIT). fn
 * must be safe to repeat: it only touches the database through trx.
 *
 * Inside another transaction (a turn's ambient one, see ambient-transaction.ts, or a `trx`
 * passed as db) this is a savepoint and is not retried: on MySQL a deadlock aborts the whole
 * transaction, so only its owner can run it again.
 */
export async function runTransaction<T>(db: Knex, fn: (trx: Knex.Transaction) => Promise<T>, attempts = TRANSACTION_ATTEMPTS): Promise<T> {
  if (db.isTransaction) {
    return db.transaction((sp) => {
      inheritUserParams(sp, db);
      return fn(sp);
    });
  }
  // On MariaDB Galera a conflict with a write committed on another node is told by COMMIT (knex
  // rejects the transaction with it, ER_LOCK_DEADLOCK): the same retry covers it.
  return retryingStatement(() => db.transaction(fn), attempts);
}

/**
 * Runs fn as a turn (see ambient-transaction.ts): in one transaction of `db` (a handle made by
 * ambientDb), through which every query on the handle inside fn goes, retried as a whole after
 * a deadlock. fn must be safe to repeat as a whole: its effects outside the database (in memory)
 * must not matter when the transaction is rolled back.
 */
export function runTurn<T>(db: Knex, fn: (trx: Knex.Transaction) => Promise<T>, attempts = TRANSACTION_ATTEMPTS): Promise<T> {
  if (!isAmbientDb(db)) throw new Error('runTurn needs a handle made by ambientDb');
  return runTransaction(db, (trx) => runInTurn(db, trx, () => fn(trx)), attempts);
}

/**
 * Runs one statement outside a transaction (autocommit) again when the database aborted it for a
 * deadlock or a lock timeout. On MariaDB Galera an autocommit write that conflicts with a write
 * committed on another node fails at its commit with ER_LOCK_DEADLOCK; the server runs it again
 * once (wsrep_retry_autocommit=1), this a few more times. fn must be safe to repeat (a conditional
 * UPDATE, an INSERT … IGNORE).
 */
export async function retryingStatement<T>(fn: () => PromiseLike<T>, attempts = TRANSACTION_ATTEMPTS): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err: unknown) {
      if (i >= attempts || !isRetryable(err)) throw err;
      await backoff(i);
    }
  }
}
