import type { Config } from '../settings/config';
import type { CliRegistrar } from '../core/feature';
import { openDatabase } from '../database/connection';
import { migrateLatest } from '../database/migrate';

/**
 * `xinfang migrate`. It opens the database itself rather than the core (which would migrate
 * first), so that it can say which migrations it applied.
 */
export function registerDatabaseCli(config: () => Config): CliRegistrar {
  return (program, _openCore, io) => {
    program
      .command('migrate')
      .description('应用数据库迁移')
      .action(async () => {
        const db = await openDatabase(config().DATABASE_URL);
        try {
          const applied = await migrateLatest(db);
          io.out(applied.length ? `已应用迁移：${applied.join(', ')}\n` : '数据库已是最新，无需迁移\n');
        } finally {
          await db.destroy();
        }
      });
  };
}
