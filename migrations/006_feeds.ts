import { Knex } from 'knex';

/**
 * Calendar subscription tokens. Only the SHA-256 of a token is kept, so a copy of the database
 * does not hand out working feed URLs; `prefix` (the first characters) lets the admin tell
 * tokens apart in a list.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('feed_tokens', (t) => {
    t.increments('id');
    t.string('token_hash', 64).notNullable().unique(); // hex sha256 of the token
    t.string('prefix', 8).notNullable();
    t.string('kind', 16).notNullable(); // leader | venue | deadlines
    t.string('subject', 128).notNullable(); // leaders.id, venues.id, or a unit's name
    t.string('label', 128).nullable();
    t.string('created_by', 64).nullable(); // users.id, or 'cli'
    t.string('created_at', 23).notNullable();
    t.string('revoked_at', 23).nullable();
    t.index(['kind', 'subject']);
    t.index(['prefix']);
  });

  // max(updated_at) is part of every feed's cheap version check (a 304 must not scan the plan).
  await knex.schema.alterTable('sessions', (t) => {
    t.index(['updated_at'], 'sessions_updated_at_index');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sessions', (t) => {
    t.dropIndex(['updated_at'], 'sessions_updated_at_index');
  });
  await knex.schema.dropTableIfExists('feed_tokens');
}
