import type { Knex } from 'knex';
import { enqueueMessage } from '../../src/platform/outbox/outbox-store';
import { ReminderStore } from '../../src/reminders/reminder-store';
import { freshDb, testDialects } from '../helpers/db';

describe.each(testDialects())('ReminderStore ($name)', (dialect) => {
  let db: Knex;
  beforeEach(async () => {
    ({ db } = await freshDb(dialect));
  });
  afterEach(async () => {
    await db.destroy();
  });

  test('queueMessages writes the very rows enqueueMessage writes, each with its own uuid', async () => {
    const now = new Date('2025-10-09T01:00:00Z');
    const msg = { receiveIdType: 'chat_id' as const, receiveId: 'oc_x', msgType: 'interactive' as const, content: { a: '提醒' }, source: 'reminder:1' };
    await db.transaction(async (trx) => {
      await enqueueMessage(trx, msg, now);
      await new ReminderStore(db).queueMessages(trx, [msg, { ...msg, receiveId: 'oc_y' }], now);
    });
    const rows = await db('outbox').orderBy('id');
    expect(rows).toHaveLength(3);
    const strip = (r: any) => {
      const { id: _id, uuid: _uuid, receive_id: _to, ...rest } = r;
      return rest;
    };
    expect(strip(rows[1])).toEqual(strip(rows[0]));
    expect(new Set(rows.map((r: any) => r.uuid)).size).toBe(3);
  });
});
