import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createConnection } from 'mysql2/promise';
import type { Knex } from 'knex';
import { openDatabase } from '../../src/platform/database/connection';
import { migrateLatest } from '../../src/platform/database/migrate';

export interface TestDialect {
  name: 'sqlite' | 'mysql';
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

/** SQLite always; MySQL too when TEST_MYSQL_URL is set. Use with describe.each. */
export function testDialects(): TestDialect[] {
  const list: TestDialect[] = [{ name: 'sqlite', freshUrl: async () => tempSqliteUrl() }];
  if (process.env.TEST_MYSQL_URL) list.push({ name: 'mysql', freshUrl: () => freshMysqlUrl() });
  return list;
}

/** Opens a fresh database of the dialect with every migration applied. */
export async function freshDb(dialect: TestDialect): Promise<{ db: Knex; url: string }> {
  const url = await dialect.freshUrl();
  const db = await openDatabase(url);
  await migrateLatest(db);
  return { db, url };
}
