import type { Knex } from 'knex';
import { toDbTime } from '../../../src/platform/database/time';
import {
  claimOutboxRows,
  countOutboxByStatus,
  enqueueMessage,
  enqueueMessages,
  toOutboxRow,
  extendOutboxLeases,
  findDueOutbox,
  getOutboxRow,
  listOutbox,
  markOutboxFailed,
  markOutboxRetry,
  markOutboxSent,
  releaseOutboxRows,
  requeueOutboxRow,
  setOutboxTransport,
  outboxHasWork,
} from '../../../src/platform/outbox/outbox-store';
import { freshDb, testDialects } from '../../helpers/db';

describe.each(testDialects({ galera: true }))('outbox store (sender side) on $name', (dialect) => {
  let db: Knex;
  const t0 = new Date('2026-03-02T01:00:00Z');
  const later = (ms: number) => new Date(t0.getTime() + ms);

  beforeAll(async () => {
    ({ db } = await freshDb(dialect));
  });
  afterAll(async () => {
    await db.destroy();
  });
  beforeEach(async () => {
    await db('outbox').delete();
  });

  const q = (chat: string, over: { notBefore?: Date } = {}) =>
    enqueueMessage(db, { receiveId: chat, msgType: 'text', content: { text: '你好' }, source: 'test', ...over }, t0);

  test('enqueueMessage keeps its shape: a pending row, content as Lark takes it, a uuid of ≤ 50 chars', async () => {
    const id = await q('oc_a');
    const r = (await getOutboxRow(db, id))!;
    expect(r).toMatchObject({ status: 'pending', kind: 'create', receiveIdType: 'chat_id', content: '{"text":"你好"}', attempts: 0, claimedBy: null });
    expect(r.uuid.length).toBeLessThanOrEqual(50);
    expect((await getOutboxRow(db, await q('oc_a')))!.uuid).not.toBe(r.uuid);
  });

  test('enqueueMessages queues several in one go (past one INSERT’s worth), in order, each with its own uuid', async () => {
    await enqueueMessages(db, Array.from({ length: 260 }, (_, i) => ({ receiveId: 'oc_many', msgType: 'text' as const, content: { text: `第${i}条` } })), t0);
    const rows = await db('outbox').where({ receive_id: 'oc_many' }).orderBy('id');
    expect(rows.map((r: any) => JSON.parse(r.content).text)).toEqual(Array.from({ length: 260 }, (_, i) => `第${i}条`));
    expect(new Set(rows.map((r: any) => r.uuid)).size).toBe(260);
    expect(rows.every((r: any) => r.status === 'pending' && r.next_attempt_at === toDbTime(t0))).toBe(true);
  });

  test('due rows: pending and due, or sending with a lapsed lease; not future, not leased, and full chats skipped', async () => {
    const due = await q('oc_a');
    const future = await q('oc_a', { notBefore: later(60_000) });
    const leased = await q('oc_b');
    const lapsed = await q('oc_c');
    const skipped = await q('oc_full');
    await claimOutboxRows(db, [leased], 'w1#1', t0, later(30_000));
    await claimOutboxRows(db, [lapsed], 'w1#2', t0, later(1_000));
    const refs = await findDueOutbox(db, later(5_000), { limit: 10, skipReceivers: ['oc_full'] });
    expect(refs.map((r) => r.id)).toEqual([due, lapsed]);
    expect(refs[0].budgetKey).toBe('oc_a');
    expect((await findDueOutbox(db, later(61_000), { limit: 10 })).map((r) => r.id)).toEqual([due, future, leased, lapsed, skipped]);
  });

  test('two senders claiming the same rows at once each get a disjoint share', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 30; i++) ids.push(await q(`oc_${i % 3}`));
    const [a, b] = await Promise.all([
      claimOutboxRows(db, ids, 'one#1', t0, later(30_000)),
      claimOutboxRows(db, ids, 'two#1', t0, later(30_000)),
    ]);
    const got = [...a, ...b].map((r) => r.id).sort((x, y) => x - y);
    expect(got).toEqual(ids);
    expect(a.every((r) => r.claimedBy === 'one#1' && r.status === 'sending')).toBe(true);
    // Nothing is due while they hold it.
    expect(await findDueOutbox(db, later(1_000), { limit: 100 })).toEqual([]);
  });

  test('marking needs the claim: a sender whose lease was taken over changes nothing', async () => {
    const id = await q('oc_a');
    await claimOutboxRows(db, [id], 'old#1', t0, later(1_000));
    const [taken] = await claimOutboxRows(db, [id], 'new#1', later(2_000), later(32_000));
    expect(taken.claimedBy).toBe('new#1');
    expect(await markOutboxSent(db, id, 'old#1', 'om_old', later(3_000))).toBe(false);
    expect(await markOutboxSent(db, id, 'new#1', 'om_new', later(3_000))).toBe(true);
    expect(await getOutboxRow(db, id)).toMatchObject({ status: 'sent', larkMessageId: 'om_new', attempts: 1, claimedBy: null, sentAt: toDbTime(later(3_000)) });
  });

  test('retry, fail, release, extend, requeue', async () => {
    const [a, b, c] = [await q('oc_a'), await q('oc_b'), await q('oc_c')];
    await claimOutboxRows(db, [a, b, c], 'w#1', t0, later(10_000));
    expect(await markOutboxRetry(db, a, 'w#1', { nextAttemptAt: later(60_000), code: 1, msg: 'internal', countAttempt: true })).toBe(true);
    expect(await getOutboxRow(db, a)).toMatchObject({ status: 'pending', attempts: 1, errorCode: 1, nextAttemptAt: toDbTime(later(60_000)) });
    expect(await markOutboxFailed(db, b, 'w#1', 230002, 'Bot is not in the chat.')).toBe(true);
    expect(await extendOutboxLeases(db, [a, b, c], ['w#1'], later(99_000))).toBe(1);
    expect((await getOutboxRow(db, c))!.leaseUntil).toBe(toDbTime(later(99_000)));
    expect(await releaseOutboxRows(db, [c], ['w#1'])).toBe(1);
    expect(await getOutboxRow(db, c)).toMatchObject({ status: 'pending', claimedBy: null });

    expect((await listOutbox(db, { failed: true })).map((r) => r.id)).toEqual([b]);
    expect(await countOutboxByStatus(db)).toEqual({ pending: 2, sending: 0, sent: 0, failed: 1 });
    expect(await requeueOutboxRow(db, c, later(1))).toMatchObject({ ok: false, reason: 'not_failed' });
    expect(await requeueOutboxRow(db, 999_999, later(1))).toEqual({ ok: false, reason: 'not_found' });
    const uuid = (await getOutboxRow(db, b))!.uuid;
    expect(await requeueOutboxRow(db, b, later(5))).toMatchObject({ ok: true, row: { status: 'pending', attempts: 0, errorCode: null, uuid } });
  });
});

