import type { Knex } from 'knex';
import { openDatabase } from '../../src/platform/database/connection';
import { migrateLatest } from '../../src/platform/database/migrate';
import { StatsCaseQueries } from '../../src/cases';
import { caseWithDeadline } from '../reminders/fixtures';
import { testDialects } from '../helpers/db';
import { indexNames, migrationSource as source } from '../helpers/migrations';

const NAME = '035_overdue_and_sqlite_breakdowns';

describe.each(testDialects())('migration 035: 当前逾期 from an index, SQLite breakdowns, on $name', (dialect) => {
  test('the open-deadline index covers kind and met date; SQLite gets its channel and purpose indexes back; the figures read the same down and up', async () => {
    const db = await openDatabase(await dialect.freshUrl());
    try {
      await migrateLatest(db);
      const deadlines = await indexNames(db, dialect.name, 'case_deadlines');
      expect(deadlines).toContain('case_deadlines_status_due_kind_met_idx');
      expect(deadlines).not.toContain('case_deadlines_status_due_date_index');
      const cases = await indexNames(db, dialect.name, 'cases');
      const sqliteOnly = ['cases_channel_received_idx', 'cases_purpose_received_idx'];
      expect(cases.filter((n) => sqliteOnly.includes(n))).toEqual(dialect.name === 'sqlite' ? sqliteOnly : []);

      // Two overdue conclusions (one of them already met in fact, so not counted), one not yet due, one decision overdue.
      await caseWithDeadline(db, { caseNo: '2026-000001', receivedDate: '2026-01-05' }, 'conclusion', '2026-03-02');
      await caseWithDeadline(db, { caseNo: '2026-000002', receivedDate: '2026-01-06' }, 'conclusion', '2026-03-03');
      await caseWithDeadline(db, { caseNo: '2026-000003', receivedDate: '2026-01-07' }, 'conclusion', '2026-05-01');
      await caseWithDeadline(db, { caseNo: '2026-000004', receivedDate: '2026-01-08' }, 'decision', '2026-01-20');
      await db('case_deadlines').where({ due_date: '2026-03-03' }).update({ met_date: '2026-03-01' });
      const read = async () => [await new StatsCaseQueries(db).overdueOpen('conclusion', '2026-04-01'), await new StatsCaseQueries(db).overdueOpen('decision', '2026-04-01')];
      expect(await read()).toEqual([1, 1]);
      if (dialect.name === 'sqlite') {
        const plan = (await db.raw("EXPLAIN QUERY PLAN SELECT count(*) FROM case_deadlines WHERE status = 'open' AND due_date < '2026-04-01' AND kind = 'conclusion' AND met_date IS NULL")) as any[];
        expect(plan.map((r) => r.detail).join(' ')).toContain('COVERING INDEX case_deadlines_status_due_kind_met_idx');
      }

      await db.migrate.down({ migrationSource: source, name: NAME } as Knex.MigratorConfig);
      expect(await indexNames(db, dialect.name, 'case_deadlines')).toContain('case_deadlines_status_due_date_index');
      expect(await indexNames(db, dialect.name, 'case_deadlines')).not.toContain('case_deadlines_status_due_kind_met_idx');
      expect((await indexNames(db, dialect.name, 'cases')).filter((n) => sqliteOnly.includes(n))).toEqual([]);
      expect(await read()).toEqual([1, 1]);
    } finally {
      await db.destroy();
    }
  });
});
