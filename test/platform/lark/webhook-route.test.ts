import request from 'supertest';
import type { App } from '../../../src/app';
import { text, card } from '../../../src/platform/chat/messages';
import { normalizeLarkEvent } from '../../../src/platform/lark/event-normalizer';
import { InboundProcessor, LARK_UNKNOWN_USER_REPLY } from '../../../src/platform/inbound/inbound-processor';
import { createLarkClient } from '../../../src/platform/lark/lark-client';
import { LarkTransport } from '../../../src/platform/lark/lark-transport';
import type { LarkFeature } from '../../../src/platform/lark/lark-feature';
import { createOutboxWorker } from '../../../src/platform/lark/outbox-sender';
import { larkWebhookRejected } from '../../../src/platform/metrics/metrics';
import { addUser, makeTestApp } from '../../helpers/app';
import { freshDb, testDialects } from '../../helpers/db';
import {
  FakeLarkServer,
  larkCardActionEvent,
  larkMenuEvent,
  larkMessageEvent,
  larkRequest,
  startFakeLark,
} from '../../helpers/fake-lark-server';

const KEY = 'encrypt-key-for-tests';
const TOKEN = 'verify-token';

describe.each(testDialects())('POST /lark/events on $name', (dialect) => {
  let fake: FakeLarkServer;
  let app: App;
  let lark: LarkFeature;
  let clock = new Date('2026-03-02T02:00:00Z');

  beforeAll(async () => {
    fake = await startFakeLark();
    const { db, url } = await freshDb(dialect);
    app = await makeTestApp({
      db,
      url,
      now: () => clock,
      env: {
        LARK_APP_ID: fake.appId,
        LARK_APP_SECRET: fake.appSecret,
        LARK_MODE: 'webhook',
        LARK_ENCRYPT_KEY: KEY,
        LARK_VERIFICATION_TOKEN: TOKEN,
        LARK_DOMAIN: fake.url,
        LARK_BOT_OPEN_ID: fake.botOpenId,
        LARK_BODY_LIMIT: '16kb',
      },
    });
    lark = app.features.find((f) => f.name === 'lark') as LarkFeature;
    await addUser(app, 'ou_staff', 'staff', { name: '张晓燕' });
    app.router.action('test.card', () => [card({ schema: '2.0', body: { elements: [{ tag: 'markdown', content: '已受理' }] } }), text('已通知承办单位')]);
    app.router.action('test.toast', () => [text('已保存')]);
    app.router.command({ names: ['慢'], help: 'test', hidden: true }, async () => {
      await new Promise((r) => setTimeout(r, 150));
      return [text('慢的完成')];
    });
    app.router.command({ names: ['快'], help: 'test', hidden: true }, () => [text('快的完成')]);
  });
  afterAll(async () => {
    await lark.stop?.();
    await app.core.db.destroy();
    await fake.close();
  });

  const post = (payload: Record<string, unknown>, o: Parameters<typeof larkRequest>[1] = {}) => {
    const r = larkRequest(payload, { encryptKey: KEY, ...o });
    return request(app.http).post('/lark/events').set(r.headers).send(r.body);
  };
  const postRaw = (body: string, headers: Record<string, string>) =>
    request(app.http).post('/lark/events').set({ 'content-type': 'application/json', ...headers }).send(body);
  const counts = async () => ({
    events: Number((await app.core.db('inbound_events').count({ n: '*' }))[0].n),
    outbox: Number((await app.core.db('outbox').count({ n: '*' }))[0].n),
  });
  /** Sends what is queued through the real SDK to the fake server. */
  const drain = async () => {
    await lark.processor!.idle();
    const worker = createOutboxWorker(app.core, new LarkTransport(createLarkClient(app.core.config, app.core.logger)));
    await worker.runUntilIdle(20_000, { waitForScheduled: true });
  };

  test('url_verification (unsigned, encrypted) is answered with its challenge; a wrong token is not', async () => {
    const ok = await post({ challenge: 'ch-123', token: TOKEN, type: 'url_verification' }, { sign: false });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ challenge: 'ch-123' });
    const bad = await post({ challenge: 'ch-456', token: 'not-the-token', type: 'url_verification' }, { sign: false });
    expect(bad.status).toBe(401);
    expect(JSON.stringify(bad.body)).not.toContain('ch-456');
  });

  test('a signed, encrypted message is acknowledged, then answered once through the outbox and the SDK', async () => {
    const ev = larkMessageEvent({ openId: 'ou_staff', text: '我是谁', chatId: 'oc_p2p_staff' });
    const res = await post(ev);
    expect(res.status).toBe(200);
    await drain();
    const sent = fake.messagesTo('oc_p2p_staff');
    expect(sent).toHaveLength(1);
    expect(fake.textOf(sent[0])).toContain('张晓燕');
    const queued = await app.core.db('outbox').where({ receive_id: 'oc_p2p_staff' });
    expect(queued.map((r: any) => r.uuid)).toEqual([sent[0].uuid]);
    const row = await app.core.db('inbound_events').where({ event_key: `evt:${ev.header.event_id}` }).first();
    expect(row.status).toBe('done');
    expect(row.payload).toBeNull(); // the text is not kept once handled
  });

  test('the same event delivered 5 times (some at once) gives one reply', async () => {
    const ev = larkMessageEvent({ openId: 'ou_staff', text: '帮助', chatId: 'oc_p2p_five' });
    const first = await Promise.all([post(ev), post(ev), post(ev)]);
    const later = [await post(ev), await post(ev)];
    for (const r of [...first, ...later]) expect(r.status).toBe(200);
    await drain();
    expect(fake.messagesTo('oc_p2p_five')).toHaveLength(1);
    expect(await app.core.db('inbound_events').where({ event_key: `evt:${ev.header.event_id}` })).toHaveLength(1);
    // And once more after it was handled: still nothing new.
    await post(ev);
    await drain();
    expect(fake.messagesTo('oc_p2p_five')).toHaveLength(1);
  });

  test('a signed request replayed within the age window (or re-delivered with its first timestamp) is acknowledged and run once', async () => {
    const ev = larkMessageEvent({ openId: 'ou_staff', text: '我是谁', chatId: 'oc_p2p_replay' });
    // Signed 2 hours ago, as Lark's re-delivery after 1 h would be if it kept the first timestamp.
    const signed = larkRequest(ev, { encryptKey: KEY, timestamp: Math.floor(Date.now() / 1000) - 2 * 3600 });
    expect((await postRaw(signed.body, signed.headers)).status).toBe(200);
    await drain();
    expect(fake.messagesTo('oc_p2p_replay')).toHaveLength(1);
    // The very same bytes again, headers and all: the event id was recorded, nothing runs twice.
    for (let i = 0; i < 3; i++) expect((await postRaw(signed.body, signed.headers)).status).toBe(200);
    await drain();
    expect(fake.messagesTo('oc_p2p_replay')).toHaveLength(1);
    expect(await app.core.db('inbound_events').where({ event_key: `evt:${ev.header.event_id}` })).toHaveLength(1);
  });

  test('url_verification comes unsigned, as Lark sends it, and is answered even with an encrypt key', async () => {
    const r = larkRequest({ challenge: 'ch-unsigned', token: TOKEN, type: 'url_verification' }, { encryptKey: KEY });
    expect(r.headers['x-lark-signature']).toBeUndefined();
    const res = await postRaw(r.body, r.headers);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ challenge: 'ch-unsigned' });
  });

  test('one person’s messages in one chat are handled in the order they came, however long each takes', async () => {
    const slow = larkMessageEvent({ openId: 'ou_staff', text: '慢', chatId: 'oc_p2p_order' });
    const quick = larkMessageEvent({ openId: 'ou_staff', text: '快', chatId: 'oc_p2p_order' });
    expect((await post(slow)).status).toBe(200);
    expect((await post(quick)).status).toBe(200); // acknowledged while 慢 is still being handled
    await drain();
    expect(fake.messagesTo('oc_p2p_order').map((m) => fake.textOf(m))).toEqual(['慢的完成', '快的完成']);
  });

  test('forged signature, stale timestamp, wrong token, missing signature, plain body: 401, nothing recorded', async () => {
    const before = await counts();
    const rejectedBefore = (await larkWebhookRejected.get()).values.reduce((s, v) => s + v.value, 0);
    const ev = () => larkMessageEvent({ openId: 'ou_staff', text: '我是谁', chatId: 'oc_p2p_attack' });

    const good = larkRequest(ev(), { encryptKey: KEY });
    const other = larkRequest(ev(), { encryptKey: KEY });
    const forged = await postRaw(good.body, { ...good.headers, 'x-lark-signature': other.headers['x-lark-signature'] });
    expect(forged.status).toBe(401);
    const wrongKey = larkRequest(ev(), { encryptKey: 'someone-elses-key' });
    expect((await postRaw(wrongKey.body, wrongKey.headers)).status).toBe(401);
    // Older than LARK_REQUEST_MAX_AGE_SECONDS (8 h by default: Lark's last re-delivery comes after 7 h 5 min).
    const stale = await post(ev(), { timestamp: Math.floor(Date.now() / 1000) - 8 * 3600 - 60 });
    expect(stale.status).toBe(401);
    const future = await post(ev(), { timestamp: Math.floor(Date.now() / 1000) + 6 * 60 });
    expect(future.status).toBe(401);
    const badToken = await post(larkMessageEvent({ openId: 'ou_staff', text: '我是谁', token: 'wrong-token' }));
    expect(badToken.status).toBe(401);
    const unsigned = await post(ev(), { sign: false });
    expect(unsigned.status).toBe(401);
    const plain = larkRequest(ev());
    expect((await postRaw(plain.body, plain.headers)).status).toBe(401);
    // Same bytes, one changed after signing.
    const tampered = larkRequest(ev(), { encryptKey: KEY });
    expect((await postRaw(tampered.body.replace(/"}$/, 'A"}'), tampered.headers)).status).toBe(401);

    expect(await counts()).toEqual(before);
    const rejectedAfter = (await larkWebhookRejected.get()).values.reduce((s, v) => s + v.value, 0);
    expect(rejectedAfter - rejectedBefore).toBe(8);
  });

  test('a malformed or oversize body is refused with 4xx and nothing recorded', async () => {
    const before = await counts();
    const ts = String(Math.floor(Date.now() / 1000));
    const malformed = '{"encrypt": ';
    const { larkSignature } = await import('../../../src/platform/lark/request-signature');
    const sig = larkSignature(ts, 'n1', KEY, malformed);
    const r1 = await postRaw(malformed, { 'x-lark-request-timestamp': ts, 'x-lark-request-nonce': 'n1', 'x-lark-signature': sig });
    expect(r1.status).toBe(400);
    const notCipher = JSON.stringify({ encrypt: 'bm90IGEgY2lwaGVydGV4dA==' });
    const r2 = await postRaw(notCipher, { 'x-lark-request-timestamp': ts, 'x-lark-request-nonce': 'n2', 'x-lark-signature': larkSignature(ts, 'n2', KEY, notCipher) });
    expect(r2.status).toBe(401);
    const big = await post(larkMessageEvent({ openId: 'ou_staff', text: '登记'.repeat(10_000) }));
    expect(big.status).toBe(413);
    expect(await counts()).toEqual(before);
  });

  test('in a group the bot answers only when @mentioned, as a reply, with the mention stripped', async () => {
    const before = await counts();
    const quiet = await post(larkMessageEvent({ openId: 'ou_staff', text: '我是谁', chatType: 'group', chatId: 'oc_group1' }));
    expect(quiet.status).toBe(200);
    expect(await counts()).toEqual(before);

    const ev = larkMessageEvent({ openId: 'ou_staff', text: '我是谁', chatType: 'group', chatId: 'oc_group1', mentionBot: fake.botOpenId });
    fake.seedMessage(ev.event.message.message_id, 'oc_group1');
    expect((await post(ev)).status).toBe(200);
    await drain();
    const sent = fake.messagesTo('oc_group1');
    expect(sent).toHaveLength(1);
    expect(sent[0].kind).toBe('reply');
    expect(sent[0].reply_to).toBe(ev.event.message.message_id);
    expect(fake.textOf(sent[0])).toContain('姓名：张晓燕'); // 我是谁 matched: the @mention was removed
  });

  test('an unknown Lark user gets one polite refusal a day, and nothing else', async () => {
    for (let i = 0; i < 3; i++) expect((await post(larkMessageEvent({ openId: 'ou_stranger', text: '帮助', chatId: 'oc_p2p_stranger' }))).status).toBe(200);
    await post(larkMenuEvent({ openId: 'ou_stranger', eventKey: 'help' }));
    await drain();
    const toStranger = () => fake.messages.filter((m) => m.chat_id === 'oc_p2p_stranger' || m.receive_id === 'ou_stranger');
    expect(toStranger()).toHaveLength(1);
    expect(fake.textOf(toStranger()[0])).toBe(LARK_UNKNOWN_USER_REPLY);

    clock = new Date(clock.getTime() + 24 * 3600_000);
    await post(larkMessageEvent({ openId: 'ou_stranger', text: '帮助', chatId: 'oc_p2p_stranger' }));
    await post(larkMessageEvent({ openId: 'ou_stranger', text: '帮助', chatId: 'oc_p2p_stranger' }));
    await drain();
    expect(toStranger()).toHaveLength(2);
  });

  test('a bot menu item runs its command for the person who clicked', async () => {
    expect((await post(larkMenuEvent({ openId: 'ou_staff', eventKey: 'whoami' }))).status).toBe(200);
    await drain();
    const sent = fake.messages.filter((m) => m.receive_id === 'ou_staff' && m.receive_id_type === 'open_id');
    expect(sent).toHaveLength(1);
    expect(fake.textOf(sent[0])).toContain('姓名：张晓燕');
  });

  test('a card click is answered in the callback: the first card replaces the clicked card, texts follow as messages', async () => {
    const ev = larkCardActionEvent({ openId: 'ou_staff', value: { action: 'test.card', caseNo: '2026-000001' }, chatId: 'oc_p2p_card' });
    const res = await post(ev);
    expect(res.status).toBe(200);
    expect(res.body.card?.type).toBe('raw');
    expect(JSON.stringify(res.body.card.data)).toContain('已受理');
    await drain();
    const sent = fake.messagesTo('oc_p2p_card');
    expect(sent.map((m) => fake.textOf(m))).toEqual(['已通知承办单位']);

    // The same callback again (same token): an empty answer, nothing sent.
    const again = await post(ev);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({});
    await drain();
    expect(fake.messagesTo('oc_p2p_card')).toHaveLength(1);

    const toast = await post(larkCardActionEvent({ openId: 'ou_staff', value: { action: 'test.toast' }, chatId: 'oc_p2p_card' }));
    expect(toast.body).toEqual({ toast: { type: 'info', content: '已保存' } });
  });

  test('an event recorded by a process that died before processing it is processed by the poller, once', async () => {
    const dead = new InboundProcessor({ core: app.core, router: app.router, workerId: 'dead-replica' });
    const ev = larkMessageEvent({ openId: 'ou_staff', text: '我是谁', chatId: 'oc_p2p_crash' });
    const flat = { event_type: ev.header.event_type, ...ev.header, ...ev.event };
    const n = normalizeLarkEvent(flat, { botOpenId: fake.botOpenId });
    if (n.kind === 'ignore') throw new Error('expected an event');
    const rec = await dead.record(n, 'webhook');
    expect(rec).not.toBeNull();
    const id = rec!.id;
    // Lark delivers it again while the dead process still holds it: a duplicate, nothing happens.
    await post(ev);
    expect(await lark.processor!.pollOnce()).toBe(0);
    // Its lease lapses; any replica's poller takes it.
    await app.core.db('inbound_events').where({ id }).update({ lease_until: '2000-01-01 00:00:00.000' });
    expect(await lark.processor!.pollOnce()).toBe(1);
    await drain();
    expect(fake.messagesTo('oc_p2p_crash')).toHaveLength(1);
    expect(await lark.processor!.pollOnce()).toBe(0);
  });

  test('an event that arrives while the process is too busy is recorded for the poller, and answered once', async () => {
    const busy = new InboundProcessor({ core: app.core, router: app.router, workerId: 'busy-replica', maxWaiting: 0 });
    const ev = larkMessageEvent({ openId: 'ou_staff', text: '我是谁', chatId: 'oc_p2p_busy' });
    const n = normalizeLarkEvent({ event_type: ev.header.event_type, ...ev.header, ...ev.event }, { botOpenId: fake.botOpenId });
    if (n.kind === 'ignore') throw new Error('expected an event');
    const rec = await busy.record(n, 'webhook');
    expect(rec).toMatchObject({ polled: true });
    expect(await app.core.db('inbound_events').where({ id: rec!.id }).first()).toMatchObject({ status: 'pending', lease_until: null });
    expect(await lark.processor!.pollOnce()).toBe(1);
    await drain();
    expect(fake.messagesTo('oc_p2p_busy')).toHaveLength(1);
  });

  test('while events keep arriving, replies wait for the acknowledgements, and follow once the burst has passed', async () => {
    // yieldAbove 0: any event loop counts as busy, so arriving events alone make the processing wait.
    const burst = new InboundProcessor({ core: app.core, router: app.router, workerId: 'burst-replica', yieldAbove: 0, maxYieldMs: 60_000 });
    const ids = await sendFor(burst, 'oc_burst_a', 800);
    const doneDuring = await countDone(ids);
    await burst.idle();
    // The first few may go before the first look at the load; the rest wait for the burst to end.
    expect(doneDuring).toBeLessThan(ids.length / 2);
    expect(await countDone(ids)).toBe(ids.length);
    await burst.stop();
  });

  test('however long a burst lasts, no event waits longer than maxYieldMs for its reply', async () => {
    const burst = new InboundProcessor({ core: app.core, router: app.router, workerId: 'long-burst', yieldAbove: 0, maxYieldMs: 200 });
    const ids = await sendFor(burst, 'oc_burst_b', 1200);
    // Those of the first half were done while events were still arriving.
    expect(await countDone(ids.slice(0, Math.floor(ids.length / 3)))).toBe(Math.floor(ids.length / 3));
    await burst.idle();
    await burst.stop();
  });

  /** Records and enqueues a message every 10 ms for `ms`, each in its own chat; their row ids. */
  async function sendFor(p: InboundProcessor, chatPrefix: string, ms: number): Promise<number[]> {
    const ids: number[] = [];
    const start = Date.now();
    for (let i = 0; Date.now() - start < ms; i++) {
      const ev = larkMessageEvent({ openId: 'ou_staff', text: '快', chatId: `${chatPrefix}_${i}` });
      const n = normalizeLarkEvent({ event_type: ev.header.event_type, ...ev.header, ...ev.event }, { botOpenId: fake.botOpenId });
      if (n.kind === 'ignore') throw new Error('expected an event');
      const rec = (await p.record(n, 'webhook'))!;
      p.enqueue(rec, n);
      ids.push(rec.id);
      await new Promise((r) => setTimeout(r, 10));
    }
    return ids;
  }
  async function countDone(ids: number[]): Promise<number> {
    return Number((await app.core.db('inbound_events').whereIn('id', ids).andWhere('status', 'done').count({ n: '*' }))[0].n);
  }

  test('handled events are kept for LARK_EVENT_RETENTION_HOURS (default 24 h), then pruned', async () => {
    const db = app.core.db;
    const { toDbTime } = await import('../../../src/platform/database/time');
    const hoursAgo = (h: number) => toDbTime(new Date(Date.now() - h * 3600_000));
    await db('inbound_events').insert([
      { event_key: 'evt:keep', event_type: 'x', channel: 'webhook', status: 'done', attempts: 1, received_at: hoursAgo(23) },
      { event_key: 'evt:drop', event_type: 'x', channel: 'webhook', status: 'done', attempts: 1, received_at: hoursAgo(25) },
    ]);
    await lark.processor!.prune();
    expect((await db('inbound_events').whereIn('event_key', ['evt:keep', 'evt:drop'])).map((r: any) => r.event_key)).toEqual(['evt:keep']);
  });

  test('the ways express would also route here (a trailing slash, a query, another letter case) get the same checks and the same answer', async () => {
    const ev = (chatId: string) => larkMessageEvent({ openId: 'ou_staff', text: '我是谁', chatId });
    const via = async (path: string, payload: Record<string, unknown>, o: { forge?: boolean } = {}) => {
      const r = larkRequest(payload, { encryptKey: KEY });
      const headers = o.forge ? { ...r.headers, 'x-lark-signature': '0'.repeat(64) } : r.headers;
      return request(app.http).post(path).set(headers).send(r.body);
    };
    for (const [path, chat] of [['/lark/events/', 'oc_p2p_slash'], ['/lark/events?from=lark', 'oc_p2p_query'], ['/Lark/Events', 'oc_p2p_case']] as const) {
      expect([path, (await via(path, ev(chat))).status]).toEqual([path, 200]);
      expect([path, (await via(path, ev(`${chat}_forged`), { forge: true })).status]).toEqual([path, 401]);
    }
    await drain();
    for (const chat of ['oc_p2p_slash', 'oc_p2p_query', 'oc_p2p_case']) expect([chat, fake.messagesTo(chat).length, fake.messagesTo(`${chat}_forged`).length]).toEqual([chat, 1, 0]);
    // Other methods are express's, as every unknown address.
    const get = await request(app.http).get('/lark/events');
    expect([get.status, get.body]).toEqual([404, { error: '没有这个地址' }]);
  });

  test('a body larger than LARK_BODY_LIMIT is refused however it arrives: declared too long, or in chunks without a length', async () => {
    const before = await counts();
    const http = await import('node:http');
    const server = http.createServer(app.http).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const port = (server.address() as { port: number }).port;
    const big = larkRequest(larkMessageEvent({ openId: 'ou_staff', text: '登记'.repeat(10_000) }), { encryptKey: KEY });
    const send = (chunked: boolean) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = http.request({ port, host: '127.0.0.1', method: 'POST', path: '/lark/events', headers: big.headers }, (res) => {
          let body = '';
          res.on('data', (c) => (body += c));
          res.on('end', () => resolve({ status: res.statusCode!, body }));
        });
        req.on('error', reject);
        if (!chunked) req.setHeader('content-length', Buffer.byteLength(big.body));
        // In pieces, as a slow client sends it.
        for (let i = 0; i < big.body.length; i += 4096) req.write(big.body.slice(i, i + 4096));
        req.end();
      });
    try {
      for (const chunked of [false, true]) {
        const r = await send(chunked);
        expect([chunked, r.status, JSON.parse(r.body)]).toEqual([chunked, 413, { error: '请求体过大' }]);
      }
    } finally {
      server.close();
    }
    expect(await counts()).toEqual(before);
  });

  test('GET /metrics shows the Lark counters', async () => {
    const res = await request(app.http).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.text).toContain('xinfang_lark_events_received_total');
    expect(res.text).toContain('xinfang_lark_webhook_rejected_total{reason="bad_signature"');
  });
});

