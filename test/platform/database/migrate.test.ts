import type { Knex } from 'knex';
import { openDatabase } from '../../../src/platform/database/connection';
import { migrateLatest } from '../../../src/platform/database/migrate';
import { migrations } from '../../../migrations';
import { onGaleraNode, testDialects } from '../../helpers/db';
import { migrationSource } from '../../helpers/migrations';

const LAST = Object.keys(migrations).at(-1)!;
const count = async (db: Knex) => Number((await db('knex_migrations').count({ n: '*' }))[0].n);

// Several replicas start at once: the one holding knex's migration lock migrates, the others wait instead of failing to start.
describe.each(testDialects({ galera: true }))('migrations while another process migrates, on $name', (dialect) => {
  let db: Knex;
  beforeEach(async () => {
    db = await openDatabase(await dialect.freshUrl());
    await migrateLatest(db);
  });
  afterEach(async () => {
    await db.destroy();
  });

  test('a process that finds the migrations locked waits for the lock, then applies what is left', async () => {
    await db.migrate.down({ migrationSource, name: LAST } as Knex.MigratorConfig);
    const before = await count(db);
    await db('knex_migrations_lock').update({ is_locked: 1 }); // another process is migrating
    const release = setTimeout(() => void db('knex_migrations_lock').update({ is_locked: 0 }).then(() => undefined), 700);
    try {
      await expect(migrateLatest(db, 20_000)).resolves.toEqual([LAST]);
    } finally {
      clearTimeout(release);
    }
    expect(await count(db)).toBe(before + 1);
    expect(Number((await db('knex_migrations_lock').first('is_locked'))!.is_locked)).toBe(0);
  });

  test('a lock nobody releases: after the wait, a Chinese message that says how to clear it, and nothing changed', async () => {
    await db.migrate.down({ migrationSource, name: LAST } as Knex.MigratorConfig);
    const before = await count(db);
    await db('knex_migrations_lock').update({ is_locked: 1 });
    await expect(migrateLatest(db, 600)).rejects.toThrow(/数据库迁移被另一个进程锁定.*knex_migrations_lock/);
    expect(await count(db)).toBe(before);
  });
});

describe.each(testDialects({ galera: true }))('two replicas starting at once on a fresh database (Galera: on two nodes), on $name', (dialect) => {
  test('both start: every migration is applied once, by one or the other', async () => {
    const url = await dialect.freshUrl();
    const dbs = [await openDatabase(url), await openDatabase(dialect.name === 'galera' ? onGaleraNode(url, 1) : url)];
    try {
      const applied = await Promise.all(dbs.map((d) => migrateLatest(d)));
      expect(applied.flat().sort()).toEqual(Object.keys(migrations).sort());
      expect(await count(dbs[0])).toBe(Object.keys(migrations).length);
    } finally {
      for (const d of dbs) await d.destroy();
    }
  });
});
