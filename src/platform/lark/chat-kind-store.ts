import type { Knex } from 'knex';
import { toDbTime } from '../database/time';

/** Private (the bot and one person) or a group: all a card callback's chat can be. */
export type ChatKind = 'p2p' | 'group';

/** How the kind was learnt: Lark's “entered the chat with the bot” event, or Lark's answer to im.v1.chat.get. */
export type ChatKindSource = 'event' | 'chat.get';

/** The only SQL of `lark_chat_kinds`: what Lark said each chat is (migration 015). */
export class ChatKindStore {
  constructor(private readonly db: Knex) {}

  async get(chatId: string): Promise<ChatKind | undefined> {
    const r = await this.db('lark_chat_kinds').where({ chat_id: chatId }).first('kind');
    return r?.kind === 'p2p' || r?.kind === 'group' ? r.kind : undefined;
  }

  async remember(chatId: string, kind: ChatKind, source: ChatKindSource, now: Date): Promise<void> {
    await this.db('lark_chat_kinds')
      .insert({ chat_id: chatId, kind, source, updated_at: toDbTime(now) })
      .onConflict('chat_id')
      .merge({ kind, source, updated_at: toDbTime(now) });
  }
}