describe('the webhook route’s parts', () => {
  test('LARK_BODY_LIMIT is read as express reads it; a value it cannot read stops the start', async () => {
    const { byteLimit } = await import('../../../src/platform/lark/webhook-route');
    expect(['4096', '16kb', '256KB', '1mb', '1.5kb', '2 mb', '10b'].map(byteLimit)).toEqual([4096, 16_384, 262_144, 1_048_576, 1536, 2_097_152, 10]);
    expect(() => byteLimit('很大')).toThrow('LARK_BODY_LIMIT 无法识别');
  });

  test('an event reaches its handler as the SDK’s dispatcher would hand it over', async () => {
    const lark = await import('@larksuiteoapi/node-sdk');
    const { flatten } = await import('../../../src/platform/lark/webhook-route');
    const seen: unknown[] = [];
    const d = new lark.EventDispatcher({ loggerLevel: lark.LoggerLevel.error }).register({
      'im.message.receive_v1': async (data: unknown) => void seen.push(data),
      'card.action.trigger': async (data: unknown) => void seen.push(data),
    });
    for (const ev of [larkMessageEvent({ openId: 'ou_staff', text: '我是谁', mentionBot: 'ou_bot', chatType: 'group' }), larkCardActionEvent({ openId: 'ou_staff', value: { action: 'x' } })]) {
      await d.invoke(JSON.parse(JSON.stringify(ev)), { needCheck: false });
      // The SDK adds a symbol-keyed copy of the type, which nothing of ours reads.
      const handed = seen.pop() as Record<string | symbol, unknown>;
      for (const k of Object.getOwnPropertySymbols(handed)) delete handed[k];
      expect(flatten(JSON.parse(JSON.stringify(ev)))).toEqual(handed);
    }
  });
});
