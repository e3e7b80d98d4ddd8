import type { App } from '../../../src/app';
import { card } from '../../../src/platform/chat/messages';
import type { InboundProcessor } from '../../../src/platform/inbound/inbound-processor';
import { InboundEventStore } from '../../../src/platform/inbound/inbound-event-store';
import { normalizeLarkEvent } from '../../../src/platform/lark/event-normalizer';
import type { LarkFeature } from '../../../src/platform/lark/lark-feature';
import { addUser, makeTestApp } from '../../helpers/app';
import { xinfang } from '../../helpers/cli';
import { freshDb, testDialects } from '../../helpers/db';
import { FakeLarkServer, larkMessageEvent, startFakeLark } from '../../helpers/fake-lark-server';

describe.each(testDialects())('an inbound event that cannot be processed, on $name', (dialect) => {
  let fake: FakeLarkServer;
  let app: App;
  let processor: InboundProcessor;
  let lark: LarkFeature;
  let url: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    fake = await startFakeLark();
    const fresh = await freshDb(dialect);
    url = fresh.url;
    env = {
      LARK_APP_ID: fake.appId, LARK_APP_SECRET: fake.appSecret, LARK_MODE: 'webhook', LARK_DOMAIN: fake.url,
      LARK_BOT_OPEN_ID: fake.botOpenId, INBOUND_MAX_ATTEMPTS: '3',
    };
    app = await makeTestApp({ db: fresh.db, url, env });
    lark = app.features.find((f) => f.name === 'lark') as LarkFeature;
    processor = lark.processor!;
    await addUser(app, 'ou_staff', 'staff', { name: '张晓燕' });
    // A reply that can never be queued (it cannot be written as JSON): every commit of the event fails.
    app.router.command({ names: ['坏'], help: 'test', hidden: true }, () => [card({ n: BigInt(1) } as unknown as Record<string, unknown>)]);
  });
  afterAll(async () => {
    await lark.stop!();
    await app.core.db.destroy();
    await fake.close();
  });

  /** Records an event as the webhook would, and hands it to the processor. */
  const deliver = async (openId: string, text: string, chatId: string) => {
    const ev = larkMessageEvent({ openId, text, chatId });
    const n = normalizeLarkEvent({ event_type: ev.header.event_type, ...ev.header, ...ev.event }, { botOpenId: fake.botOpenId });
    if (n.kind === 'ignore') throw new Error('expected an event');
    const rec = (await processor.record(n, 'webhook'))!;
    processor.enqueue(rec, n);
    await processor.idle();
    return rec.id;
  };
  const event = (id: number) => new InboundEventStore(app.core.db).get(id);

  test('a poison event is tried INBOUND_MAX_ATTEMPTS times, then marked failed with its error, and never taken again', async () => {
    const id = await deliver('ou_staff', '坏', 'oc_p2p_poison');
    expect(await event(id)).toMatchObject({ status: 'pending', attempts: 1, claimedBy: null });
    expect((await event(id))!.error).toContain('BigInt');
    for (let i = 0; i < 5; i++) {
      await processor.pollOnce();
      await processor.idle();
    }
    const failed = (await event(id))!;
    expect(failed).toMatchObject({ status: 'failed', attempts: 3, claimedBy: null, leaseUntil: null });
    expect(failed.error).toContain('BigInt');
    expect(failed.payload).not.toBeNull(); // kept for `inbound retry`
    expect(await processor.pollOnce()).toBe(0);
    expect(await app.core.db('outbox').where('source', `lark-event:${id}`)).toHaveLength(0);
  });

  test('xinfang inbound list --failed shows it, without its content; inbound retry queues it again, attempts reset', async () => {
    const id = await deliver('ou_staff', '坏', 'oc_p2p_poison2');
    for (let i = 0; i < 4; i++) {
      await processor.pollOnce();
      await processor.idle();
    }
    const cli = { ...env, DATABASE_URL: url };
    const list = await xinfang(['inbound', 'list', '--failed', '--json'], cli);
    expect(list.code).toBe(0);
    const mine = JSON.parse(list.stdout).find((r: any) => r.id === id);
    expect(mine).toMatchObject({ id, status: 'failed', attempts: 3, retryable: true, eventType: 'im.message.receive_v1' });
    expect(mine.error).toContain('BigInt');
    expect(mine.payload).toBeUndefined();
    expect(list.stdout).not.toContain('坏');
    const text = await xinfang(['inbound', 'list', '--failed'], cli);
    expect(text.stdout).toMatch(new RegExp(`#${id}\\t失败\\tim\\.message\\.receive_v1\\twebhook\\t尝试 3 次`));

    const retry = await xinfang(['inbound', 'retry', String(id)], cli);
    expect(retry.code).toBe(0);
    expect(retry.stdout).toContain(`事件 #${id} 已重新排队`);
    expect(await event(id)).toMatchObject({ status: 'pending', attempts: 0, error: null });
    expect(await processor.pollOnce()).toBeGreaterThanOrEqual(1);
    await processor.idle();
    expect(await event(id)).toMatchObject({ status: 'pending', attempts: 1 });
  });

  test('inbound retry refuses a bad id, an unknown one and an event that did not fail, changing nothing', async () => {
    const done = await deliver('ou_staff', '我是谁', 'oc_p2p_fine');
    expect((await event(done))!.status).toBe('done');
    const cli = { ...env, DATABASE_URL: url };
    for (const [arg, msg] of [['abc', '无效'], ['0', '无效'], ['99999', '没有编号'], [String(done), '只有处理失败的事件']]) {
      const r = await xinfang(['inbound', 'retry', arg], cli);
      expect([arg, r.code]).toEqual([arg, 2]);
      expect(r.stderr).toContain(msg);
    }
    expect((await event(done))!.status).toBe('done');
  });

  test('an unknown sender with a 65-character open_id: done at once, no refusal row, nothing retried', async () => {
    const long = `ou_${'x'.repeat(62)}`;
    const id = await deliver(long, '你好', 'oc_p2p_long');
    expect(await event(id)).toMatchObject({ status: 'done', error: null });
    expect(await app.core.db('lark_refusals').where('open_id', long)).toHaveLength(0);
    expect(await app.core.db('outbox').where('source', `lark-event:${id}`)).toHaveLength(0);
    await processor.pollOnce();
    await processor.idle();
    expect(await event(id)).toMatchObject({ status: 'done', attempts: 1 });
  });

  test('failed events are kept longer than handled ones, then pruned', async () => {
    const store = new InboundEventStore(app.core.db);
    const before = await store.count('failed');
    expect(before).toBeGreaterThan(0);
    const now = new Date(Date.now() + 60_000);
    await store.prune(now, new Date(Date.now() - 3600_000));
    expect(await store.count('done')).toBe(0);
    expect(await store.count('failed')).toBe(before);
    await store.prune(now, now);
    expect(await store.count('failed')).toBe(0);
  });
});
