import type { Knex } from 'knex';
import { migrations } from '../../migrations';
import { openDatabase } from '../../src/platform/database/connection';
import { migrateLatest } from '../../src/platform/database/migrate';
import { StatsCaseQueries } from '../../src/cases';
import { testDialects } from '../helpers/db';

const source: Knex.MigrationSource<string> = {
  getMigrations: async () => Object.keys(migrations),
  getMigrationName: (name) => name,
  getMigration: async (name) => migrations[name],
};

/** A database migrated up to (not including) 030, as one that ran before this change. */
async function before030(url: string): Promise<Knex> {
  const db = await openDatabase(url);
  for (;;) {
    const [, pending] = (await db.migrate.list({ migrationSource: source })) as [unknown[], string[]];
    if (!pending[0] || pending[0].startsWith('030_')) return db;
    await db.migrate.up({ migrationSource: source });
  }
}

async function indexNames(db: Knex, dialect: string): Promise<string[]> {
  if (dialect === 'sqlite') return ((await db.raw("PRAGMA index_list('case_deadlines')")) as any[]).map((r) => r.name);
  const [rows] = await db.raw('SHOW INDEX FROM case_deadlines');
  return [...new Set((rows as any[]).map((r) => r.Key_name as string))];
}

const t = '2026-04-01 00:00:00.000';
let seq = 0;
async function addCase(db: Knex, c: Record<string, string | null>, kinds: Record<string, [string, 'open' | 'met']>): Promise<number> {
  seq++;
  const [id] = await db('cases').insert({
    case_no: `2026-${String(seq).padStart(6, '0')}`, year: 2026, name: '测试人', headcount: 1, is_group: false, channel: '来访', town: '阳城镇',
    category: '城乡建设', content: '测试', received_at: t, registered_by: 'staff1', created_at: t, updated_at: t, ...c,
  });
  for (const [kind, [due, status]] of Object.entries(kinds)) {
    await db('case_deadlines').insert({ case_id: Number(id), kind, due_date: due, status, created_at: t, updated_at: t });
  }
  return Number(id);
}

const metDates = async (db: Knex, caseId: number) =>
  Object.fromEntries((await db('case_deadlines').where({ case_id: caseId }).select('kind', 'met_date')).map((r: any) => [r.kind, r.met_date ?? null]));

describe.each(testDialects())('migration 030: the day a deadline was met, on $name', (dialect) => {
  test('deadlines stored before it get the case date that met them, and the 受理/办结 rates read the same from the deadlines alone', async () => {
    const db = await before030(await dialect.freshUrl());
    // Undecided, its decision deadline passed: open, not met.
    const open = await addCase(db, { status: 'registered', received_date: '2026-05-01' }, { decision: ['2026-05-15', 'open'] });
    // Decided late (due 5月15日, decided 5月20日), still being handled.
    const late = await addCase(db, { status: 'handling', received_date: '2026-05-01', decided_date: '2026-05-20', accepted_date: '2026-05-20' },
      { decision: ['2026-05-15', 'met'], acceptance_notice: ['2026-05-15', 'met'], conclusion: ['2026-07-20', 'open'] });
    // Concluded on time, then 复查 asked for and answered, 复核 asked for.
    const reviewed = await addCase(db, {
      status: 'recheck', received_date: '2026-03-01', decided_date: '2026-03-02', accepted_date: '2026-03-02', replied_date: '2026-04-20',
      review_requested_date: '2026-05-06', review_replied_date: '2026-05-30', recheck_requested_date: '2026-06-10',
    }, {
      decision: ['2026-03-16', 'met'], conclusion: ['2026-05-06', 'met'], review_request: ['2026-05-20', 'met'],
      review_decision: ['2026-06-05', 'met'], recheck_request: ['2026-06-29', 'met'], recheck_decision: ['2026-07-10', 'open'],
    });
    await migrateLatest(db);

    expect(await metDates(db, open)).toEqual({ decision: null });
    expect(await metDates(db, late)).toEqual({ decision: '2026-05-20', acceptance_notice: null, conclusion: null });
    expect(await metDates(db, reviewed)).toEqual({
      decision: '2026-03-02', conclusion: '2026-04-20', review_request: '2026-05-06', review_decision: '2026-05-30',
      recheck_request: '2026-06-10', recheck_decision: null,
    });
    expect(await indexNames(db, dialect.name)).toContain('case_deadlines_kind_due_met_idx');
    expect(await indexNames(db, dialect.name)).not.toContain('case_deadlines_kind_case_idx');

    const q = new StatsCaseQueries(db);
    // Decision deadlines: 3月16日 met on time; 5月15日 twice, one met late, one still open.
    expect(await q.dueGroups('decision', '2026-12-31')).toEqual([
      { due: '2026-03-16', total: 1, done: 1, doneByDue: 1, open: 0 },
      { due: '2026-05-15', total: 2, done: 1, doneByDue: 0, open: 1 },
    ]);
    expect(await q.dueGroups('conclusion', '2026-06-30')).toEqual([{ due: '2026-05-06', total: 1, done: 1, doneByDue: 1, open: 0 }]);
    await db.destroy();
  });

  test('down drops the column and its index, and up again backfills', async () => {
    const db = await before030(await dialect.freshUrl());
    const id = await addCase(db, { status: 'handling', received_date: '2026-05-01', decided_date: '2026-05-03', accepted_date: '2026-05-03' },
      { decision: ['2026-05-15', 'met'], conclusion: ['2026-07-02', 'open'] });
    await migrateLatest(db);
    await migrations['030_deadline_met_date'].down!(db);
    expect(await db.schema.hasColumn('case_deadlines', 'met_date')).toBe(false);
    expect(await indexNames(db, dialect.name)).not.toContain('case_deadlines_kind_due_met_idx');
    await migrations['030_deadline_met_date'].up(db);
    expect(await metDates(db, id)).toEqual({ decision: '2026-05-03', conclusion: null });
    await db.destroy();
  });
});
