import request from 'supertest';
import type { App } from '../../../src/app';
import type { LarkFeature } from '../../../src/platform/lark/lark-feature';
import { enqueueMessage, getOutboxRow } from '../../../src/platform/outbox/outbox-store';
import { addUser, makeTestApp } from '../../helpers/app';
import { freshDb, testDialects } from '../../helpers/db';
import { FakeLarkServer, larkMessageEvent, larkRequest, startFakeLark } from '../../helpers/fake-lark-server';

async function until(cond: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('the Lark feature as `npm start` runs it', () => {
  test('without a Lark app: the sender runs on the console transport and marks queued messages sent', async () => {
    const { db, url } = await freshDb(testDialects()[0]);
    const app = await makeTestApp({ db, url, env: { OUTBOX_POLL_MS: '50' } });
    const lark = app.features.find((f) => f.name === 'lark') as LarkFeature;
    expect(lark.processor).toBeNull();
    await lark.start!();
    try {
      const id = await enqueueMessage(db, { receiveIdType: 'open_id', receiveId: 'xiaoyan', msgType: 'text', content: { text: '提醒' } });
      await until(async () => (await getOutboxRow(db, id))?.status === 'sent');
      const panel = await request(app.http).get('/console/api/outbox');
      expect(panel.body.messages.find((m: any) => m.id === id)).toMatchObject({ status: 'sent', to: 'xiaoyan' });
      // No webhook without a Lark app.
      expect((await request(app.http).post('/lark/events').send({})).status).toBe(404);
    } finally {
      await lark.stop!();
      await db.destroy();
    }
  });

  describe('webhook mode with a Lark app', () => {
    let fake: FakeLarkServer;
    let app: App;
    let lark: LarkFeature;
    beforeAll(async () => {
      fake = await startFakeLark();
      const { db, url } = await freshDb(testDialects()[0]);
      app = await makeTestApp({
        db,
        url,
        env: {
          LARK_APP_ID: fake.appId, LARK_APP_SECRET: fake.appSecret, LARK_MODE: 'webhook', LARK_ENCRYPT_KEY: 'k3y',
          LARK_VERIFICATION_TOKEN: 'verify-token', LARK_DOMAIN: fake.url, OUTBOX_POLL_MS: '50',
        },
      });
      await addUser(app, 'ou_staff', 'staff', { name: '张晓燕' });
      lark = app.features.find((f) => f.name === 'lark') as LarkFeature;
      await lark.start!();
    });
    afterAll(async () => {
      await lark.stop!();
      await app.core.db.destroy();
      await fake.close();
    });

    test('start() looks up the bot’s open_id, and an event is answered end to end with no further help', async () => {
      const ev = larkMessageEvent({ openId: 'ou_staff', text: '我是谁', chatType: 'group', chatId: 'oc_g', mentionBot: fake.botOpenId });
      delete ev.event.message.mentions[0].mentioned_type; // recognised by the looked-up open_id alone
      fake.seedMessage(ev.event.message.message_id, 'oc_g'); // the message Lark delivered, which the answer replies to
      const r = larkRequest(ev, { encryptKey: 'k3y' });
      const res = await request(app.http).post('/lark/events').set(r.headers).send(r.body);
      expect(res.status).toBe(200);
      await until(() => fake.messagesTo('oc_g').length === 1);
      expect(fake.messagesTo('oc_g')[0]).toMatchObject({ kind: 'reply', reply_to: ev.event.message.message_id });
      expect(fake.textOf(fake.messagesTo('oc_g')[0])).toContain('张晓燕');
    });

    test('stop() finishes what is in hand; nothing is left claimed', async () => {
      await lark.stop!();
      const claimed = await app.core.db('outbox').where({ status: 'sending' });
      expect(claimed).toHaveLength(0);
      expect(await app.core.db('inbound_events').where({ status: 'processing' })).toHaveLength(0);
      await lark.start!();
    });
  });
});
