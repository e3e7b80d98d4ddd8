import type { Knex } from 'knex';

/**
 * Statistics' 当前逾期 and SQLite's breakdowns, as fast as issue 17 left them (bench/stats.ts):
 *  - case_deadlines (status, due_date) becomes (status, due_date, kind, met_date): the reminder
 *    scan reads the same range as before, and the open deadlines overdue today are counted from
 *    the index alone (StatsCaseQueries.overdueOpen: 400 ms a kind at 1,000,000 cases before);
 *  - on SQLite only, cases (channel, received_date) and (purpose, received_date) come back: 032
 *    dropped them for MariaDB, which read them whole, but SQLite skip-scans them by channel or
 *    purpose, as it does (category, received_date) and (town, received_date), and without them
 *    its planner read every case row of the year for a channel breakdown (1.9 s).
 */
const OLD = ['status', 'due_date'];
const NEW = ['status', 'due_date', 'kind', 'met_date'];
const NEW_NAME = 'case_deadlines_status_due_kind_met_idx';
const SQLITE_ONLY: Array<[string[], string]> = [
  [['channel', 'received_date'], 'cases_channel_received_idx'],
  [['purpose', 'received_date'], 'cases_purpose_received_idx'],
];

const isSqlite = (knex: Knex) => String((knex.client as { config: { client: unknown } }).config.client).includes('sqlite');

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('case_deadlines', (t) => {
    t.index(NEW, NEW_NAME);
    t.dropIndex(OLD);
  });
  if (isSqlite(knex)) {
    await knex.schema.alterTable('cases', (t) => {
      for (const [cols, name] of SQLITE_ONLY) t.index(cols, name);
    });
  }
}

export async function down(knex: Knex): Promise<void> {
  if (isSqlite(knex)) {
    await knex.schema.alterTable('cases', (t) => {
      for (const [cols, name] of SQLITE_ONLY) t.dropIndex(cols, name);
    });
  }
  await knex.schema.alterTable('case_deadlines', (t) => {
    t.index(OLD);
    t.dropIndex(NEW, NEW_NAME);
  });
}
