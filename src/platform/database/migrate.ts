import { Knex } from 'knex';
import { migrations } from '../../../migrations';
import { isRetryable } from './transaction';
import { withCausalReads } from './connection';

/** Migrations are listed in code, so the compiled build and the tests run the same list. */
class ListedMigrations implements Knex.MigrationSource<string> {
  async getMigrations(): Promise<string[]> {
    return Object.keys(migrations);
  }
  getMigrationName(name: string): string {
    return name;
  }
  async getMigration(name: string): Promise<Knex.Migration> {
    return migrations[name];
  }
}

/** How long a process waits for another's migrations (knex's lock) or through lost conflicts before it gives up. */
export const MIGRATION_WAIT_MS = 120_000;

/** knex's "Migration table is already locked": another process is migrating. */
function migrationLocked(err: unknown): boolean {
  const name = (err as { name?: unknown } | null)?.name;
  return name === 'LockError' || name === 'MigrationLocked' || /already locked/.test(String((err as { message?: unknown } | null)?.message ?? ''));
}

/**
 * Applies the migrations not applied yet. Several replicas may start at once (on a Galera cluster,
 * on different nodes): the one that takes knex's migration lock migrates, the others wait for it
 * and then find nothing left to do (on Galera its reads wait for what other nodes committed:
 * withCausalReads). A deadlock or a lost certification conflict on knex's own
 * tables (its lock row, its list of migrations) is tried again too; both happen before a
 * migration runs or after it is recorded. Past `waitMs` the last error is thrown.
 */
export async function migrateLatest(db: Knex, waitMs = MIGRATION_WAIT_MS): Promise<string[]> {
  const until = Date.now() + waitMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await withCausalReads(db, async (m, cluster) => {
        await ensureMigrationTables(m);
        // On Galera, knex's lock must be its own committed transaction: inside the migrations' transaction the first
        // DDL commits it implicitly, and two nodes both went on to migrate. (MySQL's DDL is not transactional anyway.)
        const [, applied] = (await m.migrate.latest({ migrationSource: new ListedMigrations(), disableTransactions: cluster })) as [number, string[]];
        return applied;
      });
    } catch (err) {
      if (!(isRetryable(err) || migrationLocked(err)) || Date.now() >= until) {
        if (migrationLocked(err)) {
          throw new Error(`数据库迁移被另一个进程锁定，等待 ${Math.round(waitMs / 1000)} 秒仍未释放。若确认没有别的进程在迁移（例如迁移中途被强行停止），请由数据库管理员把 knex_migrations_lock 表中 is_locked 改为 0 后再启动`, { cause: err });
        }
        throw err;
      }
      await new Promise((r) => setTimeout(r, Math.min(2000, 100 * attempt) + Math.random() * 100));
    }
  }
}

/**
 * knex's own tables, made the way knex makes them but safe to race: knex checks for each table and
 * then creates it, and inserts its lock row when it finds none, so two processes on an empty
 * database could both create (one fails: "already exists") or insert two lock rows (then no one
 * can ever take the lock). Here a table is created only if it does not exist, and the one lock row
 * has a fixed key, so a second insert is ignored; knex then finds both tables and the row.
 */
async function ensureMigrationTables(db: Knex): Promise<void> {
  if ((await db.schema.hasTable('knex_migrations')) && (await db.schema.hasTable('knex_migrations_lock'))) return;
  await createUnlessThere(db, 'knex_migrations', (t) => {
    t.increments();
    t.string('name');
    t.integer('batch');
    t.timestamp('migration_time');
  });
  await createUnlessThere(db, 'knex_migrations_lock', (t) => {
    t.increments('index').primary();
    t.integer('is_locked');
  });
  await db('knex_migrations_lock').insert({ index: 1, is_locked: 0 }).onConflict('index').ignore();
}

/** Creates a table when it is missing; another process creating it in the meantime is no error. */
async function createUnlessThere(db: Knex, table: string, build: (t: Knex.CreateTableBuilder) => void): Promise<void> {
  if (await db.schema.hasTable(table)) return;
  await db.schema.createTable(table, build).catch((err: unknown) => {
    if (!/already exists/i.test(String((err as { message?: unknown } | null)?.message ?? ''))) throw err;
  });
}

export async function migrateRollbackAll(db: Knex): Promise<void> {
  await db.migrate.rollback({ migrationSource: new ListedMigrations() }, true);
}
