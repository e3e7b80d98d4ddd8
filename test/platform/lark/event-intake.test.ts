import request from 'supertest';
import type { App } from '../../../src/app';
import { CaseService } from '../../../src/cases/case-service';
import type { LarkFeature } from '../../../src/platform/lark/lark-feature';
import { addUser, makeTestApp } from '../../helpers/app';
import { freshDb, testDialects } from '../../helpers/db';
import { FakeLarkServer, larkCardActionEvent, larkMessageEvent, larkRequest, startFakeLark } from '../../helpers/fake-lark-server';

const KEY = 'encrypt-key-for-tests';
const ID = '441823199001016012';
const PHONE = '13812345678';
const ADDRESS = '阳城镇东街 8 号';

/**
 * Issue 14, item 1: a card callback does not say whether its chat is private, and its answer
 * replaces a card the whole chat sees. Whole ID numbers, phones and addresses go only to a chat
 * Lark has said is private. Driven through POST /lark/events and the real SDK against the fake.
 */
describe.each(testDialects())('查看 on a case card, by the chat it was clicked in, on $name', (dialect) => {
  let fake: FakeLarkServer;
  let app: App;
  let lark: LarkFeature;
  let caseNo: string;

  beforeAll(async () => {
    fake = await startFakeLark();
    const { db, url } = await freshDb(dialect);
    app = await makeTestApp({
      db,
      url,
      env: {
        LARK_APP_ID: fake.appId, LARK_APP_SECRET: fake.appSecret, LARK_MODE: 'webhook', LARK_ENCRYPT_KEY: KEY,
        LARK_VERIFICATION_TOKEN: 'verify-token', LARK_DOMAIN: fake.url, LARK_BOT_OPEN_ID: fake.botOpenId,
      },
    });
    lark = app.features.find((f) => f.name === 'lark') as LarkFeature;
    await addUser(app, 'ou_staff', 'staff', { name: '张晓燕' });
    await app.core.chats.upsert({ id: 'oc_bureau', name: '信访局工作群', unit: null, role: 'bureau', venueId: null });
    const { record } = await new CaseService(app.core).register({
      name: '陈秀梅', idNumber: ID, phone: PHONE, address: ADDRESS, headcount: 1, channel: '来访', town: '阳城镇',
      category: '自然资源', purpose: '求决', content: '宅基地被占用，请求协调。', receivedAt: new Date(), sessionId: null, registeredBy: 'ou_staff',
    });
    caseNo = record.caseNo;
  });
  afterAll(async () => {
    await lark.stop?.();
    await app.core.db.destroy();
    await fake.close();
  });

  const post = (payload: Record<string, unknown>) => {
    const r = larkRequest(payload, { encryptKey: KEY });
    return request(app.http).post('/lark/events').set(r.headers).send(r.body);
  };
  /** What the clicker (and everyone in the chat) sees: the card that replaces the clicked one. */
  const view = async (openId: string, chatId: string): Promise<string> => {
    const res = await post(larkCardActionEvent({ openId, chatId, value: { action: 'case.view', caseNo } }));
    expect(res.status).toBe(200);
    const shown = JSON.stringify(res.body);
    expect(shown).toContain(`信访件 ${caseNo}`);
    return shown;
  };
  const whole = (shown: string) => [ID, PHONE, ADDRESS].filter((x) => shown.includes(x));

  test('in a group nobody registered, and Lark does not know it either: masked (the old rule showed everything)', async () => {
    const shown = await view('ou_staff', 'oc_some_group');
    expect(whole(shown)).toEqual([]);
    expect(shown).toContain('441823********6012');
    expect(shown).toContain('138****5678');
    expect(fake.chatGets).toContain('oc_some_group'); // asked, Lark refused (232006): a group
  });

  test('in an unregistered group that Lark says is a group: masked, and Lark is asked once for that chat', async () => {
    fake.chatModes.set('oc_other_group', 'group');
    expect(whole(await view('ou_staff', 'oc_other_group'))).toEqual([]);
    expect(whole(await view('ou_staff', 'oc_other_group'))).toEqual([]);
    expect(fake.chatGets.filter((c) => c === 'oc_other_group')).toHaveLength(1);
  });

  test('in the bureau’s registered group: masked, without asking Lark', async () => {
    expect(whole(await view('ou_staff', 'oc_bureau'))).toEqual([]);
    expect(fake.chatGets).not.toContain('oc_bureau');
  });

  test('in the clicker’s own private chat (learnt from their private message): whole, for staff only', async () => {
    // 我是谁 in private: the chat is remembered as theirs once the message is handled.
    expect((await post(larkMessageEvent({ openId: 'ou_staff', text: '我是谁', chatId: 'oc_p2p_staff' }))).status).toBe(200);
    await lark.processor!.idle();
    expect(whole(await view('ou_staff', 'oc_p2p_staff'))).toEqual([ID, PHONE, ADDRESS]);
    expect(fake.chatGets).not.toContain('oc_p2p_staff');
    // Once their private chat is known, any other unknown chat they click in is a group, without asking.
    expect(whole(await view('ou_staff', 'oc_yet_another'))).toEqual([]);
    expect(fake.chatGets).not.toContain('oc_yet_another');
  });

  test('in a private chat nothing was known of, which chat.get says is p2p: whole for staff; Lark asked once, the answer kept', async () => {
    // A staff member whose private chat is not known yet (say, reminder cards went to their open_id).
    await addUser(app, 'ou_staff2', 'staff', { name: '王丽' });
    fake.chatModes.set('oc_p2p_staff2', 'p2p');
    expect(whole(await view('ou_staff2', 'oc_p2p_staff2'))).toEqual([ID, PHONE, ADDRESS]);
    expect(await app.core.db('lark_chat_kinds').where({ chat_id: 'oc_p2p_staff2' }).first()).toMatchObject({ kind: 'p2p', source: 'chat.get' });
    expect(whole(await view('ou_staff2', 'oc_p2p_staff2'))).toEqual([ID, PHONE, ADDRESS]);
    expect(fake.chatGets.filter((c) => c === 'oc_p2p_staff2')).toHaveLength(1);
  });

  test('the “entered the chat with the bot” event makes a private chat known without asking Lark', async () => {
    await addUser(app, 'ou_staff3', 'staff', { name: '赵敏' });
    const entered = {
      schema: '2.0',
      header: { event_id: `ev_entered_${dialect.name}`, event_type: 'im.chat.access_event.bot_p2p_chat_entered_v1', token: 'verify-token', create_time: String(Date.now()), tenant_key: 't', app_id: fake.appId },
      event: { chat_id: 'oc_p2p_staff3', operator_id: { open_id: 'ou_staff3', union_id: 'on_3', user_id: '' }, last_message_id: '', last_message_create_time: '' },
    };
    const res = await post(entered);
    expect(res.status).toBe(200);
    expect(await app.core.db('lark_p2p_chats').where({ open_id: 'ou_staff3' }).first()).toMatchObject({ chat_id: 'oc_p2p_staff3' });
    expect(whole(await view('ou_staff3', 'oc_p2p_staff3'))).toEqual([ID, PHONE, ADDRESS]);
    expect(fake.chatGets).not.toContain('oc_p2p_staff3');
  });
});
