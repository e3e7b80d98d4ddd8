import request from 'supertest';
import type { App } from '../../../src/app';
import { openDatabase } from '../../../src/platform/database/connection';
import type { LarkFeature } from '../../../src/platform/lark/lark-feature';
import { addUser, makeTestApp } from '../../helpers/app';
import { FakeLarkServer, larkMessageEvent, larkRequest, startFakeLark } from '../../helpers/fake-lark-server';
import { TwoWriters, writerPairs } from './two-writers';

const KEY = 'encrypt-key-for-tests';
const EVENTS = 300;

/**
 * Two whole replicas (buildApp with the Lark channel on webhooks) on one database (on Galera,
 * on two nodes), and Lark delivering every event to both, as a load balancer retrying on the
 * other replica would: every event is answered, once.
 */
describe.each(writerPairs())('two replicas receiving the same Lark events, on $name', (pair) => {
  let fake: FakeLarkServer;
  let w: TwoWriters;
  let apps: App[];

  beforeAll(async () => {
    fake = await startFakeLark();
    w = await pair.open();
    const env = {
      LARK_APP_ID: fake.appId, LARK_APP_SECRET: fake.appSecret, LARK_MODE: 'webhook', LARK_ENCRYPT_KEY: KEY,
      LARK_VERIFICATION_TOKEN: 'verify-token', LARK_DOMAIN: fake.url, LARK_BOT_OPEN_ID: fake.botOpenId,
    };
    // SQLite: one file, one writer, so both replicas share the one handle.
    const dbB = pair.name === 'sqlite' ? w.b : await openDatabase(w.urlB);
    apps = [await makeTestApp({ db: w.a, url: w.urlA, env }), await makeTestApp({ db: dbB, url: w.urlB, env })];
    for (const u of ['ou_a', 'ou_b', 'ou_c']) await addUser(apps[0], u, 'staff', { name: `干部${u}` });
  }, 60_000);
  afterAll(async () => {
    for (const app of apps ?? []) {
      await (app.features.find((f) => f.name === 'lark') as LarkFeature | undefined)?.stop?.();
      if (app.core.db !== w.a && app.core.db !== w.b) await app.core.db.destroy();
    }
    await w?.close();
    await fake?.close();
  });

  const post = (app: App, payload: Record<string, unknown>) => {
    const r = larkRequest(payload, { encryptKey: KEY });
    return request(app.http).post('/lark/events').set(r.headers).send(r.body);
  };

  test(`${EVENTS} events, each delivered to both replicas at once: ${EVENTS} replies queued, none twice`, async () => {
    const users = ['ou_a', 'ou_b', 'ou_c'];
    const events = Array.from({ length: EVENTS }, (_, i) =>
      larkMessageEvent({
        openId: users[i % 3], text: '我是谁', chatType: 'group', chatId: `oc_group_${i % 3}`, mentionBot: fake.botOpenId, messageId: `om_twice_${i}`,
      }),
    );
    for (let i = 0; i < EVENTS; i += 30) {
      const answers = await Promise.all(events.slice(i, i + 30).flatMap((ev) => apps.map((app) => post(app, ev))));
      expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
    }
    const processors = apps.map((app) => (app.features.find((f) => f.name === 'lark') as LarkFeature).processor!);
    // Whatever a replica left unfinished is taken over by a poller once its lease lapses.
    for (let round = 0; round < 100; round++) {
      await Promise.all(processors.map((p) => p.idle()));
      const open = Number((await w.a('inbound_events').whereNot('status', 'done').count({ n: '*' }))[0].n);
      if (open === 0) break;
      await Promise.all(processors.map((p) => p.pollOnce()));
      await new Promise((r) => setTimeout(r, 100));
    }
    const events_ = await w.b('inbound_events').select('event_key', 'status');
    expect(events_).toHaveLength(EVENTS);
    expect(events_.filter((e: any) => e.status !== 'done')).toEqual([]);
    // In a group the bot answers in reply to the message: one reply per event.
    const replies = await w.b('outbox').whereNotNull('reply_to').select('reply_to');
    const perMessage = new Map<string, number>();
    for (const r of replies) perMessage.set(r.reply_to, (perMessage.get(r.reply_to) ?? 0) + 1);
    expect(perMessage.size).toBe(EVENTS);
    expect([...perMessage.values()].filter((n) => n !== 1)).toEqual([]);
  }, 120_000);
});
