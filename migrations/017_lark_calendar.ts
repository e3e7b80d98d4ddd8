import { Knex } from 'knex';

/**
 * Reception days in the leaders' Lark calendar (src/lark-calendar, LARK_CALENDAR_SYNC):
 *  - lark_calendars: the one shared calendar, under a unique name. The row is claimed (claimed_by,
 *    claimed_until) in a compare-and-set before the create call, so two replicas or a restart never
 *    create a second calendar; calendar_id is set once the call answered.
 *  - lark_calendar_events: session → event, and the sync queue. A row is pending while want_hash
 *    (what the session should look like in Lark) differs from synced_hash (what was last written);
 *    a worker claims it with a lease (lease_owner, lease_until), retries with back-off
 *    (attempts, next_attempt_at) and keeps the last error's code only (never personal data).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('lark_calendars', (t) => {
    t.string('name', 32).primary();
    t.string('calendar_id', 128).nullable();
    t.string('claimed_by', 64).nullable();
    t.string('claimed_until', 23).nullable();
    t.string('created_at', 23).notNullable();
    t.string('updated_at', 23).notNullable();
  });
  await knex.schema.createTable('lark_calendar_events', (t) => {
    t.integer('session_id').unsigned().primary().references('sessions.id');
    t.string('event_id', 128).nullable();
    t.string('want_hash', 64).notNullable();
    t.string('synced_hash', 64).nullable();
    t.integer('want_sequence').notNullable().defaultTo(0);
    t.integer('synced_sequence').nullable();
    t.text('attendees').nullable(); // JSON array of the open_ids Lark has as attendees
    t.integer('attempts').notNullable().defaultTo(0);
    t.string('next_attempt_at', 23).notNullable();
    t.string('lease_owner', 64).nullable();
    t.string('lease_until', 23).nullable();
    t.string('last_error', 200).nullable();
    t.string('created_at', 23).notNullable();
    t.string('updated_at', 23).notNullable();
    t.index(['next_attempt_at'], 'lark_calendar_events_due_index');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('lark_calendar_events');
  await knex.schema.dropTableIfExists('lark_calendars');
}
