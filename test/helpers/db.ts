import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createConnection } from 'mysql2/promise';
import type { Knex } from 'knex';
import { openDatabase } from '../../src/platform/database/connection';
import { migrateLatest } from '../../src/platform/database/migrate';

export interface TestDialect {
  /** 'galera': MariaDB Galera (TEST_GALERA_URLS), a MySQL dialect on a multi-master cluster. */
  name: 'sqlite' | 'mysql' | 'galera';
  /** A DATABASE_URL for a fresh, empty database of this dialect. */
  freshUrl: () => Promise<string>;
}

let seq = 0;

/** A new SQLite file under the OS temp folder. */
export function tempSqliteUrl(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xinfang-test-'));
  return `sqlite:${path.join(dir, `t${seq++}.sqlite`)}`;
}

/**
 * A fresh MySQL database per call: the TEST_MYSQL_URL database name plus the process id and a
 * counter, so parallel workers never see each other's rows. .ci/run drops old ones first.
 */
export async function freshMysqlUrl(base = process.env.TEST_MYSQL_URL!): Promise<string> {
  const u = new URL(base);
  // The process id keeps parallel runs (two jest workers, two developers) apart.
  const name = `${u.pathname.replace(/^\//, '') || 'test'}_p${process.pid}_${seq++}`;
  const conn = await createConnection({
    host: u.hostname, port: Number(u.port || 3306), user: decodeURIComponent(u.username || 'root'), password: decodeURIComponent(u.password),
  });
  try {
    await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
  } finally {
    await conn.end();
  }
  u.pathname = `/${name}`;
  return u.toString();
}

/**
 * The nodes of the Galera cluster the tests may use (TEST_GALERA_URLS: comma-separated mysql://
 * URLs, one per node, as .ci/run sets them); empty when it is not set.
 */
export function galeraNodeUrls(): string[] {
  return (process.env.TEST_GALERA_URLS ?? '').split(',').map((u) => u.trim()).filter(Boolean);
}

/** The same database as `url` (a fresh one from the galera dialect), on node `node` (0-based) of the cluster. */
export function onGaleraNode(url: string, node: number): string {
  const nodes = galeraNodeUrls();
  if (!nodes.length) throw new Error('TEST_GALERA_URLS is not set');
  const target = new URL(nodes[node % nodes.length]);
  const u = new URL(url);
  u.host = target.host;
  u.username = target.username;
  u.password = target.password;
  return u.toString();
}

let galeraTurn = 0;

/** A fresh database on the Galera cluster, made on the nodes in turn (every node runs the migrations of some). */
export function freshGaleraUrl(): Promise<string> {
  const nodes = galeraNodeUrls();
  return freshMysqlUrl(nodes[galeraTurn++ % nodes.length]);
}

/**
 * SQLite always; MySQL too when TEST_MYSQL_URL is set; MariaDB Galera when asked for
 * (`{ galera: true }`, the store tests) and TEST_GALERA_URLS is set. Use with describe.each.
 */
export function testDialects(opts: { galera?: boolean } = {}): TestDialect[] {
  const list: TestDialect[] = [{ name: 'sqlite', freshUrl: async () => tempSqliteUrl() }];
  if (process.env.TEST_MYSQL_URL) list.push({ name: 'mysql', freshUrl: () => freshMysqlUrl() });
  if (opts.galera && galeraNodeUrls().length) list.push({ name: 'galera', freshUrl: freshGaleraUrl });
  return list;
}

/** Opens a fresh database of the dialect with every migration applied. */
export async function freshDb(dialect: TestDialect): Promise<{ db: Knex; url: string }> {
  const url = await dialect.freshUrl();
  const db = await openDatabase(url);
  await migrateLatest(db);
  return { db, url };
}

/**
 * Waits until every node of the cluster has the migrations `url`'s database has (another node
 * applies the DDL and the knex_migrations rows a moment later), so a replica opened on any node
 * finds the schema complete.
 */
export async function galeraNodesCaughtUp(url: string): Promise<void> {
  const first = await openDatabase(url);
  try {
    const want = Number((await first('knex_migrations').count({ n: '*' }))[0].n);
    for (let node = 0; node < galeraNodeUrls().length; node++) {
      const db = await openDatabase(onGaleraNode(url, node));
      try {
        for (let i = 0; i < 200; i++) {
          const has = await db('knex_migrations').count({ n: '*' }).then((r) => Number(r[0].n), () => 0);
          if (has === want) break;
          await new Promise((r) => setTimeout(r, 50));
        }
      } finally {
        await db.destroy();
      }
    }
  } finally {
    await first.destroy();
  }
}
