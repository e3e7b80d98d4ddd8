import type { Knex } from 'knex';
import { openDatabase } from '../../src/platform/database/connection';
import { migrateLatest } from '../../src/platform/database/migrate';
import { StatsCaseQueries } from '../../src/cases';
import { testDialects } from '../helpers/db';
import { indexNames, migrationSource as source } from '../helpers/migrations';

const t = '2026-04-01 00:00:00.000';

describe.each(testDialects())('migration 032: indexes led by the period, on $name', (dialect) => {
  test('up adds the breakdown, supervision and session-day indexes and drops those they replace; down puts them back; the figures read the same', async () => {
    const db = await openDatabase(await dialect.freshUrl());
    try {
      await migrateLatest(db);
      // 035 gives SQLite two of the indexes 032 dropped: this test looks at 032 alone.
      await db.migrate.down({ migrationSource: source, name: '035_overdue_and_sqlite_breakdowns' } as Knex.MigratorConfig);
      const cases = await indexNames(db, dialect.name, 'cases');
      expect(cases).toEqual(expect.arrayContaining(['cases_received_breakdown_idx', 'cases_supervised_replied_idx', 'cases_town_received_idx', 'cases_category_received_idx']));
      expect(cases).not.toEqual(expect.arrayContaining(['cases_channel_received_idx']));
      expect(cases.filter((n) => ['cases_purpose_received_idx', 'cases_received_day_idx', 'cases_supervised_idx'].includes(n))).toEqual([]);
      expect(await indexNames(db, dialect.name, 'sessions')).toContain('sessions_date_status_idx');

      await db('cases').insert([2, 3].map((n) => ({
        case_no: `2026-00000${n}`, year: 2026, status: 'handling', name: '测试人', headcount: 1, is_group: n === 2, channel: '来访', town: '阳城镇',
        category: '城乡建设', purpose: n === 3 ? '求决' : null, content: '测试', received_at: t, received_date: `2026-03-0${n}`, supervised: true,
        registered_by: 'staff1', created_at: t, updated_at: t,
      })));
      const read = () => new StatsCaseQueries(db).registrations('2026-03-01', '2026-03-31');
      const withIndexes = await read();
      expect(withIndexes.byPurpose).toEqual(expect.arrayContaining([{ name: '求决', count: 1 }, { name: null, count: 1 }]));
      expect(await new StatsCaseQueries(db).supervised('2026-01-01')).toHaveLength(2);

      await db.migrate.down({ migrationSource: source, name: '032_province_scale' } as Knex.MigratorConfig);
      const back = await indexNames(db, dialect.name, 'cases');
      expect(back).toEqual(expect.arrayContaining(['cases_channel_received_idx', 'cases_purpose_received_idx', 'cases_received_day_idx', 'cases_supervised_idx']));
      expect(back.filter((n) => ['cases_received_breakdown_idx', 'cases_supervised_replied_idx'].includes(n))).toEqual([]);
      expect(await indexNames(db, dialect.name, 'sessions')).not.toContain('sessions_date_status_idx');
      expect(await read()).toEqual(withIndexes);
    } finally {
      await db.destroy();
    }
  });
});