describe.each(testDialects({ galera: true }))('outbox rows and transactions on $name', (dialect) => {
  let db: Knex;
  beforeAll(async () => {
    ({ db } = await freshDb(dialect));
  });
  afterAll(async () => {
    await db.destroy();
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

  // A reminder run queues hundreds of cards in one transaction (on MySQL a full chunk goes as a prepared statement).
  test('hundreds of cards in one transaction: all or none, each exactly as queued, in order', async () => {
    await db('outbox').delete();
    const tricky = (i: number) => ({ schema: '2.0', body: { elements: [{ tag: 'markdown', content: `第${i}件 "引号" 'single' \\反斜杠\n换行 😀 ${'长'.repeat(i % 50)}` }] } });
    const msgs = Array.from({ length: 650 }, (_, i) => ({ receiveId: `oc_u${i % 7}`, msgType: 'interactive' as const, content: tricky(i), source: `reminder:${i}` }));
    await expect(
      db.transaction(async (trx) => {
        await enqueueMessages(trx, msgs);
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    expect(Number((await db('outbox').count({ n: '*' }).first())!.n)).toBe(0);
    await db.transaction((trx) => enqueueMessages(trx, msgs));
    const rows = (await db('outbox').orderBy('id')).map(toOutboxRow);
    expect(rows.map((r) => r.source)).toEqual(msgs.map((m) => m.source));
    expect(rows.map((r) => JSON.parse(r.content))).toEqual(msgs.map((m) => m.content));
    expect(rows.map((r) => r.receiveId)).toEqual(msgs.map((m) => m.receiveId));
    expect(rows.every((r) => r.status === 'pending' && r.transport === 'lark' && r.kind === 'create')).toBe(true);
  });
});

describe.each(testDialects({ galera: true }))('a row belongs to the transport it was queued for, on $name', (dialect) => {
  let db: Knex;
  const t0 = new Date('2026-03-02T01:00:00Z');
  beforeAll(async () => {
    ({ db } = await freshDb(dialect));
  });
  afterAll(async () => {
    await db.destroy();
  });
  beforeEach(async () => {
    await db('outbox').delete();
  });

  test('rows carry the transport of the handle they were written through, in its transactions too; an unset handle queues for Lark', async () => {
    const lark = await enqueueMessage(db, { receiveId: 'oc_a', msgType: 'text', content: { text: '飞书' } }, t0);
    setOutboxTransport(db, 'console');
    const sandbox = await db.transaction((trx) => enqueueMessage(trx, { receiveId: 'oc_a', msgType: 'text', content: { text: '沙盒' } }, t0));
    const named = await enqueueMessage(db, { receiveId: 'oc_a', msgType: 'text', content: { text: '点名' }, transport: 'lark' }, t0);
    setOutboxTransport(db, 'lark');
    expect((await getOutboxRow(db, lark))!.transport).toBe('lark');
    expect((await getOutboxRow(db, sandbox))!.transport).toBe('console');
    expect((await getOutboxRow(db, named))!.transport).toBe('lark');
  });

  test('a sender finds, claims and waits for only the rows of its own transport; requeue too', async () => {
    const lark = await enqueueMessage(db, { receiveId: 'oc_a', msgType: 'text', content: { text: '飞书' }, transport: 'lark' }, t0);
    const sandbox = await enqueueMessage(db, { receiveId: 'oc_a', msgType: 'text', content: { text: '沙盒' }, transport: 'console' }, t0);
    const at = new Date(t0.getTime() + 1000);
    expect((await findDueOutbox(db, at, { limit: 10, transports: ['console'] })).map((r) => r.id)).toEqual([sandbox]);
    expect(await claimOutboxRows(db, [lark, sandbox], 'c#1', at, new Date(at.getTime() + 60_000), ['console'])).toMatchObject([{ id: sandbox }]);
    expect((await getOutboxRow(db, lark))!.status).toBe('pending');
    expect(await outboxHasWork(db, ['console'])).toBe(true);
    await markOutboxFailed(db, sandbox, 'c#1', null, 'x');
    expect(await outboxHasWork(db, ['console'])).toBe(false);
    expect(await outboxHasWork(db, ['lark'])).toBe(true);

    const [taken] = await claimOutboxRows(db, [lark], 'l#1', at, new Date(at.getTime() + 60_000), ['lark']);
    await markOutboxFailed(db, taken.id, 'l#1', 230002, 'Bot is not in the chat.');
    expect(await requeueOutboxRow(db, lark, at, 'console')).toMatchObject({ ok: false, reason: 'other_transport' });
    expect(await getOutboxRow(db, lark)).toMatchObject({ status: 'failed', attempts: 1, errorCode: 230002 });
    expect(await requeueOutboxRow(db, lark, at, 'lark')).toMatchObject({ ok: true, row: { status: 'pending' } });
  });
});
