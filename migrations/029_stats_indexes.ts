import type { Knex } from 'knex';

/**
 * Statistics on a large year (issue 17): every figure is a GROUP BY read from an index alone
 * (no table row visited), measured by bench/stats.ts on 1,000,000 cases.
 *  - cases (channel|purpose, received_date): a breakdown by that column (category and town have theirs, 018);
 *  - cases (received_date, is_group, anonymous): registrations per day;
 *  - cases (replied_date): the cases 办结 in a period;
 *  - cases (supervised): the cases under 挂牌督办 (few);
 *  - cases (id, status, decided_date, replied_date): the case's dates by id.
 * The deadlines of a kind are rated from case_deadlines alone, over migration 030's index.
 */
const CASE_INDEXES: Array<[string[], string]> = [
  [['channel', 'received_date'], 'cases_channel_received_idx'],
  [['purpose', 'received_date'], 'cases_purpose_received_idx'],
  [['received_date', 'is_group', 'anonymous'], 'cases_received_day_idx'],
  [['replied_date'], 'cases_replied_idx'],
  [['supervised'], 'cases_supervised_idx'],
  [['id', 'status', 'decided_date', 'replied_date'], 'cases_done_dates_idx'],
];

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('cases', (t) => {
    for (const [cols, name] of CASE_INDEXES) t.index(cols, name);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('cases', (t) => {
    for (const [cols, name] of CASE_INDEXES) t.dropIndex(cols, name);
  });
}
