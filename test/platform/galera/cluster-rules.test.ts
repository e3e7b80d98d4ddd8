import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { freshDb, testDialects } from '../../helpers/db';

/** Every table of the migrated schema has a primary key: Galera replicates rows by it (and refuses tables without one). */
async function tablesWithoutPrimaryKey(db: Knex, dialect: string): Promise<string[]> {
  if (dialect === 'sqlite') {
    const tables = await db('sqlite_master').where({ type: 'table' }).andWhereNot('name', 'like', 'sqlite_%').pluck('name');
    const missing: string[] = [];
    for (const t of tables) {
      const cols: Array<{ pk: number }> = await db.raw(`PRAGMA table_info(\`${t}\`)`);
      if (!cols.some((c) => c.pk > 0)) missing.push(t);
    }
    return missing.sort();
  }
  const [rows] = await db.raw(
    `SELECT t.table_name AS name FROM information_schema.tables t
       LEFT JOIN information_schema.table_constraints c
         ON c.table_schema = t.table_schema AND c.table_name = t.table_name AND c.constraint_type = 'PRIMARY KEY'
      WHERE t.table_schema = DATABASE() AND t.table_type = 'BASE TABLE' AND c.constraint_name IS NULL`,
  );
  return (rows as Array<{ name: string }>).map((r) => r.name).sort();
}

describe.each(testDialects({ galera: true }))('the migrated schema on $name', (dialect) => {
  test('every table has a primary key, and every table is InnoDB on MySQL', async () => {
    const { db } = await freshDb(dialect);
    try {
      expect(await tablesWithoutPrimaryKey(db, dialect.name)).toEqual([]);
      if (dialect.name !== 'sqlite') {
        const [rows] = await db.raw(
          "SELECT table_name AS name, engine FROM information_schema.tables WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE' AND engine <> 'InnoDB'",
        );
        expect(rows).toEqual([]);
      }
    } finally {
      await db.destroy();
    }
  });
});

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.(ts|js|sql)$/.test(e.name) ? [p] : [];
  });
}

describe('what a Galera cluster does not hold across its nodes', () => {
  test('src/ and migrations/ use no GET_LOCK, RELEASE_LOCK or LOCK TABLES (they lock one node only)', () => {
    const root = path.resolve(__dirname, '../../..');
    const hits = ['src', 'migrations'].flatMap((d) => sourceFiles(path.join(root, d))).flatMap((file) =>
      fs.readFileSync(file, 'utf8').split('\n').flatMap((line, i) =>
        /\b(GET_LOCK|RELEASE_LOCK|IS_FREE_LOCK|LOCK\s+TABLES?)\b/i.test(line) ? [`${path.relative(root, file)}:${i + 1}: ${line.trim()}`] : [],
      ),
    );
    expect(hits).toEqual([]);
  });
});
