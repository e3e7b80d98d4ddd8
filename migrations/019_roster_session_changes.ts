import { Knex } from 'knex';

/**
 * Who changed a reception day directly, when and why (issue 15, item 9):
 *  - sessions: the reason, person and moment of a cancellation (取消接访), cleared by 恢复接访.
 *  - roster_session_events: the audit of the admin's direct changes of a session — cancel, restore,
 *    move (调整接访 … 改到), reassign (调整接访 … 换成) — and of approved requests: who, when, why,
 *    and what it was before and after (JSON: dates, leaders, the people and groups told).
 * A rejected change request keeps its reason in roster_change_requests.decision_note (004).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sessions', (t) => {
    t.string('cancel_reason', 200).nullable();
    t.string('cancelled_by', 64).nullable();
    t.string('cancelled_at', 23).nullable();
  });
  await knex.schema.createTable('roster_session_events', (t) => {
    t.increments('id');
    t.integer('session_id').unsigned().notNullable().references('sessions.id');
    t.string('kind', 16).notNullable(); // cancel | restore | move | reassign
    t.string('actor', 64).notNullable();
    t.string('reason', 500).nullable();
    t.text('detail').nullable();
    t.string('created_at', 23).notNullable();
    t.index(['session_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('roster_session_events');
  await knex.schema.alterTable('sessions', (t) => {
    t.dropColumn('cancel_reason');
    t.dropColumn('cancelled_by');
    t.dropColumn('cancelled_at');
  });
}
