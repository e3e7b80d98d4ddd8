import type { Knex } from 'knex';

/**
 * Statistics at province scale (issue 18: ten years of cases, 10,000,000 rows): every read of a
 * period is a range of an index led by the period's date, so it reads the period's rows whatever
 * the other years hold (bench/province-stats-feeds.ts, with EXPLAIN).
 *  - cases (received_date, channel, category, town, purpose, is_group, anonymous): the breakdowns,
 *    the registrations per day and the repeat petitions of a period, one range each. It replaces
 *    029's (channel, received_date) and (purpose, received_date), which MariaDB read whole (it has
 *    no skip scan), and 029's (received_date, is_group, anonymous), now its prefix;
 *  - cases (supervised, replied_date): the cases under 挂牌督办 not concluded before the previous
 *    period, instead of every one ever supervised (replaces 029's (supervised));
 *  - sessions (date, status): a period's reception days counted from the index alone, and its held
 *    ones (whose outcome is read) picked out in the index before any row is read.
 */
const ADD: Array<[string, string[], string]> = [
  ['cases', ['received_date', 'channel', 'category', 'town', 'purpose', 'is_group', 'anonymous'], 'cases_received_breakdown_idx'],
  ['cases', ['supervised', 'replied_date'], 'cases_supervised_replied_idx'],
  ['sessions', ['date', 'status'], 'sessions_date_status_idx'],
];
const DROP: Array<[string, string[], string]> = [
  ['cases', ['channel', 'received_date'], 'cases_channel_received_idx'],
  ['cases', ['purpose', 'received_date'], 'cases_purpose_received_idx'],
  ['cases', ['received_date', 'is_group', 'anonymous'], 'cases_received_day_idx'],
  ['cases', ['supervised'], 'cases_supervised_idx'],
];

async function alter(knex: Knex, add: typeof ADD, drop: typeof DROP): Promise<void> {
  for (const table of ['cases', 'sessions']) {
    const adds = add.filter(([t]) => t === table);
    const drops = drop.filter(([t]) => t === table);
    if (!adds.length && !drops.length) continue;
    await knex.schema.alterTable(table, (t) => {
      for (const [, cols, name] of adds) t.index(cols, name);
      for (const [, cols, name] of drops) t.dropIndex(cols, name);
    });
  }
}

export async function up(knex: Knex): Promise<void> {
  await alter(knex, ADD, DROP);
}

export async function down(knex: Knex): Promise<void> {
  await alter(knex, DROP, ADD);
}
