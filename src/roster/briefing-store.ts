import type { Knex } from 'knex';
import { toDbTime } from '../platform/database/time';
import type { Db } from './store-rows';

/** The briefings sent before reception days (roster_briefings), one row per unique key. */
export class BriefingStore {
  constructor(private readonly db: Knex) {}

  async briefingSent(key: string, db: Db = this.db): Promise<boolean> {
    return Boolean(await db('roster_briefings').where({ key }).first('id'));
  }

  /** Records a briefing under its unique key; a second insert of the same key fails. */
  async recordBriefing(trx: Db, b: { key: string; sessionId: number; recipient: string; kind: 'leader' | 'venue'; outboxId: number }, now = new Date()): Promise<void> {
    await trx('roster_briefings').insert({
      key: b.key, session_id: b.sessionId, recipient: b.recipient, kind: b.kind, outbox_id: b.outboxId, created_at: toDbTime(now),
    });
  }

  async countBriefings(db: Db = this.db): Promise<number> {
    const r = await db('roster_briefings').count({ n: '*' }).first();
    return Number(r?.n ?? 0);
  }
}
