import { Knex } from 'knex';

/**
 * The reminders of a dispute's target date (src/reminders, the dispute due source): one row per
 * (dispute, target date, step), recorded in the transaction that queues its messages, so a re-run,
 * a restart or a second replica never sends a step twice. Owned by the reminders capability.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('dispute_reminders', (t) => {
    t.increments('id').primary();
    t.integer('dispute_id').unsigned().notNullable().references('disputes.id');
    t.string('target_date', 10).notNullable();
    t.string('step', 16).notNullable(); // before-3 | due | overdue-2 …
    t.string('step_date', 10).notNullable();
    t.integer('level').notNullable();
    t.string('due_at', 23).notNullable();
    t.string('queued_at', 23).notNullable();
    t.text('recipients').notNullable(); // JSON
    t.string('run_token', 64).notNullable();
    t.unique(['dispute_id', 'target_date', 'step'], { indexName: 'dispute_reminders_key' });
    t.index(['run_token'], 'dispute_reminders_run_index');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('dispute_reminders');
}
