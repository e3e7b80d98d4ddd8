import type { Knex } from 'knex';
import { ChatStore } from '../../../src/platform/directory/chat-store';
import { nextCounterValue } from '../../../src/platform/database/counter-store';
import { sidePool } from '../../../src/platform/database/connection';
import { runTransaction } from '../../../src/platform/database/transaction';
import { HolidayStore } from '../../../src/platform/calendar/holiday-store';
import { enqueueMessage, toOutboxRow } from '../../../src/platform/outbox/outbox-store';
import { UserStore } from '../../../src/platform/directory/user-store';
import { freshDb, testDialects } from '../../helpers/db';

describe.each(testDialects())('core stores on $name', (dialect) => {
  let db: Knex;
  beforeAll(async () => {
    ({ db } = await freshDb(dialect));
  });
  afterAll(async () => {
    await db.destroy();
  });

  test('users: add, update by id, list; Chinese names survive the round trip', async () => {
    const users = new UserStore(db);
    await users.upsert({ id: 'ou_1', name: '张晓燕', role: 'staff', unit: null, town: '阳城镇', title: null });
    await users.upsert({ id: 'ou_1', name: '张晓燕', role: 'admin', unit: null, town: null, title: null });
    await users.upsert({ id: 'ou_2', name: '𠮷田（生僻字）', role: 'unit', unit: '县自然资源局', town: null, title: null });
    expect(await users.get('ou_1')).toMatchObject({ role: 'admin', town: null });
    expect((await users.get('ou_2'))?.name).toBe('𠮷田（生僻字）');
    expect((await users.list()).map((u) => u.id)).toEqual(['ou_1', 'ou_2']);
    expect(await users.get('nobody')).toBeNull();
    // A batch of senders in one query: the registered ones, by id, each once.
    const many = await users.getMany(['ou_2', 'nobody', 'ou_1', 'ou_2']);
    expect([...many.keys()].sort()).toEqual(['ou_1', 'ou_2']);
    expect(many.get('ou_2')?.name).toBe('𠮷田（生僻字）');
    expect((await users.getMany([])).size).toBe(0);
  });

  test('a side pool reaches the same database with connections of its own (SQLite: the same single connection)', async () => {
    const side = sidePool(db, 2);
    try {
      await new UserStore(side.db).upsert({ id: 'ou_side', name: '侧池', role: 'staff', unit: null, town: null, title: null });
      expect((await new UserStore(db).get('ou_side'))?.name).toBe('侧池');
      expect(side.db === db).toBe(dialect.name === 'sqlite');
    } finally {
      await side.close();
    }
    // Closing the side pool leaves the main one working.
    expect(await new UserStore(db).get('ou_side')).not.toBeNull();
  });

  test('chats map to units and roles', async () => {
    const chats = new ChatStore(db);
    await chats.upsert({ id: 'oc_a', name: '自然资源局信访群', unit: '县自然资源局', role: null, venueId: null });
    await chats.upsert({ id: 'oc_b', name: '督查组', unit: null, role: 'supervision', venueId: null });
    expect((await chats.forUnit('县自然资源局')).map((c) => c.id)).toEqual(['oc_a']);
    expect((await chats.forRole('supervision')).map((c) => c.id)).toEqual(['oc_b']);
  });

  test('counters hand out each value once, even when 20 transactions race', async () => {
    const values = await Promise.all(
      Array.from({ length: 20 }, () => runTransaction(db, (trx) => nextCounterValue(trx, 'case:2026'))),
    );
    expect(new Set(values).size).toBe(20);
    expect(Math.max(...values)).toBe(20);
  });

  test('outbox rows are written with the transaction, or not at all', async () => {
    await expect(
      db.transaction(async (trx) => {
        await enqueueMessage(trx, { receiveId: 'oc_a', msgType: 'text', content: { text: '不会发出' } });
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    const id = await db.transaction((trx) => enqueueMessage(trx, { receiveId: 'oc_a', msgType: 'text', content: { text: '你好' } }));
    const rows = (await db('outbox')).map(toOutboxRow);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id, status: 'pending', receiveId: 'oc_a' });
    expect(rows[0].uuid.length).toBeLessThanOrEqual(50);
    expect(JSON.parse(rows[0].content)).toEqual({ text: '你好' });
  });

  test('holiday overrides import all or nothing and record the declared year', async () => {
    const store = new HolidayStore(db);
    await store.importDays([{ date: '2027-01-01', kind: 'holiday', name: '元旦' }], [2027], 'test');
    expect(await store.years()).toEqual([2027]);
    expect(await store.overrides()).toEqual([{ date: '2027-01-01', kind: 'holiday', name: '元旦' }]);
  });
});
