import type { Knex } from 'knex';
import { migrations } from '../../migrations';

/** The migrations as knex's migrator takes them, for a test that runs one of them down (db.migrate.down({ migrationSource, name })). */
export const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => Object.keys(migrations),
  getMigrationName: (name) => name,
  getMigration: async (name) => migrations[name],
};

/** The names of a table's indexes (and unique keys), sorted, on SQLite or MySQL. */
export async function indexNames(db: Knex, dialect: string, table: string): Promise<string[]> {
  if (dialect === 'sqlite') return ((await db.raw(`PRAGMA index_list('${table}')`)) as any[]).map((r) => r.name).sort();
  const [rows] = await db.raw(`SHOW INDEX FROM \`${table}\``);
  return [...new Set((rows as any[]).map((r) => r.Key_name as string))].sort();
}
