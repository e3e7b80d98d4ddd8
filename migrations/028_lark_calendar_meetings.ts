import { Knex } from 'knex';

/**
 * 会商 and 联席会议 in the shared Lark calendar (src/lark-calendar, LARK_CALENDAR_SYNC): one row per
 * meeting, its event and its place in the sync queue, exactly as lark_calendar_events (017) is for
 * a reception session: pending while want_hash differs from synced_hash, claimed with a lease,
 * retried with back-off, the last error's code only.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('lark_calendar_meetings', (t) => {
    t.integer('consultation_id').unsigned().primary().references('consultations.id');
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
    t.index(['next_attempt_at'], 'lark_calendar_meetings_due_index');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('lark_calendar_meetings');
}
