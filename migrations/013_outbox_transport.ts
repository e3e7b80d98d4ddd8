import { Knex } from 'knex';

/**
 * Which transport an outbox row was queued for ('lark' or 'console'): a sender takes only the
 * rows of its own transport, so a process without the Lark settings never marks a Lark message
 * sent (issue 13). Rows already there are given the transport they most likely belong to:
 * a row the console sent (lark_message_id 'console:…') or one addressed to a console chat is the
 * console's; the unsent rows of a database that only ever sent through the console are the
 * console's; every other row is Lark's, so that no Lark message can be taken by the console.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('outbox', (t) => {
    t.string('transport', 16).notNullable().defaultTo('lark');
  });
  await knex('outbox').where('lark_message_id', 'like', 'console:%').orWhere('receive_id', 'like', 'console:%').update({ transport: 'console' });
  const consoleSent = await knex('outbox').where('status', 'sent').andWhere('lark_message_id', 'like', 'console:%').first('id');
  const larkSent = await knex('outbox')
    .where('status', 'sent')
    .whereNotNull('lark_message_id')
    .andWhere('lark_message_id', 'not like', 'console:%')
    .first('id');
  if (consoleSent && !larkSent) await knex('outbox').whereNot('status', 'sent').update({ transport: 'console' });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('outbox', (t) => {
    t.dropColumn('transport');
  });
}
