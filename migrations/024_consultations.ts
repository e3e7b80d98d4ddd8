import { Knex } from 'knex';

/**
 * 疑难复杂问题会商 and 联席会议 (issue 16, item 4): the meetings, who was invited and what they
 * answered, the minutes' follow-up tasks, the reminders sent for them, and the audit trail
 * (consultation_events, append-only like case_events). Identical on SQLite and MySQL.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('consultations', (t) => {
    t.increments('id');
    t.string('no', 16).notNullable().unique(); // HS2026-001
    t.string('kind', 12).notNullable(); // consultation (会商) | joint (联席会议)
    t.integer('year').notNullable();
    t.text('subject').notNullable(); // 会商事项: what a person reads, never a petitioner's personal data
    t.string('case_no', 16).nullable(); // the difficult case, when there is one
    t.string('dispute_no', 32).nullable(); // the dispute of the screening ledger, when there is one
    t.string('date', 10).notNullable();
    t.string('slot', 4).notNullable(); // 上午 | 下午 | 晚上
    t.string('start_time', 5).notNullable(); // HH:MM Shanghai
    t.string('end_time', 5).notNullable();
    t.string('place', 200).notNullable();
    t.text('third_parties').nullable(); // JSON array of free-text names/kinds (律师, 心理咨询师…)
    t.string('status', 12).notNullable().defaultTo('scheduled'); // scheduled | held | cancelled
    t.text('minutes').nullable(); // 会商意见
    t.string('minutes_by', 64).nullable();
    t.string('minutes_at', 23).nullable();
    t.string('organiser_id', 64).notNullable();
    t.integer('sequence').notNullable().defaultTo(0); // iCal SEQUENCE
    t.string('created_at', 23).notNullable();
    t.string('updated_at', 23).notNullable();
    t.index(['date']);
    t.index(['status', 'date']);
  });

  await knex.schema.createTable('consultation_invitees', (t) => {
    t.increments('id');
    t.integer('consultation_id').unsigned().notNullable().references('consultations.id');
    t.string('kind', 8).notNullable(); // leader | unit
    t.string('invitee', 64).notNullable(); // users.id of a leader, or a unit's name
    t.string('reply', 10).notNullable().defaultTo('pending'); // pending | accepted | declined
    t.string('reason', 500).nullable();
    t.string('replied_by', 64).nullable();
    t.string('replied_at', 23).nullable();
    t.unique(['consultation_id', 'kind', 'invitee']);
    t.index(['kind', 'invitee']);
  });

  await knex.schema.createTable('consultation_tasks', (t) => {
    t.increments('id');
    t.integer('consultation_id').unsigned().notNullable().references('consultations.id');
    t.string('owner_kind', 8).notNullable(); // unit | user
    t.string('owner', 64).notNullable(); // a unit's name, or a users.id
    t.text('content').notNullable();
    t.string('due_date', 10).notNullable();
    t.string('status', 8).notNullable().defaultTo('open'); // open | done
    t.string('done_by', 64).nullable();
    t.string('done_at', 23).nullable();
    t.string('done_note', 500).nullable();
    t.string('created_at', 23).notNullable();
    t.index(['status', 'due_date']);
    t.index(['consultation_id']);
  });

  // One row per task reminder queued: the key (task:step) makes the job safe to run twice.
  await knex.schema.createTable('consultation_reminders', (t) => {
    t.increments('id');
    t.string('key', 80).notNullable().unique();
    t.integer('task_id').unsigned().notNullable().references('consultation_tasks.id');
    t.string('step', 12).notNullable(); // before | overdue
    t.integer('messages').notNullable().defaultTo(0);
    t.string('created_at', 23).notNullable();
  });

  await knex.schema.createTable('consultation_events', (t) => {
    t.increments('id');
    t.integer('consultation_id').unsigned().notNullable().references('consultations.id');
    t.string('action', 16).notNullable(); // schedule | reply | minutes | task_done
    t.string('actor_id', 64).notNullable();
    t.text('detail').nullable();
    t.text('data').nullable(); // JSON
    t.string('at', 23).notNullable();
    t.index(['consultation_id']);
  });

  const client = String((knex.client as { config: { client: unknown } }).config.client);
  for (const op of ['UPDATE', 'DELETE']) {
    const name = `consultation_events_no_${op.toLowerCase()}`;
    await knex.raw(
      client.includes('mysql')
        ? `CREATE TRIGGER ${name} BEFORE ${op} ON consultation_events FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'consultation_events is append-only'`
        : `CREATE TRIGGER ${name} BEFORE ${op} ON consultation_events BEGIN SELECT RAISE(ABORT, 'consultation_events is append-only'); END`,
    );
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TRIGGER IF EXISTS consultation_events_no_update');
  await knex.raw('DROP TRIGGER IF EXISTS consultation_events_no_delete');
  for (const t of ['consultation_events', 'consultation_reminders', 'consultation_tasks', 'consultation_invitees', 'consultations']) {
    await knex.schema.dropTableIfExists(t);
  }
}
