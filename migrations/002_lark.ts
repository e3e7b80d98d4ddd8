import { Knex } from 'knex';

/**
 * The Lark channels: every inbound event recorded once (its id is the unique key, so a
 * re-delivery is a duplicate insert), claim columns on the outbox so several replicas can
 * drain it, and the day an unknown user was last refused.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('inbound_events', (t) => {
    t.increments('id');
    // 'evt:<header.event_id>' or 'card:<action token>': what makes a delivery the same event
    t.string('event_key', 160).notNullable().unique();
    t.string('event_type', 64).notNullable();
    t.string('channel', 8).notNullable(); // ws | webhook
    // The normalized event (JSON) until it is processed; cleared then, as it may hold personal data.
    t.text('payload', 'mediumtext').nullable();
    t.string('status', 12).notNullable(); // pending | processing | done | failed
    t.integer('attempts').notNullable().defaultTo(0);
    t.string('claimed_by', 80).nullable();
    t.string('lease_until', 23).nullable();
    t.string('error', 255).nullable();
    t.string('received_at', 23).notNullable();
    t.string('processed_at', 23).nullable();
    t.index(['status', 'lease_until']);
    t.index(['received_at']);
  });

  await knex.schema.alterTable('outbox', (t) => {
    t.string('claimed_by', 80).nullable();
    t.string('lease_until', 23).nullable();
  });

  // The private chat Lark uses between the bot and a person: a menu click names only the person.
  await knex.schema.createTable('lark_p2p_chats', (t) => {
    t.string('open_id', 64).primary();
    t.string('chat_id', 64).notNullable();
    t.string('updated_at', 23).notNullable();
  });

  // One polite refusal per unknown Lark user per Shanghai day.
  await knex.schema.createTable('lark_refusals', (t) => {
    t.string('open_id', 64).notNullable();
    t.string('day', 10).notNullable();
    t.string('created_at', 23).notNullable();
    t.primary(['open_id', 'day']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('lark_refusals');
  await knex.schema.dropTableIfExists('lark_p2p_chats');
  await knex.schema.alterTable('outbox', (t) => {
    t.dropColumn('lease_until');
    t.dropColumn('claimed_by');
  });
  await knex.schema.dropTableIfExists('inbound_events');
}
