import { Knex } from 'knex';

/**
 * Scheduled jobs (issue 6): the run log that is also each slot's lease, the reminders recorded
 * under their exactly-once key, and the daily digests sent.
 */
export async function up(knex: Knex): Promise<void> {
  // One row per (job, slot): the unique key is the lease, so with several replicas one runs a slot.
  await knex.schema.createTable('job_runs', (t) => {
    t.increments('id');
    t.string('job', 64).notNullable();
    // Scheduled: the slot's instant (ISO, UTC); manual: 'manual:<uuid>'.
    t.string('slot', 64).notNullable();
    t.string('origin', 12).notNullable(); // schedule | catch-up | manual
    t.string('as_of', 23).notNullable(); // the instant the job ran as if at
    t.string('status', 12).notNullable(); // running | ok | failed
    t.string('owner', 128).notNullable(); // host:pid:random of the replica holding the lease
    t.integer('attempts').notNullable().defaultTo(1);
    t.string('started_at', 23).notNullable();
    t.string('lease_until', 23).notNullable();
    t.string('finished_at', 23).nullable();
    t.string('outcome', 1000).nullable();
    t.unique(['job', 'slot']);
    t.index(['job', 'started_at']);
  });

  // Each (case, deadline, due date, step) reminder once: recorded in the transaction that queues
  // its outbox rows. The due date is part of the key so an extended deadline starts a new schedule.
  await knex.schema.createTable('reminders', (t) => {
    t.increments('id');
    t.integer('case_id').unsigned().notNullable().references('cases.id');
    t.integer('deadline_id').unsigned().notNullable();
    t.string('kind', 24).notNullable();
    t.string('due_date', 10).notNullable();
    t.string('step', 16).notNullable(); // before-3 | due | overdue-2 …
    t.string('step_date', 10).notNullable(); // the working day the step belongs to
    t.integer('level').notNullable().defaultTo(0); // 0 unit, 1 + supervision group, 2 + leader/director
    t.string('due_at', 23).notNullable(); // when the step fell due (working hours)
    t.string('queued_at', 23).notNullable();
    t.text('recipients').notNullable(); // JSON [{type, id, role}]
    t.string('run_token', 48).notNullable(); // which scan batch recorded it
    t.unique(['case_id', 'kind', 'due_date', 'step']);
    t.index(['run_token']);
  });

  // One digest per working day.
  await knex.schema.createTable('digests', (t) => {
    t.string('date', 10).primary();
    t.text('summary').notNullable(); // JSON counts
    t.string('created_at', 23).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('digests');
  await knex.schema.dropTableIfExists('reminders');
  await knex.schema.dropTableIfExists('job_runs');
}
