import { Knex } from 'knex';

/**
 * Form drafts: the whole dialog state of an open form, one per person per chat, so a restart or
 * another replica continues the same conversation. `version` rises on every saved turn; a turn
 * saves only if the version it read is still there (optimistic concurrency across replicas).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('form_drafts', (t) => {
    t.string('user_id', 64).notNullable();
    t.string('chat_id', 64).notNullable();
    t.string('form', 32).notNullable(); // e.g. petition
    t.text('state', 'mediumtext').notNullable(); // JSON
    t.integer('version').notNullable().defaultTo(1);
    t.string('created_at', 23).notNullable();
    t.string('updated_at', 23).notNullable();
    t.string('expires_at', 23).notNullable(); // updated_at + DRAFT_TTL_HOURS
    t.primary(['user_id', 'chat_id']);
    t.index(['expires_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('form_drafts');
}
