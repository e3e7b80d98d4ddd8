import type { Knex } from 'knex';
import { toDbTime } from '../../src/platform/database/time';
import { findDueOutbox, listOutbox } from '../../src/platform/outbox/outbox-store';
import { ReminderStore } from '../../src/reminders/reminder-store';
import { freshDb, testDialects } from '../helpers/db';

describe.each(testDialects({ galera: true }))('ReminderStore ($name)', (dialect) => {
  let db: Knex;
  beforeEach(async () => {
    ({ db } = await freshDb(dialect));
  });
  afterEach(async () => {
    await db.destroy();
  });

  test('queueMessages queues, in the caller’s transaction, rows the sender takes: pending, due, in order, each with its own uuid', async () => {
    const now = new Date('2025-10-09T01:00:00Z');
    const later = new Date('2025-10-09T02:00:00Z');
    const msg = { receiveId: 'oc_x', msgType: 'interactive' as const, content: { a: '提醒' }, source: 'reminder:1' };
    const many = Array.from({ length: 300 }, (_, i) => ({ ...msg, receiveId: `oc_${i}` }));
    await db.transaction(async (trx) => {
      await new ReminderStore(db).queueMessages(trx, [...many, { ...msg, receiveIdType: 'open_id' as const, receiveId: 'ou_y', notBefore: later }], now);
    });
    const rows = await listOutbox(db, { limit: 1000 });
    expect(rows).toHaveLength(301);
    const oldestFirst = [...rows].reverse();
    expect(oldestFirst.map((r) => r.receiveId)).toEqual([...many.map((m) => m.receiveId), 'ou_y']);
    expect(oldestFirst[0]).toMatchObject({
      status: 'pending', kind: 'create', receiveIdType: 'chat_id', msgType: 'interactive', content: '{"a":"提醒"}', attempts: 0,
      source: 'reminder:1', nextAttemptAt: toDbTime(now), createdAt: toDbTime(now), claimedBy: null,
    });
    expect(oldestFirst[300]).toMatchObject({ receiveIdType: 'open_id', nextAttemptAt: toDbTime(later) });
    expect(new Set(rows.map((r) => r.uuid)).size).toBe(301);
    expect((await findDueOutbox(db, now, { limit: 1000 })).map((r) => r.id)).toEqual(oldestFirst.slice(0, 300).map((r) => r.id));
  });

  test('queueMessages writes nothing when the caller’s transaction rolls back', async () => {
    const msg = { receiveId: 'oc_x', msgType: 'text' as const, content: { text: '提醒' } };
    await expect(
      db.transaction(async (trx) => {
        await new ReminderStore(db).queueMessages(trx, [msg, msg], new Date());
        throw new Error('the scan failed');
      }),
    ).rejects.toThrow('the scan failed');
    expect(await listOutbox(db)).toEqual([]);
  });
});
