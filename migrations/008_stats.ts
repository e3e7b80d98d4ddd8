import { Knex } from 'knex';

/** One row per period whose statistics report was queued, so the monthly job sends it once. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('stats_reports', (t) => {
    t.string('period', 16).primary(); // e.g. 2026-10
    t.integer('outbox_id').nullable();
    t.string('created_at', 23).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('stats_reports');
}
