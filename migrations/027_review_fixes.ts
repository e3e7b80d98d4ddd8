import { Knex } from 'knex';

/**
 * 信访事项评查, the 整改's date and a sample's cancellation (issue 16, item 2):
 *  - reviews.fix_due_date: the date by which the unit must fix the problems found (set when they
 *    are recorded; NULL for a review found 规范 and for the reviews recorded before this migration).
 *  - review_samples.cancelled_by / cancelled_at: 评查抽样 撤销, allowed only while nothing in the
 *    sample was recorded; its reviews stay (status cancelled) for the audit, out of the ledger.
 *  - review_reminders (owned by src/reminders, like dispute_reminders): the reminders of a 整改's
 *    due date, one row per (review, due date, step), recorded in the transaction that queues its
 *    messages, so a re-run, a restart or a second replica never sends a step twice.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('reviews', (t) => {
    t.string('fix_due_date', 10).nullable();
  });
  await knex.schema.alterTable('review_samples', (t) => {
    t.string('cancelled_by', 64).nullable();
    t.string('cancelled_at', 23).nullable();
  });
  await knex.schema.createTable('review_reminders', (t) => {
    t.increments('id').primary();
    t.integer('review_id').unsigned().notNullable().references('reviews.id');
    t.string('due_date', 10).notNullable();
    t.string('step', 16).notNullable(); // before-3 | due | overdue-2 …
    t.string('step_date', 10).notNullable();
    t.integer('level').notNullable();
    t.string('due_at', 23).notNullable();
    t.string('queued_at', 23).notNullable();
    t.text('recipients').notNullable(); // JSON
    t.string('run_token', 64).notNullable();
    t.unique(['review_id', 'due_date', 'step'], { indexName: 'review_reminders_key' });
    t.index(['run_token'], 'review_reminders_run_index');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('review_reminders');
  await knex.schema.alterTable('review_samples', (t) => {
    t.dropColumn('cancelled_at');
    t.dropColumn('cancelled_by');
  });
  await knex.schema.alterTable('reviews', (t) => {
    t.dropColumn('fix_due_date');
  });
}
