import fs from 'node:fs';
import path from 'node:path';
import knexFactory, { Knex } from 'knex';
import { createConnection } from 'mysql2/promise';
import { ambientDb } from './ambient-transaction';

export type Dialect = 'sqlite' | 'mysql';

export interface DbTarget {
  dialect: Dialect;
  /** SQLite file path, or the MySQL URL. */
  location: string;
}

/** Reads DATABASE_URL: `sqlite:<path>` or a bare path for SQLite, `mysql://…` for MySQL/MariaDB. */
export function parseDatabaseUrl(url: string | undefined): DbTarget {
  const u = (url ?? '').trim() || 'sqlite:data/xinfang.sqlite';
  if (/^mysql2?:\/\//i.test(u)) return { dialect: 'mysql', location: u.replace(/^mysql2:/i, 'mysql:') };
  if (/^sqlite:/i.test(u)) return { dialect: 'sqlite', location: u.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '') };
  if (/^[a-z]+:\/\//i.test(u)) throw new Error(`不支持的 DATABASE_URL：${u.split(':')[0]}（请用 sqlite:<路径> 或 mysql://…）`);
  return { dialect: 'sqlite', location: u };
}

function mysqlParts(url: string) {
  const u = new URL(url);
  const database = decodeURIComponent(u.pathname.replace(/^\//, '')) || 'xinfang';
  if (!/^[A-Za-z0-9_$-]+$/.test(database)) throw new Error(`MySQL 数据库名无效：${database}`);
  return {
    host: u.hostname || '127.0.0.1',
    port: Number(u.port || 3306),
    user: decodeURIComponent(u.username || 'root'),
    password: decodeURIComponent(u.password || ''),
    database,
  };
}

/** Creates the MySQL database when it is missing, in utf8mb4 so that every Chinese character fits. */
export async function ensureMysqlDatabase(url: string): Promise<void> {
  const { database, ...server } = mysqlParts(url);
  const conn = await createConnection({ ...server });
  try {
    await conn.query(
      `CREATE DATABASE IF NOT EXISTS \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    );
  } finally {
    await conn.end();
  }
}

/**
 * knex's own warnings, which it prints per connection: a lost or refused connection is told once
 * per outage by whoever waits for the database (DbOutage: 数据库不可用… / 数据库已恢复…), not here.
 */
const KNEX_LOG = {
  warn: (message: unknown) => {
    if (!/^(Connection Error|Acquire connection error)/.test(String(message))) console.warn(message);
  },
};

/**
 * A knex instance for the target, wrapped so that inside an inbound event's turn it resolves to
 * the turn's transaction (ambient-transaction.ts). Instants are stored as UTC strings
 * ('YYYY-MM-DD HH:MM:SS.mmm') and legal dates as 'YYYY-MM-DD' strings, so both databases hand
 * back the same values.
 */
export async function openDatabase(url: string | undefined, opts: { pool?: number } = {}): Promise<Knex> {
  return ambientDb(await openKnex(url, opts));
}

async function openKnex(url: string | undefined, opts: { pool?: number }): Promise<Knex> {
  const target = parseDatabaseUrl(url);
  if (target.dialect === 'mysql') {
    await ensureMysqlDatabase(target.location);
    return knexFactory({
      client: 'mysql2',
      connection: {
        ...mysqlParts(target.location),
        charset: 'utf8mb4',
        timezone: 'Z',
        dateStrings: true,
        supportBigNumbers: true,
        bigNumberStrings: false,
      },
      pool: { min: 0, max: opts.pool ?? 10 },
      log: KNEX_LOG,
    });
  }
  if (target.location !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(target.location)), { recursive: true });
  return knexFactory({
    client: 'better-sqlite3',
    connection: { filename: target.location },
    useNullAsDefault: true,
    pool: {
      min: 1,
      max: 1,
      afterCreate: (conn: any, done: (err: Error | null, conn: any) => void) => {
        try {
          if (target.location !== ':memory:') conn.pragma('journal_mode = WAL');
          conn.pragma('busy_timeout = 5000');
          conn.pragma('foreign_keys = ON');
          done(null, conn);
        } catch (e) {
          done(e as Error, conn);
        }
      },
    },
  });
}

/**
 * A second, small pool to the same database, for work that must never queue behind the main
 * pool (recording Lark events before they are acknowledged); it never joins a turn's transaction.
 * SQLite has a single connection, so there it is the same instance; close() then does nothing.
 */
export function sidePool(db: Knex, size: number): { db: Knex; close: () => Promise<void> } {
  if (dialectOf(db) === 'sqlite') return { db, close: async () => undefined };
  const config = (db.client as { config: Knex.Config }).config;
  const side = knexFactory({ ...config, pool: { min: 0, max: size } });
  return { db: side, close: () => side.destroy() };
}

/** Whether the database is a node of a MariaDB Galera cluster (wsrep on); never on SQLite. */
export async function onGaleraNode(db: Knex): Promise<boolean> {
  if (dialectOf(db) !== 'mysql') return false;
  const [rows]: any = await db.raw('SELECT @@wsrep_on AS wsrep').catch(() => [[{ wsrep: 0 }]]);
  return Number(rows?.[0]?.wsrep ?? 0) === 1;
}

/**
 * Runs fn on a database handle whose reads see every write the cluster has committed (MariaDB
 * Galera: its own one-connection pool with wsrep_sync_wait = 15, so a read, update or insert
 * first waits for this node to apply what other nodes committed). Elsewhere, or on a plain
 * MySQL server, fn gets `db` itself (`cluster` says which). For knex's migrations: the process
 * that takes the lock must see the migrations another node has just finished, or it runs them again.
 */
export async function withCausalReads<T>(db: Knex, fn: (db: Knex, cluster: boolean) => Promise<T>): Promise<T> {
  if (!(await onGaleraNode(db))) return fn(db, false);
  const config = (db.client as { config: Knex.Config }).config;
  const causal = knexFactory({
    ...config,
    pool: { min: 0, max: 1, afterCreate: (conn: any, done: (err: Error | null, conn: any) => void) => conn.query('SET SESSION wsrep_sync_wait = 15', (err: Error | null) => done(err, conn)) },
  });
  try {
    return await fn(causal, true);
  } finally {
    await causal.destroy();
  }
}

export function dialectOf(db: Knex): Dialect {
  const client = String((db.client as { config: { client: unknown } }).config.client);
  return client.includes('mysql') ? 'mysql' : 'sqlite';
}

/** Whether the database answers (GET /healthz). Throws what the driver throws when it does not. */
export async function pingDatabase(db: Knex): Promise<void> {
  await db.raw('select 1');
}
