import { Writable } from 'node:stream';
import { App, buildApp } from '../../../src/app';
import { card, text } from '../../../src/platform/chat/messages';
import { LarkEventIntake } from '../../../src/platform/lark/event-intake';
import { CARD_ACTION_PENDING_TOAST } from '../../../src/platform/inbound/inbound-processor';
import { loadConfig } from '../../../src/platform/settings/config';
import { openCore } from '../../../src/platform/core/open-core';
import type { LarkFeature } from '../../../src/platform/lark/lark-feature';
import { createLogger } from '../../../src/platform/logging/logger';
import { larkWsConnected } from '../../../src/platform/metrics/metrics';
import { freshDb, testDialects } from '../../helpers/db';
import { FakeLarkServer, larkCardActionEvent, larkMessageEvent, startFakeLark } from '../../helpers/fake-lark-server';

async function until(cond: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('the long connection (WSClient) feeds the same router', () => {
  let fake: FakeLarkServer;
  let app: App;
  let lark: LarkFeature;
  let logs = '';

  beforeAll(async () => {
    fake = await startFakeLark({ ws: true });
    const { db, url } = await freshDb(testDialects()[0]);
    const config = loadConfig({
      DATABASE_URL: url,
      LOG_LEVEL: 'info',
      JOBS_ENABLED: 'false',
      LARK_APP_ID: fake.appId,
      LARK_APP_SECRET: fake.appSecret,
      LARK_DOMAIN: fake.url,
      LARK_MODE: 'ws',
      LARK_WS_PING_TIMEOUT: '2',
      OUTBOX_POLL_MS: '50',
    });
    const logger = createLogger('info', new Writable({ write: (c, _e, cb) => { logs += String(c); cb(); } }));
    const core = await openCore(config, { db, logger });
    app = buildApp(core);
    lark = app.features.find((f) => f.name === 'lark') as LarkFeature;
    await core.users.upsert({ id: 'ou_staff', name: '张晓燕', role: 'staff', unit: null, town: null, title: null });
    app.router.action('test.slow', async () => {
      await new Promise((r) => setTimeout(r, 400));
      return [card({ schema: '2.0', config: { update_multi: true }, body: { elements: [{ tag: 'markdown', content: '慢慢处理完了' }] } })];
    });
    app.router.action('test.quick', () => [text('已确认')]);
    await lark.start!();
    await until(() => fake.wsReadyClients === 1);
  });
  afterAll(async () => {
    await lark.stop!();
    await app.core.db.destroy();
    await fake.close();
  });

  test('a message pushed over the long connection is acknowledged and answered through the outbox', async () => {
    const answer = await fake.pushEvent(larkMessageEvent({ openId: 'ou_staff', text: '我是谁', chatId: 'oc_ws_p2p' }));
    expect(answer.code).toBe(200);
    await until(() => fake.messagesTo('oc_ws_p2p').length === 1);
    expect(fake.textOf(fake.messagesTo('oc_ws_p2p')[0])).toContain('姓名：张晓燕');
    expect(logs).toContain('lark ws: connected');
    expect(logs).not.toContain('我是谁'); // message text never reaches the log
  });

  test('the same event over the long connection twice is answered once', async () => {
    const ev = larkMessageEvent({ openId: 'ou_staff', text: '帮助', chatId: 'oc_ws_twice' });
    await fake.pushEvent(ev);
    await fake.pushEvent(ev);
    await until(() => fake.messagesTo('oc_ws_twice').length === 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.messagesTo('oc_ws_twice')).toHaveLength(1);
  });

  test('a card click over the long connection gets its toast in the answer frame', async () => {
    const answer = await fake.pushEvent(larkCardActionEvent({ openId: 'ou_staff', value: { action: 'test.quick' }, chatId: 'oc_ws_card' }));
    expect(answer).toEqual({ code: 200, data: { toast: { type: 'info', content: '已确认' } } });
  });

  test('“entered the chat with the bot” over the long connection: the chat is remembered as the person’s private chat', async () => {
    const entered = {
      schema: '2.0',
      header: { event_id: 'ev_ws_entered', event_type: 'im.chat.access_event.bot_p2p_chat_entered_v1', token: '', create_time: String(Date.now()), tenant_key: 't', app_id: fake.appId },
      event: { chat_id: 'oc_ws_entered', operator_id: { open_id: 'ou_staff', union_id: 'on_staff', user_id: '' }, last_message_id: '' },
    };
    expect((await fake.pushEvent(entered)).code).toBe(200);
    expect(await app.core.db('lark_p2p_chats').where({ open_id: 'ou_staff' }).first()).toMatchObject({ chat_id: 'oc_ws_entered' });
    expect(await app.core.db('lark_chat_kinds').where({ chat_id: 'oc_ws_entered' }).first()).toMatchObject({ kind: 'p2p', source: 'event' });
  });

  test('the SDK dispatcher, invoked as WSClient invokes it: a slow card action answers with a toast, then patches the card', async () => {
    const intake = new LarkEventIntake({ core: app.core, processor: lark.processor!, botOpenId: () => fake.botOpenId, cardAnswerBudgetMs: 100 });
    const dispatcher = intake.dispatcher('ws');
    const ev = larkCardActionEvent({ openId: 'ou_staff', value: { action: 'test.slow' }, chatId: 'oc_ws_slow', messageId: 'om_card_slow' });
    fake.learnFromEvent(ev); // the bot's card the click came from, which Lark lets the bot update
    const answer = await dispatcher.invoke(ev, { needCheck: false });
    expect(answer).toEqual({ toast: { type: 'info', content: CARD_ACTION_PENDING_TOAST } });
    await until(() => fake.patches.some((p) => p.message_id === 'om_card_slow'));
    expect(fake.patches.find((p) => p.message_id === 'om_card_slow')!.content).toContain('慢慢处理完了');
    expect(await dispatcher.invoke(ev, { needCheck: false })).toEqual({});
  });

  test('a dropped connection is reconnected, and a half-open one (no pong within LARK_WS_PING_TIMEOUT) too, each said and gauged', async () => {
    const gauge = async () => (await larkWsConnected.get()).values[0]?.value;
    const lost = () => logs.split('lark ws: connection lost, reconnecting').length - 1;
    expect(await gauge()).toBe(1);
    const before = fake.wsConnections;
    fake.dropWsConnections();
    await until(() => fake.wsConnections === before + 1 && fake.wsReadyClients === 1);
    expect(lost()).toBe(1);
    await until(() => logs.includes('lark ws: reconnected'));
    expect(await gauge()).toBe(1);
    expect(lark.ws!.state()).toBe('connected');

    fake.answerPings = false;
    fake.dropWsConnections(); // the next connection's first ping goes unanswered
    // Given up on after the 2 s of LARK_WS_PING_TIMEOUT, well before Lark's ping interval (120 s at the fake).
    await until(() => fake.wsConnections >= before + 3, 15_000);
    expect(lost()).toBeGreaterThanOrEqual(2);
    fake.answerPings = true;
    await until(() => fake.wsReadyClients === 1);
    await until(async () => (await gauge()) === 1);
    const answer = await fake.pushEvent(larkMessageEvent({ openId: 'ou_staff', text: '我是谁', chatId: 'oc_ws_after' }));
    expect(answer.code).toBe(200);
    await until(() => fake.messagesTo('oc_ws_after').length === 1);
  });
});
