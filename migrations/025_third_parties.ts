import { Knex } from 'knex';

/**
 * 第三方力量 on reception days (issue 16, item 5; src/roster/third-party-*):
 *  - third_parties: the roster of lawyers, psychological counsellors, mediators and others who sit in
 *    on receptions; the phone is stored whole and shown masked; a removed person stays (inactive)
 *    for the history of the sessions they attended.
 *  - session_third_parties: who attends which session, how they were put there (rule: by the roster
 *    rules at plan generation; hand: 安排第三方), by whom and when.
 *  - third_party_events: the audit, insert only: registered, removed, assigned, unassigned.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('third_parties', (t) => {
    t.increments('id');
    t.string('name', 64).notNullable();
    t.string('kind', 16).notNullable(); // 律师 | 心理咨询师 | 调解员 | 其他
    t.string('organisation', 128).nullable();
    t.string('phone', 32).nullable();
    t.boolean('active').notNullable().defaultTo(true);
    t.string('created_by', 64).notNullable();
    t.string('created_at', 23).notNullable();
    t.string('updated_at', 23).notNullable();
    t.index(['kind', 'active']);
  });
  await knex.schema.createTable('session_third_parties', (t) => {
    t.integer('session_id').unsigned().notNullable().references('sessions.id');
    t.integer('third_party_id').unsigned().notNullable().references('third_parties.id');
    t.string('how', 8).notNullable(); // rule | hand
    t.string('assigned_by', 64).notNullable();
    t.string('assigned_at', 23).notNullable();
    t.primary(['session_id', 'third_party_id']);
    t.index(['third_party_id']);
  });
  await knex.schema.createTable('third_party_events', (t) => {
    t.increments('id');
    t.integer('third_party_id').unsigned().notNullable().references('third_parties.id');
    t.integer('session_id').unsigned().nullable();
    t.string('action', 16).notNullable(); // registered | removed | assigned | unassigned
    t.string('how', 8).nullable(); // rule | hand, for assigned/unassigned
    t.string('actor_id', 64).notNullable();
    t.string('reason', 200).nullable();
    t.string('at', 23).notNullable();
    t.index(['third_party_id']);
    t.index(['session_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const t of ['third_party_events', 'session_third_parties', 'third_parties']) await knex.schema.dropTableIfExists(t);
}
