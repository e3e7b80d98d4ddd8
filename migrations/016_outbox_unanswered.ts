import { Knex } from 'knex';

/**
 * When a send of the row first went unanswered (a timeout, or the connection dropped after the
 * request went out): Lark may have made the message though we never heard. Its uuid keeps a send
 * again harmless for an hour only; after that the sender holds the row for a person
 * (platform/lark/uuid-window.ts). Failures Lark answered (any HTTP answer, a refused connection,
 * an unknown host) never set it, so a long outage of that kind is retried for the whole horizon.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('outbox', (t) => {
    t.string('unanswered_since', 23).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('outbox', (t) => {
    t.dropColumn('unanswered_since');
  });
}
