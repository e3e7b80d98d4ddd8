import { Writable } from 'node:stream';
import type { Knex } from 'knex';
import { LarkTransport } from '../../../src/platform/lark/lark-transport';
import { OutboxWorker, OutboxWorkerOptions } from '../../../src/platform/outbox/outbox-worker';
import { cappedBackoff } from '../../../src/platform/outbox/send-outcome';
import type { Transport } from '../../../src/platform/outbox/transport';
import { createLogger } from '../../../src/platform/logging/logger';
import { enqueueMessage, getOutboxRow } from '../../../src/platform/outbox/outbox-store';
import { larkTransportTo } from '../../helpers/lark-transport';
import { freshDb, testDialects } from '../../helpers/db';
import { FakeLarkServer, startFakeLark } from '../../helpers/fake-lark-server';

const HOUR = 3_600_000;

describe('the back-off caps and jitters', () => {
  test('1 s doubling up to the cap, each within ±20 %', () => {
    const b = cappedBackoff(60_000);
    for (const [n, base] of [[1, 1000], [2, 2000], [5, 16_000], [7, 60_000], [40, 60_000]] as const) {
      for (let i = 0; i < 20; i++) {
        const ms = b(n);
        expect(ms).toBeGreaterThanOrEqual(base * 0.8);
        expect(ms).toBeLessThanOrEqual(base * 1.2);
      }
    }
  });
});

