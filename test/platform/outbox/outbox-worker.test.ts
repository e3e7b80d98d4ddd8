import { Writable } from 'node:stream';
import type { Knex } from 'knex';
import { ConsoleTransport } from '../../../src/platform/outbox/console-transport';
import { LarkTransport } from '../../../src/platform/lark/lark-transport';
import { OutboxWorker, OutboxWorkerOptions } from '../../../src/platform/outbox/outbox-worker';
import type { SendResult, Transport } from '../../../src/platform/outbox/transport';
import { createLogger } from '../../../src/platform/logging/logger';
import { enqueueMessage, getOutboxRow, OutboxRow } from '../../../src/platform/outbox/outbox-store';
import { larkTransportTo } from '../../helpers/lark-transport';
import { freshDb, testDialects } from '../../helpers/db';
import { FakeLarkServer, startFakeLark } from '../../helpers/fake-lark-server';

describe.each(testDialects())('the outbox sender on $name', (dialect) => {
  let db: Knex;
  let fake: FakeLarkServer;
  let lark: LarkTransport;
  let logLines: string[] = [];
  const logger = createLogger(
    'info',
    new Writable({
      write(chunk, _enc, cb) {
        logLines.push(String(chunk));
        cb();
      },
    }),
  );

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
    fake.appRate = 0;
    fake.chatRate = 0;
    logLines = [];
  });

  const worker = (transport: Transport, over: Partial<OutboxWorkerOptions> = {}) =>
    new OutboxWorker({
      db, transport, logger, chatRate: 5, appRate: 50, maxAttempts: 4, leaseMs: 30_000, pollMs: 50, cardMaxBytes: 30 * 1024,
      backoffMs: () => 20, ...over,
    });
  const queue = (chat: string, n: number, from = 0) =>
    (async () => {
      const ids: number[] = [];
      for (let i = 0; i < n; i++) ids.push(await enqueueMessage(db, { receiveId: chat, msgType: 'text', content: { text: `${chat}#${from + i}` }, source: 'test' }));
      return ids;
    })();
  const row = async (id: number) => (await getOutboxRow(db, id))!;

  /** Records when each send left, to check the budgets on our side. */
  const timed = (inner: Transport) => {
    const departures: Array<{ at: number; chat: string }> = [];
    const t: Transport = {
      name: inner.name,
      send: (r: OutboxRow) => {
        departures.push({ at: Date.now(), chat: r.receiveId ?? '' });
        return inner.send(r);
      },
    };
    return { t, departures };
  };
  const maxInAnySecond = (times: number[]) => {
    const s = [...times].sort((a, b) => a - b);
    let best = 0;
    for (let i = 0, j = 0; i < s.length; i++) {
      while (s[i] - s[j] >= 1000) j++;
      best = Math.max(best, i - j + 1);
    }
    return best;
  };

  test('keeps to 5/s per chat and the app budget, in order per chat, each message once', async () => {
    fake.chatRate = 5;
    fake.appRate = 8;
    await queue('oc_1', 8);
    await queue('oc_2', 8);
    await queue('oc_3', 4);
    const { t, departures } = timed(lark);
    await worker(t, { appRate: 8 }).runUntilIdle(20_000, { waitForScheduled: true });

    expect(fake.messages).toHaveLength(20);
    expect(new Set(fake.messages.map((m) => m.uuid)).size).toBe(20);
    for (const chat of ['oc_1', 'oc_2', 'oc_3']) {
      const texts = fake.messagesTo(chat).map((m) => fake.textOf(m));
      expect(texts).toEqual([...texts].sort((a, b) => Number(a.split('#')[1]) - Number(b.split('#')[1])));
      expect(maxInAnySecond(departures.filter((d) => d.chat === chat).map((d) => d.at))).toBeLessThanOrEqual(5);
    }
    expect(maxInAnySecond(departures.map((d) => d.at))).toBeLessThanOrEqual(8);
    expect(await db('outbox').whereNot({ status: 'sent' })).toHaveLength(0);
  });

  test('rate-limit answers pause and resend without counting an attempt, honouring x-ogw-ratelimit-reset', async () => {
    const [id] = await queue('oc_rl', 1);
    fake.inject({ status: 429, code: 99991400, msg: 'request trigger frequency limit', headers: { 'x-ogw-ratelimit-reset': '1' } });
    const started = Date.now();
    await worker(lark).runUntilIdle(10_000, { waitForScheduled: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(await row(id)).toMatchObject({ status: 'sent', attempts: 1 });
    expect(fake.messagesTo('oc_rl')).toHaveLength(1);
  });

  test('5xx and network errors are retried with back-off, then sent', async () => {
    const [id] = await queue('oc_5xx', 1);
    fake.inject({ status: 500, code: 1, msg: 'internal error' });
    fake.inject({ drop: true });
    await worker(lark).runUntilIdle(10_000, { waitForScheduled: true });
    expect(await row(id)).toMatchObject({ status: 'sent', attempts: 3, errorCode: null });
    expect(fake.messagesTo('oc_5xx')).toHaveLength(1);
  });

  test('a non-retryable answer marks the row failed with Lark’s code and message; too many retries too', async () => {
    const [a] = await queue('oc_fatal', 1);
    fake.inject({ status: 200, code: 230002, msg: 'Bot is not in the chat.' });
    await worker(lark).runUntilIdle(10_000, { waitForScheduled: true });
    expect(await row(a)).toMatchObject({ status: 'failed', errorCode: 230002, errorMsg: 'Bot is not in the chat.', attempts: 1 });

    const [b] = await queue('oc_flaky', 1);
    fake.inject({ status: 502, code: 2, msg: 'bad gateway' }, 4);
    await worker(lark).runUntilIdle(10_000, { waitForScheduled: true });
    expect(await row(b)).toMatchObject({ status: 'failed', errorCode: 2, attempts: 4 });
    expect(fake.messagesTo('oc_flaky')).toHaveLength(0);
  });

  test('a card over 30 KB is refused before sending, and logged', async () => {
    const big = { schema: '2.0', body: { elements: [{ tag: 'markdown', content: '信'.repeat(11_000) }] } };
    const id = await enqueueMessage(db, { receiveId: 'oc_big', msgType: 'interactive', content: big, source: 'reminder:1' });
    const requestsBefore = fake.requests.length;
    await worker(lark).runUntilIdle(10_000, { waitForScheduled: true });
    const r = await row(id);
    expect(r.status).toBe('failed');
    expect(r.errorMsg).toContain('30 KB');
    expect(fake.requests.length).toBe(requestsBefore);
    expect(logLines.join('')).toContain('card over the size limit');
    expect(logLines.join('')).not.toContain('信信信');
  });

  test('a crash after Lark accepted a send but before the row was marked: the row goes again with the same uuid, one message', async () => {
    const [id] = await queue('oc_crash', 1);
    let accepted!: () => void;
    const acceptedP = new Promise<void>((r) => (accepted = r));
    // Sends for real, then the process "dies": the outcome is never recorded.
    const dying: Transport = {
      name: 'lark',
      send: async (r) => {
        await lark.send(r);
        accepted();
        return new Promise<SendResult>(() => undefined);
      },
    };
    const a = worker(dying, { leaseMs: 300, workerId: 'replica-a' });
    a.start();
    await acceptedP;
    await a.stop({ graceful: false });
    expect(await row(id)).toMatchObject({ status: 'sending', claimedBy: expect.stringContaining('replica-a') });
    expect(fake.messagesTo('oc_crash')).toHaveLength(1);

    // Another replica (or the restarted one) takes the row once the lease lapsed.
    await new Promise((r) => setTimeout(r, 350));
    await worker(lark, { leaseMs: 300, workerId: 'replica-b' }).runUntilIdle(10_000, { waitForScheduled: true });
    expect(await row(id)).toMatchObject({ status: 'sent' });
    expect(fake.messagesTo('oc_crash')).toHaveLength(1);
    const { uuid } = await row(id);
    expect(fake.messages.filter((m) => m.uuid === uuid)).toHaveLength(1);
  });

  test('an answer lost after Lark stored the message: the retry carries the same uuid and adds nothing', async () => {
    const [id] = await queue('oc_lost', 1);
    const hits = fake.dedupeHits;
    fake.inject({ afterAccept: true, drop: true });
    await worker(lark).runUntilIdle(10_000, { waitForScheduled: true });
    expect(await row(id)).toMatchObject({ status: 'sent', attempts: 2 });
    expect(fake.messagesTo('oc_lost')).toHaveLength(1);
    expect(fake.dedupeHits).toBe(hits + 1);
    expect(fake.messagesTo('oc_lost')[0].uuid).toBe((await row(id)).uuid);
    expect((await row(id)).larkMessageId).toBe(fake.messagesTo('oc_lost')[0].message_id);
  });

  test('two replicas draining the same table never send a row twice', async () => {
    const ids = [...(await queue('oc_r1', 15)), ...(await queue('oc_r2', 15)), ...(await queue('oc_r3', 15))];
    const sends: number[] = [];
    const counting = (): Transport => ({ name: 'lark', send: (r) => { sends.push(r.id); return lark.send(r); } });
    await Promise.all([
      worker(counting(), { workerId: 'one', chatRate: 50 }).runUntilIdle(20_000, { waitForScheduled: true }),
      worker(counting(), { workerId: 'two', chatRate: 50 }).runUntilIdle(20_000, { waitForScheduled: true }),
    ]);
    expect(sends.sort((x, y) => x - y)).toEqual(ids);
    expect(await db('outbox').where({ status: 'sent' })).toHaveLength(45);
  });

  test('a graceful stop hands queued rows back at once', async () => {
    await queue('oc_stop', 10);
    const slow: Transport = { name: 'lark', send: async (r) => { await new Promise((res) => setTimeout(res, 30)); return lark.send(r); } };
    const w = worker(slow, { chatRate: 2 });
    w.start();
    await new Promise((r) => setTimeout(r, 200));
    await w.stop();
    const rows = await db('outbox').where({ receive_id: 'oc_stop' });
    expect(rows.filter((r: any) => r.status === 'sending')).toHaveLength(0);
    expect(rows.filter((r: any) => r.status === 'sent').length).toBeGreaterThan(0);
    expect(rows.filter((r: any) => r.status === 'pending').length).toBeGreaterThan(0);
  });

  test('without a Lark app, the console transport marks its rows sent so the console shows them', async () => {
    const id = await enqueueMessage(db, { receiveId: 'console:xiaoyan', msgType: 'text', content: { text: '你好' }, transport: 'console' });
    await worker(new ConsoleTransport()).runUntilIdle(5_000, { waitForScheduled: true });
    expect(await row(id)).toMatchObject({ status: 'sent', larkMessageId: `console:${id}` });
  });

  test('a sender without the Lark settings never takes a Lark row: it stays pending, the log says why, and Lark sends it later', async () => {
    const ids = await queue('oc_prod', 3);
    const consoleRow = await enqueueMessage(db, { receiveId: 'oc_prod', msgType: 'text', content: { text: '沙盒' }, transport: 'console' });
    const sandbox = worker(new ConsoleTransport());
    await sandbox.runUntilIdle(5_000, { waitForScheduled: true });
    expect(await sandbox.sendOne(ids[0])).toBe(false);
    for (const id of ids) expect(await row(id)).toMatchObject({ status: 'pending', attempts: 0, larkMessageId: null, transport: 'lark' });
    expect(await row(consoleRow)).toMatchObject({ status: 'sent', transport: 'console' });
    expect(logLines.join('')).toContain('发件箱有 3 条待发送的消息属于飞书通道');

    await worker(lark).runUntilIdle(10_000, { waitForScheduled: true });
    for (const id of ids) expect((await row(id)).status).toBe('sent');
    expect(fake.messagesTo('oc_prod').map((m) => fake.textOf(m))).toEqual(['oc_prod#0', 'oc_prod#1', 'oc_prod#2']);
  });

  /** The same database, but every query fails (as a refused connection would) while `away.down`. */
  const flaky = () => {
    const away = { down: false, tries: 0 };
    const refuse = () => {
      away.tries++;
      throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:3306'), { code: 'ECONNREFUSED' });
    };
    const proxy = new Proxy(db, {
      apply: (target, self, args) => (away.down ? refuse() : Reflect.apply(target as any, self, args)),
      get: (target, prop) => {
        const v = Reflect.get(target, prop, target);
        if (typeof v !== 'function' || !['raw', 'transaction'].includes(String(prop))) return v;
        return (...args: unknown[]) => (away.down ? refuse() : v.apply(target, args));
      },
    });
    return { away, db: proxy as Knex };
  };

  test('while the database is away the sender backs off (capped), logs the outage once and a summary after, then sends', async () => {
    const { away, db: shaky } = flaky();
    const w = worker(lark, { db: shaky, pollMs: 20, dbRetryMaxMs: 150 });
    w.start();
    await new Promise((r) => setTimeout(r, 100));
    away.down = true;
    await new Promise((r) => setTimeout(r, 1500));
    const [id] = await queue('oc_after', 1); // queued by another process meanwhile
    const triesWhileDown = away.tries;
    const upAt = Date.now();
    away.down = false;
    while ((await row(id)).status !== 'sent' && Date.now() - upAt < 3000) await new Promise((r) => setTimeout(r, 20));
    const resumedMs = Date.now() - upAt;
    await w.stop();

    const lines = logLines.join('').split('\n').filter(Boolean);
    // Back-off from 20 ms doubling to 150 ms: about 12 tries in 1.5 s, where a spin makes thousands.
    expect(triesWhileDown).toBeGreaterThanOrEqual(4);
    expect(triesWhileDown).toBeLessThanOrEqual(20);
    expect(lines.filter((l) => l.includes('数据库不可用'))).toHaveLength(1);
    const summary = lines.filter((l) => l.includes('数据库已恢复'));
    expect(summary).toHaveLength(1);
    expect(JSON.parse(summary[0])).toMatchObject({ tries: triesWhileDown, downMs: expect.any(Number) });
    expect(JSON.parse(summary[0]).downMs).toBeGreaterThanOrEqual(1400);
    expect(lines.length).toBeLessThanOrEqual(3);
    // The cap: the sender noticed within one wait of 150 ms (and a little) that the database was back;
    // uncapped, its next try would have been a second later.
    expect(resumedMs).toBeLessThan(800);
    expect(await row(id)).toMatchObject({ status: 'sent', attempts: 1 });
  });
});
