import type { Knex } from 'knex';

const KEY_MAX = 64 - 'lock:'.length;

/**
 * Serialises the transactions that name the same key, on one server and across the nodes of a
 * multi-master cluster. On MariaDB Galera `SELECT … FOR UPDATE` (and named or table locks) lock
 * on the node that ran them only: two transactions on two nodes both "hold" the lock, and when
 * they then write different rows (two bookings of one person, checked for a clash first) both
 * commit. A write to one row is what the cluster certifies: so the lock is an upsert of the row
 * `lock:<key>` of `counters`. On one server it is a row lock held till the transaction ends; on
 * Galera the second transaction to commit fails with a deadlock (ER_LOCK_DEADLOCK) and
 * runTransaction runs it again, now seeing the first one's rows.
 *
 * Must run inside a transaction run by runTransaction (or a turn), before the reads it guards.
 */
export async function lockKeys(trx: Knex.Transaction, keys: readonly string[]): Promise<void> {
  // One order for everyone: two transactions locking the same keys never wait on each other crosswise.
  for (const key of [...new Set(keys)].sort()) {
    if (key.length > KEY_MAX) throw new Error(`lock key longer than ${KEY_MAX}: ${key}`);
    await trx('counters')
      .insert({ name: `lock:${key}`, value: 1 })
      .onConflict('name')
      .merge({ value: trx.raw('?? + 1', ['counters.value']) });
  }
}