describe.each(testDialects())('a Lark outage and the retry horizon, on $name', (dialect) => {
  let db: Knex;
  let fake: FakeLarkServer;
  let lark: LarkTransport;
  let logLines: string[] = [];
  const logger = createLogger('info', new Writable({ write(c, _e, cb) { logLines.push(String(c)); cb(); } }));
  /** The sender's clock: the real one, moved forward by `skip` (hours pass in a test). */
  let skip = 0;
  const clock = () => Date.now() + skip;

  beforeAll(async () => {
    ({ db } = await freshDb(dialect));
    fake = await startFakeLark();
    lark = larkTransportTo(fake);
  });
  afterAll(async () => {
    await db.destroy();
    await fake.close();
  });
  beforeEach(async () => {
    await db('outbox').delete();
    logLines = [];
    skip = 0;
  });

  // No maxAttempts: the horizon alone decides, as with the settings.
  const worker = (transport: Transport, over: Partial<OutboxWorkerOptions> = {}) =>
    new OutboxWorker({
      db, transport, logger, chatRate: 50, appRate: 50, leaseMs: 30_000, pollMs: 20, cardMaxBytes: 30 * 1024,
      retryHorizonMs: 6 * HOUR, backoffMs: () => 10, clock, ...over,
    });
  const queue = async (chat: string, n: number) => {
    const ids: number[] = [];
    for (let i = 0; i < n; i++) ids.push(await enqueueMessage(db, { receiveId: chat, msgType: 'text', content: { text: `${chat}#${i}` } }));
    return ids;
  };
  const row = async (id: number) => (await getOutboxRow(db, id))!;
  const lines = () => logLines.join('').split('\n').filter(Boolean);

  test('Lark answering 500 far past the 8 tries of before: the message waits and goes out once Lark is back', async () => {
    const [id] = await queue('oc_outage', 1);
    fake.inject({ status: 500, code: 1, msg: 'internal error' }, 30);
    await worker(lark).runUntilIdle(15_000, { waitForScheduled: true });
    expect(await row(id)).toMatchObject({ status: 'sent', attempts: 31, errorCode: null, failingSince: null });
    expect(fake.messagesTo('oc_outage')).toHaveLength(1);
    // One line when Lark started failing and one when it answered again, not one per try.
    expect(lines().filter((l) => l.includes('飞书发送失败'))).toHaveLength(1);
    expect(lines().filter((l) => l.includes('飞书发送已恢复'))).toHaveLength(1);
    expect(lines().length).toBeLessThanOrEqual(3);
  });

  test('still failing when the horizon has passed since the first failed send: failed, saying how long it was tried', async () => {
    const [id] = await queue('oc_dead', 1);
    const transport: Transport = { name: 'lark', send: async () => ({ ok: false, kind: 'retry', code: null, msg: 'connect ETIMEDOUT' }) };
    const w = worker(transport, { backoffMs: () => 50 });
    w.start();
    while ((await row(id)).attempts < 2) await new Promise((r) => setTimeout(r, 10));
    const first = (await row(id)).failingSince;
    expect(first).not.toBeNull();
    expect((await row(id)).status).not.toBe('failed');
    skip = 6 * HOUR + 1000;
    while ((await row(id)).status !== 'failed') await new Promise((r) => setTimeout(r, 10));
    await w.stop();
    const r = await row(id);
    expect(r.failingSince).toBe(first);
    expect(r.errorMsg).toMatch(/^重试 6\.0 小时仍未发出，已放弃：connect ETIMEDOUT$/);
    expect(r.failedAt).not.toBeNull();
  });

  test('the last try is made at the horizon, not a whole back-off after it', async () => {
    const [id] = await queue('oc_edge', 1);
    const transport: Transport = { name: 'lark', send: async () => ({ ok: false, kind: 'retry', code: 500, msg: 'HTTP 500' }) };
    const w = worker(transport, { retryHorizonMs: 400, backoffMs: () => 60_000 });
    const started = Date.now();
    w.start();
    while ((await row(id)).status !== 'failed' && Date.now() - started < 5000) await new Promise((r) => setTimeout(r, 10));
    await w.stop();
    expect((await row(id)).status).toBe('failed');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  test('an answer that says the message itself is wrong fails it at once, whatever the horizon', async () => {
    const [id] = await queue('oc_gone', 1);
    fake.inject({ status: 400, code: 230002, msg: 'Bot is not in the chat.' });
    await worker(lark).runUntilIdle(10_000, { waitForScheduled: true });
    expect(await row(id)).toMatchObject({ status: 'failed', attempts: 1, errorCode: 230002, errorMsg: 'Bot is not in the chat.' });
  });

  test('once Lark answers again, the messages waiting out a long back-off go at once, each once, in order', async () => {
    const ids = await queue('oc_backlog', 5);
    let down = true;
    const sent: number[] = [];
    const transport: Transport = {
      name: 'lark',
      send: async (r) => {
        if (down) return { ok: false, kind: 'retry', code: 500, msg: 'HTTP 500' };
        sent.push(r.id);
        return lark.send(r);
      },
    };
    // A back-off of a minute: without bringing them forward they would wait that long.
    const w = worker(transport, { backoffMs: () => 60_000 });
    w.start();
    while ((await db('outbox').whereNotNull('failing_since')).length < 5) await new Promise((r) => setTimeout(r, 10));
    down = false;
    const fresh = await enqueueMessage(db, { receiveId: 'oc_fresh', msgType: 'text', content: { text: '新消息' } });
    w.kick();
    const upAt = Date.now();
    while ((await db('outbox').where({ status: 'sent' })).length < 6 && Date.now() - upAt < 10_000) await new Promise((r) => setTimeout(r, 20));
    await w.stop();
    expect(Date.now() - upAt).toBeLessThan(5000);
    for (const id of [...ids, fresh]) expect((await row(id)).status).toBe('sent');
    expect(fake.messagesTo('oc_backlog').map((m) => fake.textOf(m))).toEqual([0, 1, 2, 3, 4].map((i) => `oc_backlog#${i}`));
    expect(new Set(sent).size).toBe(sent.length);
  });

  test('with nothing new to send, a probe finds Lark back well before the rows’ own back-offs are over', async () => {
    const ids = await queue('oc_probe', 3);
    let down = true;
    const transport: Transport = { name: 'lark', send: async (r) => (down ? { ok: false, kind: 'retry', code: 503, msg: 'HTTP 503' } : lark.send(r)) };
    // Each row waits a minute between tries; the probe interval is the back-off cap (300 ms here, 15 s at most).
    const w = worker(transport, { backoffMs: () => 60_000, retryMaxMs: 300 });
    w.start();
    while ((await db('outbox').whereNotNull('failing_since')).length < 3) await new Promise((r) => setTimeout(r, 10));
    down = false;
    const upAt = Date.now();
    while ((await db('outbox').where({ status: 'sent' })).length < 3 && Date.now() - upAt < 10_000) await new Promise((r) => setTimeout(r, 20));
    await w.stop();
    expect(Date.now() - upAt).toBeLessThan(3000);
    for (const id of ids) expect((await row(id)).status).toBe('sent');
  });
});

