import { Knex } from 'knex';

/**
 * What the bot has learnt of a Lark chat it was clicked in: private ('p2p', the bot and one
 * person) or a group (issue 14). A card callback does not say, and whole ID numbers, phones and
 * addresses may only ever go to a private chat, so a chat is private here only when Lark said so:
 * the “entered the chat with the bot” event, or `im.v1.chat.get` answering chat_mode p2p. A
 * chat's mode never changes, so an answer is kept for good.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('lark_chat_kinds', (t) => {
    t.string('chat_id', 64).primary();
    t.string('kind', 8).notNullable(); // p2p | group
    t.string('source', 16).notNullable(); // event | chat.get
    t.string('updated_at', 23).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('lark_chat_kinds');
}
