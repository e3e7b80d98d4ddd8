import request from 'supertest';
import type { App } from '../../../src/app';
import { card } from '../../../src/platform/chat/messages';
import { CARD_ACTION_PENDING_TOAST } from '../../../src/platform/inbound/inbound-processor';
import type { LarkFeature } from '../../../src/platform/lark/lark-feature';
import { loadConfig } from '../../../src/platform/settings/config';
import { openDatabase } from '../../../src/platform/database/connection';
import { enqueueMessage } from '../../../src/platform/outbox/outbox-store';
import { addUser, makeTestApp } from '../../helpers/app';
import { freshDb, galeraNodesCaughtUp, onGaleraNode, testDialects } from '../../helpers/db';
import { FakeLarkServer, larkCardActionEvent, larkMessageEvent, larkRequest, startFakeLark } from '../../helpers/fake-lark-server';

async function until(cond: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

const KEY = 'k3y';

// On Galera each process (web, workers) is on its own node: replicas writing to different nodes at once.
describe.each(testDialects({ galera: true }))('XINFANG_ROLE: web processes record, workers process and send ($name)', (dialect) => {
  let fake: FakeLarkServer;
  let url: string;
  const apps: App[] = [];
  const lark = (a: App) => a.features.find((f) => f.name === 'lark') as LarkFeature;

  async function open(role: 'web' | 'worker' | 'all', extra: Record<string, string> = {}): Promise<App> {
    const own = dialect.name === 'galera' ? onGaleraNode(url, apps.length) : url;
    const app = await makeTestApp({
      db: await openDatabase(own),
      url: own,
      env: {
        XINFANG_ROLE: role, CONSOLE_ENABLED: 'false', LARK_APP_ID: fake.appId, LARK_APP_SECRET: fake.appSecret, LARK_MODE: 'webhook',
        LARK_ENCRYPT_KEY: KEY, LARK_VERIFICATION_TOKEN: 'verify-token', LARK_DOMAIN: fake.url, LARK_BOT_OPEN_ID: fake.botOpenId,
        OUTBOX_POLL_MS: '50', OUTBOX_SENDER_LEASE_SECONDS: '2', ...extra,
      },
    });
    apps.push(app);
    return app;
  }

  const post = (app: App, payload: Record<string, any>) => {
    const r = larkRequest(payload, { encryptKey: KEY });
    return request(app.http).post('/lark/events').set(r.headers).send(r.body);
  };

  beforeEach(async () => {
    fake = await startFakeLark();
    const fresh = await freshDb(dialect);
    url = fresh.url;
    await fresh.db.destroy();
    if (dialect.name === 'galera') await galeraNodesCaughtUp(url);
  });
  afterEach(async () => {
    for (const a of apps.splice(0).reverse()) {
      await lark(a).stop!();
      await a.core.db.destroy();
    }
    await fake.close();
  });

  test('a web process acknowledges and records the event, unclaimed, and answers nothing itself', async () => {
    const web = await open('web');
    await addUser(web, 'ou_staff', 'staff', { name: '张晓燕' });
    await lark(web).start!();
    expect(lark(web).outbox).toBeNull();
    const res = await post(web, larkMessageEvent({ openId: 'ou_staff', text: '我是谁' }));
    expect(res.status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    // Pending: for whichever worker polls first.
    expect(await web.core.db('inbound_events').select('status')).toEqual([{ status: 'pending' }]);
    expect(await web.core.db('outbox').count({ n: '*' }).first()).toMatchObject({ n: 0 });
    expect(fake.requests.filter((r) => r.path.includes('/im/v1/messages'))).toHaveLength(0);
  });

  test('a worker serves no webhook and no console, only its health; it answers the events a web process recorded', async () => {
    const web = await open('web');
    const worker = await open('worker', { CONSOLE_ENABLED: 'true' });
    await addUser(web, 'ou_staff', 'staff', { name: '张晓燕' });
    await lark(web).start!();
    expect((await post(worker, larkMessageEvent({ openId: 'ou_staff', text: '我是谁' }))).status).toBe(404);
    expect((await request(worker.http).get('/console')).status).toBe(404);
    expect((await request(worker.http).get('/healthz')).status).toBe(200);

    for (let i = 0; i < 5; i++) {
      expect((await post(web, larkMessageEvent({ openId: 'ou_staff', text: '我是谁', chatId: `oc_p2p_${i}` }))).status).toBe(200);
    }
    await lark(worker).start!();
    await until(() => [0, 1, 2, 3, 4].every((i) => fake.messagesTo(`oc_p2p_${i}`).length === 1));
    expect(fake.textOf(fake.messagesTo('oc_p2p_3')[0])).toContain('张晓燕');
    expect(await worker.core.db('inbound_events').whereNot({ status: 'done' })).toHaveLength(0);
  });

  test('a card clicked through a web process: a toast at once, then the worker’s card replaces the clicked one', async () => {
    const web = await open('web');
    const worker = await open('worker');
    await addUser(web, 'ou_staff', 'staff', { name: '张晓燕' });
    worker.router.action('test.confirm', () => [card({ schema: '2.0', config: { update_multi: true }, body: { elements: [{ tag: 'markdown', content: '已确认收到' }] } })]);
    await lark(web).start!();
    await lark(worker).start!();
    const ev = larkCardActionEvent({ openId: 'ou_staff', value: { action: 'test.confirm' }, chatId: 'oc_card', messageId: 'om_card_1' });
    fake.learnFromEvent(ev);
    const res = await post(web, ev);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ toast: { type: 'info', content: CARD_ACTION_PENDING_TOAST } });
    await until(() => fake.patches.some((p) => p.message_id === 'om_card_1'));
    expect(fake.patches.find((p) => p.message_id === 'om_card_1')!.content).toContain('已确认收到');
    // Lark delivering the click again changes nothing.
    expect((await post(web, ev)).body).toEqual({});
  });

  test('web processes alone: 系统检查 says that messages are received and not answered, and that nobody sends', async () => {
    let offset = 0;
    const web = await open('web');
    web.core.now = () => new Date(Date.now() + offset);
    await addUser(web, 'ou_staff', 'staff', { name: '张晓燕' });
    await lark(web).start!();
    await post(web, larkMessageEvent({ openId: 'ou_staff', text: '我是谁' }));
    await enqueueMessage(web.core.db, { receiveIdType: 'open_id', receiveId: 'ou_staff', msgType: 'text', content: { text: '提醒' } });
    expect(await lark(web).diagnose!(web.core.now())).toEqual([
      expect.objectContaining({ problem: '有待发送的消息，但没有进程在发送（发件租约无人持有）。' }),
    ]);
    offset = 2 * 60_000;
    const findings = await lark(web).diagnose!(web.core.now());
    expect(findings.map((f) => f.problem)).toEqual([
      expect.stringMatching(/^有 1 条飞书消息已收到，但超过 60 秒没有处理（最早一条收到于 \d+年\d+月\d+日 \d\d:\d\d）/),
      '有待发送的消息，但没有进程在发送（发件租约无人持有）。',
    ]);
    expect(findings[0].chatFix).toBe('请系统管理员检查处理消息的后台进程（worker）是否在运行。');

    const worker = await open('worker');
    await lark(worker).start!();
    await until(async () => (await web.core.db('inbound_events').where({ status: 'done' })).length === 1);
    offset = 0;
    await until(async () => (await lark(web).diagnose!(web.core.now())).length === 0);
  });

  test('of two workers one sends (the sender’s lease); when it stops, the other takes over and nothing is sent twice', async () => {
    const web = await open('web');
    const a = await open('worker');
    const b = await open('worker');
    await addUser(web, 'ou_staff', 'staff', { name: '张晓燕' });
    await lark(web).start!();
    await lark(a).start!();
    await lark(b).start!();
    expect([lark(a).sender!.active, lark(b).sender!.active].sort()).toEqual([false, true]);
    const [active, standby] = lark(a).sender!.active ? [a, b] : [b, a];
    for (let i = 0; i < 10; i++) await post(web, larkMessageEvent({ openId: 'ou_staff', text: '我是谁', chatId: `oc_a${i}` }));
    await until(() => [...Array(10).keys()].every((i) => fake.messagesTo(`oc_a${i}`).length === 1));

    await lark(active).stop!();
    for (let i = 0; i < 10; i++) await post(web, larkMessageEvent({ openId: 'ou_staff', text: '我是谁', chatId: `oc_b${i}` }));
    await until(() => [...Array(10).keys()].every((i) => fake.messagesTo(`oc_b${i}`).length === 1));
    expect(lark(standby).sender!.active).toBe(true);
    for (let i = 0; i < 10; i++) {
      expect(fake.messagesTo(`oc_a${i}`)).toHaveLength(1);
      expect(fake.messagesTo(`oc_b${i}`)).toHaveLength(1);
    }
  });
});

describe('the role setting', () => {
  test('an unknown role is refused in Chinese', () => {
    expect(() => loadConfig({ XINFANG_ROLE: 'both' })).toThrow(/XINFANG_ROLE: 应为 all、web 或 worker/);
  });
});
