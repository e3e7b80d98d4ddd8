import { AsyncLocalStorage } from 'node:async_hooks';
import type { Knex } from 'knex';

/**
 * The ambient transaction of a turn (an inbound event's processing): while `runInTurn` runs, the
 * database handle every store holds (`core.db`, made by `ambientDb`) resolves to the turn's
 * transaction, so a handler's writes, its outbox rows and the event's "done" mark commit together
 * or not at all. Outside a turn the handle is the plain knex instance.
 *
 * - `db.transaction(fn)` inside a turn is a savepoint of it, and inside `fn` the handle resolves
 *   to that savepoint (so code that mixes `trx` and `core.db` stays on one connection: SQLite has
 *   only one).
 * - runTransaction does not retry inside a turn: a deadlock aborts the whole transaction on
 *   MySQL, so the turn (its owner) retries, from the start.
 * - A query error that aborts the transaction (a deadlock, a lock timeout, a lost connection) is
 *   noted even when the handler catches it (the router turns errors into an apology): the turn
 *   then refuses every further query through the handle and rolls back, so nothing that ran after
 *   the abort can commit on its own.
 * - Work a handler leaves running after its turn ended finds the turn's transaction completed and
 *   falls back to the enclosing one, or to the plain instance.
 */

interface TurnState {
  /** The first error that aborted the turn's transaction. */
  aborted?: unknown;
}

interface Ambient {
  base: Knex;
  trx: Knex.Transaction;
  parent: Ambient | null;
  turn: TurnState;
}

const storage = new AsyncLocalStorage<Ambient>();
const BASE = Symbol('xinfang.ambientBase');

/** Errors after which the database has rolled back, or may have rolled back, the whole transaction. */
const ABORTING_CODES = new Set([
  'ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT', 'SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT',
  'PROTOCOL_CONNECTION_LOST', 'ECONNRESET', 'EPIPE', 'ER_SERVER_SHUTDOWN', 'ER_CONNECTION_KILLED', 'ER_QUERY_INTERRUPTED',
]);

export function abortsTransaction(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && ABORTING_CODES.has(code);
}

/** A query through the handle after the turn's transaction was aborted. */
export class TurnAbortedError extends Error {
  constructor(override readonly cause: unknown) {
    super(`the turn's transaction was aborted: ${(cause as Error)?.message ?? String(cause)}`);
    this.name = 'TurnAbortedError';
  }
}

/** The innermost live transaction of a turn on `base`, or null outside one. */
function liveAmbient(base: Knex): Ambient | null {
  let a = storage.getStore() ?? null;
  while (a && a.trx.isCompleted()) a = a.parent;
  return a && a.base === base ? a : null;
}

/** The plain knex instance behind a handle made by ambientDb (the handle itself otherwise). */
export function baseOf(db: Knex): Knex {
  return ((db as unknown as Record<symbol, Knex>)[BASE] as Knex | undefined) ?? db;
}

/** Whether `db` is a handle made by ambientDb. */
export function isAmbientDb(db: Knex): boolean {
  return (db as unknown as Record<symbol, unknown>)[BASE] !== undefined;
}

/** Whether a turn's transaction on this handle is under way here (the caller's async context). */
export function inTurn(db: Knex): boolean {
  return isAmbientDb(db) && liveAmbient(baseOf(db)) !== null;
}

/**
 * Wraps a knex instance in the handle described above. Idempotent. Setting a property (knex's
 * userParams) sets it on the instance; destroy() always closes the instance.
 */
export function ambientDb(base: Knex): Knex {
  if (isAmbientDb(base)) return base;
  base.on('query-error', (err: unknown) => {
    const a = liveAmbient(base);
    if (a && abortsTransaction(err)) a.turn.aborted ??= err;
  });
  const current = (): Knex => {
    const a = liveAmbient(base);
    if (!a) return base;
    if (a.turn.aborted !== undefined) throw new TurnAbortedError(a.turn.aborted);
    return a.trx;
  };
  return new Proxy(base, {
    apply: (_t, _this, args: unknown[]) => Reflect.apply(current() as unknown as (...a: unknown[]) => unknown, undefined, args),
    get: (_t, prop) => {
      if (prop === BASE) return base;
      if (prop === 'destroy' || prop === 'initialize' || prop === 'on' || prop === 'once' || prop === 'removeListener') {
        const fn = Reflect.get(base, prop) as (...a: unknown[]) => unknown;
        return fn.bind(base);
      }
      const a = liveAmbient(base);
      const target = current();
      if (prop === 'transaction' && a) return nestedTransaction(a);
      const v = Reflect.get(target, prop) as unknown;
      return typeof v === 'function' ? (v as (...x: unknown[]) => unknown).bind(target) : v;
    },
    set: (_t, prop, value) => Reflect.set(base, prop, value),
    has: (_t, prop) => prop === BASE || Reflect.has(liveAmbient(base)?.trx ?? base, prop),
  }) as Knex;
}

/** `db.transaction(…)` inside a turn: a savepoint, inside whose callback the handle resolves to it. */
function nestedTransaction(a: Ambient) {
  return (fnOrConfig?: unknown, config?: Knex.TransactionConfig) => {
    if (typeof fnOrConfig !== 'function') return a.trx.transaction(fnOrConfig as Knex.TransactionConfig);
    const fn = fnOrConfig as (trx: Knex.Transaction) => Promise<unknown>;
    return a.trx.transaction((t) => {
      inheritUserParams(t, a.trx);
      return storage.run({ base: a.base, trx: t, parent: a, turn: a.turn }, () => fn(t));
    }, config);
  };
}

/** knex gives a savepoint empty userParams; it keeps its parent's (the outbox transport, see outbox-store.ts). */
export function inheritUserParams(child: Knex.Transaction, parent: Knex | Knex.Transaction): void {
  child.userParams = { ...(parent.userParams ?? {}), ...(child.userParams ?? {}) };
}

/**
 * Runs `fn` as the body of a turn in the transaction `trx` of `db` (a handle made by ambientDb):
 * every query through the handle inside it goes to `trx`. If a query aborted the transaction,
 * that error is thrown when `fn` is done, whatever `fn` made of it, so the caller rolls back and
 * may run the turn again.
 */
export async function runInTurn<T>(db: Knex, trx: Knex.Transaction, fn: () => Promise<T>): Promise<T> {
  const turn: TurnState = {};
  const result = await storage.run({ base: baseOf(db), trx, parent: null, turn }, fn);
  if (turn.aborted !== undefined) throw turn.aborted;
  return result;
}

/**
 * Throws the error that aborted the current turn's transaction, if one did: checked after each
 * handler, before anything more is written on the transaction (explicit `trx` handles included).
 */
export function throwIfTurnAborted(db: Knex): void {
  const aborted = liveAmbient(baseOf(db))?.turn.aborted;
  if (aborted !== undefined) throw aborted;
}
