import type { Knex } from 'knex';
import { openDatabase } from '../../../src/platform/database/connection';
import { migrateLatest } from '../../../src/platform/database/migrate';
import { freshMysqlUrl, galeraNodeUrls, onGaleraNode, tempSqliteUrl } from '../../helpers/db';

/**
 * Two writers on one database, as two replicas see it: on Galera two handles on two different
 * nodes (TEST_GALERA_URLS), on MySQL two pools (TEST_MYSQL_URL), on SQLite (one file, one writer)
 * the one handle twice. The Galera case is the one these tests are for: there a row lock taken on
 * one node does not hold on the other, and the loser of two conflicting writes learns it at COMMIT.
 */
export interface WriterPair {
  name: 'sqlite' | 'mysql' | 'galera';
  open: () => Promise<TwoWriters>;
}

export interface TwoWriters {
  a: Knex;
  b: Knex;
  /** The URLs of a's and b's databases (the same database; on Galera two nodes). */
  urlA: string;
  urlB: string;
  close: () => Promise<void>;
}

/** SQLite always, MySQL and Galera when their URLs are set. Use with describe.each. */
export function writerPairs(): WriterPair[] {
  const list: WriterPair[] = [{ name: 'sqlite', open: () => openSame(tempSqliteUrl()) }];
  if (process.env.TEST_MYSQL_URL) list.push({ name: 'mysql', open: async () => openTwo(await freshMysqlUrl()) });
  if (galeraNodeUrls().length >= 2) {
    list.push({ name: 'galera', open: async () => openTwo(await freshMysqlUrl(galeraNodeUrls()[0]), onGaleraNode) });
  }
  return list;
}

async function openSame(url: string): Promise<TwoWriters> {
  const db = await openDatabase(url);
  await migrateLatest(db);
  return { a: db, b: db, urlA: url, urlB: url, close: () => db.destroy() };
}

async function openTwo(url: string, other?: (url: string, node: number) => string): Promise<TwoWriters> {
  const a = await openDatabase(url);
  await migrateLatest(a);
  const urlB = other ? other(url, 1) : url;
  const b = await openDatabase(urlB);
  // Another node applies the migrations' DDL a moment later: wait until it has them all.
  const want = Number((await a('knex_migrations').count({ n: '*' }))[0].n);
  for (let i = 0; i < 200; i++) {
    const has = await b('knex_migrations').count({ n: '*' }).then((r) => Number(r[0].n), () => 0);
    if (has === want) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return { a, b, urlA: url, urlB, close: async () => { await b.destroy(); await a.destroy(); } };
}
