import { Knex } from 'knex';
import { toDbTime } from '../database/time';

export const CHAT_ROLES = ['bureau', 'supervision', 'leaders', 'venue'] as const;
export type ChatRole = (typeof CHAT_ROLES)[number];

export interface Chat {
  id: string;
  name: string | null;
  unit: string | null;
  role: ChatRole | null;
  venueId: string | null;
}

/** Group chats and what they stand for: a handling unit's group, or a bureau role's group. */
export class ChatStore {
  constructor(private readonly db: Knex) {}

  async upsert(chat: Chat, now = new Date()): Promise<void> {
    const row = { name: chat.name, unit: chat.unit, role: chat.role, venue_id: chat.venueId };
    await this.db('chats')
      .insert({ id: chat.id, ...row, created_at: toDbTime(now) })
      .onConflict('id')
      .merge(row);
  }

  /** Adds many new chats in the caller's transaction (the demo county). */
  async insertMany(chats: Chat[], now: Date, db: Knex | Knex.Transaction = this.db): Promise<void> {
    if (!chats.length) return;
    const t = toDbTime(now);
    await db('chats').insert(chats.map((c) => ({ id: c.id, name: c.name, unit: c.unit, role: c.role, venue_id: c.venueId, created_at: t })));
  }

  async get(id: string): Promise<Chat | null> {
    const r = await this.db('chats').where({ id }).first();
    return r ? toChat(r) : null;
  }

  async list(): Promise<Chat[]> {
    return (await this.db('chats').orderBy('id')).map(toChat);
  }

  /** `db`: the caller's transaction, when it reads inside one (SQLite has a single connection). */
  async forUnit(unit: string, db: Knex | Knex.Transaction = this.db): Promise<Chat[]> {
    return (await db('chats').where({ unit }).orderBy('id')).map(toChat);
  }

  async forRole(role: ChatRole): Promise<Chat[]> {
    return (await this.db('chats').where({ role }).orderBy('id')).map(toChat);
  }

  async forVenue(venueId: string, db: Knex | Knex.Transaction = this.db): Promise<Chat[]> {
    return (await db('chats').where({ venue_id: venueId }).orderBy('id')).map(toChat);
  }
}

function toChat(r: any): Chat {
  return { id: r.id, name: r.name ?? null, unit: r.unit ?? null, role: r.role ?? null, venueId: r.venue_id ?? null };
}
