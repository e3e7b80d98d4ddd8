import { Knex } from 'knex';

/**
 * The reception roster's own tables, next to leaders/venues/sessions/session_leaders of 001:
 * absences, the plan of each year with its report, change requests, and the briefings sent.
 */
export async function up(knex: Knex): Promise<void> {
  // When a deputy receives for someone, whose duty it was (the plan's fairness counts it for them).
  await knex.schema.alterTable('session_leaders', (t) => {
    t.string('substitute_for', 64).nullable();
  });

  await knex.schema.createTable('leader_unavailability', (t) => {
    t.increments('id');
    t.string('leader_id', 64).notNullable().references('leaders.id');
    t.string('from_date', 10).notNullable();
    t.string('to_date', 10).notNullable(); // inclusive
    t.string('reason', 100).nullable();
    t.string('deputy_id', 64).nullable();
    t.string('created_at', 23).notNullable();
    t.index(['leader_id']);
  });

  await knex.schema.createTable('roster_plans', (t) => {
    t.integer('year').primary();
    t.boolean('provisional').notNullable().defaultTo(false); // made without that year's holiday data
    t.string('source', 200).nullable(); // the rules file, or the imported workbook
    t.text('report', 'mediumtext').nullable(); // JSON: issues and fairness
    t.string('generated_by', 64).nullable();
    t.string('generated_at', 23).notNullable();
  });

  await knex.schema.createTable('roster_change_requests', (t) => {
    t.increments('id');
    t.string('kind', 8).notNullable(); // move | swap
    t.integer('session_id').unsigned().notNullable().references('sessions.id');
    t.string('leader_id', 64).notNullable(); // the leader whose day it is
    t.string('requested_by', 64).notNullable();
    t.string('target_date', 10).nullable(); // move
    t.string('target_slot', 8).nullable();
    t.integer('other_session_id').unsigned().nullable().references('sessions.id'); // swap
    t.string('other_leader_id', 64).nullable();
    t.string('reason', 200).nullable();
    t.string('status', 12).notNullable().defaultTo('pending'); // pending | approved | rejected | conflict
    t.string('decided_by', 64).nullable();
    t.string('decided_at', 23).nullable();
    t.string('decision_note', 500).nullable();
    t.string('created_at', 23).notNullable();
    t.index(['status']);
    t.index(['session_id']);
  });

  // One row per briefing or reminder queued: the key makes the job safe to run twice.
  await knex.schema.createTable('roster_briefings', (t) => {
    t.increments('id');
    t.string('key', 160).notNullable().unique(); // kind:session:recipient:date
    t.integer('session_id').unsigned().notNullable().references('sessions.id');
    t.string('recipient', 64).notNullable();
    t.string('kind', 8).notNullable(); // leader | venue
    t.integer('outbox_id').nullable();
    t.string('created_at', 23).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const t of ['roster_briefings', 'roster_change_requests', 'roster_plans', 'leader_unavailability']) {
    await knex.schema.dropTableIfExists(t);
  }
  await knex.schema.alterTable('session_leaders', (t) => {
    t.dropColumn('substitute_for');
  });
}
