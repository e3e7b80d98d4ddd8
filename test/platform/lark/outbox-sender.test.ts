import type { App } from '../../../src/app';
import { createOutboxWorker, createTransport } from '../../../src/platform/lark/outbox-sender';
import { enqueueMessage, enqueueMessages, getOutboxRow } from '../../../src/platform/outbox/outbox-store';
import { toDbTime } from '../../../src/platform/database/time';
import { makeTestApp } from '../../helpers/app';
import { freshDb, testDialects } from '../../helpers/db';
import { FakeLarkServer, startFakeLark } from '../../helpers/fake-lark-server';

/** The sender as `npm start` builds it from the settings, against the fake Lark, as strict as Lark. */
describe.each(testDialects())('the Lark sender keeps Lark’s rules, on $name', (dialect) => {
  let fake: FakeLarkServer;
  let app: App;

  beforeAll(async () => {
    fake = await startFakeLark();
    const { db, url } = await freshDb(dialect);
    app = await makeTestApp({
      db, url,
      env: { LARK_APP_ID: fake.appId, LARK_APP_SECRET: fake.appSecret, LARK_DOMAIN: fake.url, OUTBOX_POLL_MS: '50', OUTBOX_APP_RATE_PER_MINUTE: '30' },
    });
  });
  afterAll(async () => {
    await app.core.db.destroy();
    await fake.close();
  });
  beforeEach(async () => {
    await app.core.db('outbox').delete();
    fake.advance(61_000);
  });

  const queue = (n: number, prefix: string) =>
    enqueueMessages(app.core.db, Array.from({ length: n }, (_, i) => ({ receiveId: `oc_${prefix}_${i % 10}`, msgType: 'text' as const, content: { text: `提醒 ${i}` } })));

  test('both app budgets: once the minute’s budget is spent it waits, where Lark would refuse for the rest of the minute', async () => {
    fake.appPerMinute = 30; // Lark's 1,000 a minute, scaled down with OUTBOX_APP_RATE_PER_MINUTE=30
    await queue(40, 'minute');
    const refusedBefore = fake.rateLimited.app;
    const worker = createOutboxWorker(app.core, createTransport(app.core));
    worker.start();
    await new Promise((r) => setTimeout(r, 2500));
    await worker.stop({ graceful: true, timeoutMs: 2000 });
    expect(fake.messages.filter((m) => m.chat_id.startsWith('oc_minute_'))).toHaveLength(30);
    expect(fake.rateLimited.app - refusedBefore).toBe(0);
    expect(await app.core.db('outbox').where({ status: 'pending' })).toHaveLength(10);
  });

  test('replies count against the chat they answer in: sends and replies to one chat keep to its 5 a second together', async () => {
    fake.seedMessage('om_asked_mixed', 'oc_mixed');
    await enqueueMessages(app.core.db, Array.from({ length: 12 }, (_, i) => (i % 2
      ? { kind: 'reply' as const, replyTo: 'om_asked_mixed', receiveId: 'oc_mixed', msgType: 'text' as const, content: { text: `回复 ${i}` } }
      : { receiveId: 'oc_mixed', msgType: 'text' as const, content: { text: `通知 ${i}` } })));
    const limitedBefore = fake.rateLimited.chat;
    await createOutboxWorker(app.core, createTransport(app.core)).runUntilIdle(15_000, { waitForScheduled: true });
    const arrived = fake.messagesTo('oc_mixed');
    expect(arrived).toHaveLength(12);
    expect(arrived.filter((m) => m.kind === 'reply')).toHaveLength(6);
    expect(fake.rateLimited.chat - limitedBefore).toBe(0);
    const at = arrived.map((m) => m.at).sort((a, b) => a - b);
    for (let i = 5; i < at.length; i++) expect(at[i] - at[i - 5]).toBeGreaterThanOrEqual(1000);
  });

  test('a retry first tried more than an hour ago (Lark’s uuid hour) is held as failed with the reason; an hour’s retry is sent', async () => {
    const db = app.core.db;
    const stale = await enqueueMessage(db, { receiveId: 'oc_stale', msgType: 'text', content: { text: '逾期提醒' } });
    const fresh = await enqueueMessage(db, { receiveId: 'oc_fresh', msgType: 'text', content: { text: '逾期提醒' } });
    const failing = (minutes: number) => ({
      attempts: 3, error_code: null, error_msg: 'ETIMEDOUT',
      failing_since: toDbTime(new Date(Date.now() - minutes * 60_000)), unanswered_since: toDbTime(new Date(Date.now() - minutes * 60_000)),
    });
    await db('outbox').where({ id: stale }).update(failing(90));
    await db('outbox').where({ id: fresh }).update(failing(50));
    await createOutboxWorker(app.core, createTransport(app.core)).runUntilIdle(10_000, { waitForScheduled: true });
    const held = (await getOutboxRow(db, stale))!;
    expect(held).toMatchObject({ status: 'failed', errorCode: null });
    expect(held.errorMsg).toContain('飞书按 uuid 去重只保留 1 小时');
    expect(held.errorMsg).toContain(`xinfang outbox retry ${stale}`);
    expect(fake.messagesTo('oc_stale')).toHaveLength(0);
    expect((await getOutboxRow(db, fresh))!.status).toBe('sent');
    expect(fake.messagesTo('oc_fresh')).toHaveLength(1);
  });

  test('a card whose request would be over 30 KB is failed here with a reason in Chinese, and Lark never sees it', async () => {
    const card = { schema: '2.0', config: { update_multi: true }, body: { elements: Array.from({ length: 45 }, () => ({ tag: 'markdown', content: '"'.repeat(180) })) } };
    const id = await enqueueMessage(app.core.db, { receiveId: 'oc_big_card', msgType: 'interactive', content: card, source: 'reminder:9' });
    const refusalsBefore = fake.refusals.length;
    await createOutboxWorker(app.core, createTransport(app.core)).runUntilIdle(10_000, { waitForScheduled: true });
    const r = (await getOutboxRow(app.core.db, id))!;
    expect(r).toMatchObject({ status: 'failed', errorCode: 230025 });
    expect(r.errorMsg).toContain('超过飞书 30 KB 的上限，未发送');
    expect(fake.refusals.length).toBe(refusalsBefore);
    expect(fake.messagesTo('oc_big_card')).toHaveLength(0);
  });
});
