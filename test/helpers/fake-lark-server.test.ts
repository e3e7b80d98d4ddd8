import { FakeLarkServer, larkCardActionEvent, larkMessageEvent, larkRequest, startFakeLark } from './fake-lark-server';

/**
 * The fake refuses what Lark refuses, each rule with Lark's HTTP status and code (the sources are
 * in fake-lark-rules.ts and lark-card-rules.ts). Calls go over HTTP as the SDK makes them.
 */
describe('the fake Lark server is as strict as Lark', () => {
  let fake: FakeLarkServer;
  let token = '';
  let seq = 0;

  beforeAll(async () => {
    fake = await startFakeLark();
    const t = await fetch(`${fake.url}/open-apis/auth/v3/tenant_access_token/internal`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ app_id: fake.appId, app_secret: fake.appSecret }),
    });
    token = ((await t.json()) as any).tenant_access_token;
  });
  afterAll(() => fake.close());
  beforeEach(() => {
    fake.advance(61_000); // the last test's calls out of every window
    Object.assign(fake, { appRate: 50, appPerMinute: 1000, chatRate: 5, patchRate: 5, legacyRateLimit: false, botChats: null, visibleUsers: null });
  });

  const call = async (method: string, path: string, body: unknown) => {
    const res = await fetch(`${fake.url}/open-apis/im/v1/messages${path}`, {
      method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(body),
    });
    const json: any = await res.json();
    return { status: res.status, code: json.code as number, msg: json.msg as string, id: json.data?.message_id as string | undefined, headers: res.headers };
  };
  const chat = () => `oc_rule_${++seq}`;
  const text = (t = '你好') => ({ msg_type: 'text', content: JSON.stringify({ text: t }) });
  const create = (receiveId: string, body: Record<string, unknown> = text(), type = 'chat_id') =>
    call('POST', `?receive_id_type=${type}`, { receive_id: receiveId, ...body });
  const shared = (elements: unknown[] = [{ tag: 'markdown', content: '内容' }]) => ({ schema: '2.0', config: { update_multi: true }, body: { elements } });
  const cardBody = (c: unknown) => ({ msg_type: 'interactive', content: JSON.stringify(c) });

  describe('cards: JSON 2.0 (230099 with the sub-code)', () => {
    test('a 2.0 card of the project’s elements is taken', async () => {
      const c = shared([
        { tag: 'markdown', content: '**编号**：2026-000001' },
        { tag: 'hr' },
        { tag: 'column_set', flex_mode: 'flow', columns: [{ tag: 'column', width: 'auto', elements: [{ tag: 'button', text: { tag: 'plain_text', content: '查看' }, type: 'primary', behaviors: [{ type: 'callback', value: { action: 'case.view' } }] }] }] },
        {
          tag: 'form', name: 'f', elements: [
            { tag: 'input', name: 'reason', label: { tag: 'plain_text', content: '理由' }, required: true, max_length: 1000 },
            { tag: 'select_static', name: 'unit', placeholder: { tag: 'plain_text', content: '承办单位' }, options: [{ text: { tag: 'plain_text', content: '县民政局' }, value: '县民政局' }] },
            { tag: 'date_picker', name: 'd', initial_date: '2026-03-02' },
            { tag: 'button', name: 'f_submit', text: { tag: 'plain_text', content: '提交' }, form_action_type: 'submit', behaviors: [{ type: 'callback', value: { action: 'x' } }] },
          ],
        },
      ]);
      expect(await create(chat(), cardBody({ ...c, header: { title: { tag: 'plain_text', content: '标题' }, template: 'blue' } }))).toMatchObject({ status: 200, code: 0 });
    });

    test('1.0 leftovers are refused: elements at the top, note and action tags, wide_screen_mode', async () => {
      const refusedWith = async (c: unknown, sub: number, what: string) => {
        const r = await create(chat(), cardBody(c));
        expect([what, r.status, r.code]).toEqual([what, 400, 230099]);
        expect(r.msg).toContain(`ErrCode: ${sub}`);
      };
      await refusedWith({ schema: '2.0', elements: [{ tag: 'markdown', content: 'x' }] }, 200861, 'elements at the top');
      await refusedWith({ config: { wide_screen_mode: true }, elements: [{ tag: 'div', text: { tag: 'plain_text', content: 'x' } }] }, 200621, 'no schema');
      await refusedWith(shared([{ tag: 'note', elements: [{ tag: 'plain_text', content: '备注' }] }]), 200861, 'note');
      await refusedWith(shared([{ tag: 'action', actions: [] }]), 200861, 'action');
      await refusedWith({ schema: '2.0', config: { wide_screen_mode: true }, body: { elements: [] } }, 200861, 'wide_screen_mode');
    });

    test('a property 2.0 does not have, a select without options, a form without submit, more than 200 elements: refused', async () => {
      const cases: Array<[string, unknown, number]> = [
        ['unknown property', shared([{ tag: 'markdown', content: 'x', href: {} }]), 200621],
        ['select_static without options', shared([{ tag: 'select_static', placeholder: { tag: 'plain_text', content: '选' }, options: [] }]), 200621],
        ['form without submit', shared([{ tag: 'form', name: 'f', elements: [{ tag: 'input', name: 'a' }] }]), 200621],
        ['update_multi false', { schema: '2.0', config: { update_multi: false }, body: { elements: [] } }, 200621],
        ['201 elements', shared(Array.from({ length: 201 }, () => ({ tag: 'hr' }))), 11310],
      ];
      for (const [what, c, sub] of cases) {
        const r = await create(chat(), cardBody(c));
        expect([what, r.code, r.msg.includes(`ErrCode: ${sub}`)]).toEqual([what, 230099, true]);
      }
      const notJson = await create(chat(), { msg_type: 'interactive', content: '{"schema":"2.0",' });
      expect(notJson).toMatchObject({ status: 400, code: 230099 });
      expect(notJson.msg).toContain('ErrCode: 200621');
    });
  });

  describe('patch (im.v1.message.patch)', () => {
    test('only a card, shared before and after: a text, an unshared card, an unshared replacement, an unknown message are refused', async () => {
      const c = chat();
      const sent = await create(c, cardBody(shared()));
      expect(await call('PATCH', `/${sent.id}`, { content: JSON.stringify(shared([{ tag: 'markdown', content: '新' }])) })).toMatchObject({ status: 200, code: 0 });
      const plain = await create(c, text());
      expect(await call('PATCH', `/${plain.id}`, { content: JSON.stringify(shared()) })).toMatchObject({ status: 400, code: 230001, msg: expect.stringContaining('NOT a card') });
      const unshared = await create(c, cardBody({ schema: '2.0', body: { elements: [{ tag: 'markdown', content: 'x' }] } }));
      expect(await call('PATCH', `/${unshared.id}`, { content: JSON.stringify(shared()) })).toMatchObject({ status: 400, code: 230001, msg: expect.stringContaining('update_multi') });
      expect(await call('PATCH', `/${sent.id}`, { content: JSON.stringify({ schema: '2.0', body: { elements: [] } }) })).toMatchObject({ code: 230001 });
      expect(await call('PATCH', '/om_never_sent', { content: JSON.stringify(shared()) })).toMatchObject({ status: 400, code: 230001 });
      expect(fake.patches.filter((p) => p.message_id === sent.id)).toHaveLength(1);
    });

    test('a card sent more than 14 days ago cannot be updated (230031)', async () => {
      const sent = await create(chat(), cardBody(shared()));
      fake.advance(13 * 86_400_000);
      expect((await call('PATCH', `/${sent.id}`, { content: JSON.stringify(shared()) })).code).toBe(0);
      fake.advance(86_400_000 + 60_000);
      expect(await call('PATCH', `/${sent.id}`, { content: JSON.stringify(shared()) })).toMatchObject({ status: 400, code: 230031 });
    });

    test('at most 5 updates a second of one message (230020); another message has its own', async () => {
      const a = await create(chat(), cardBody(shared()));
      const b = await create(chat(), cardBody(shared()));
      const codes: number[] = [];
      for (let i = 0; i < 6; i++) codes.push((await call('PATCH', `/${a.id}`, { content: JSON.stringify(shared()) })).code);
      expect(codes).toEqual([0, 0, 0, 0, 0, 230020]);
      expect((await call('PATCH', `/${b.id}`, { content: JSON.stringify(shared()) })).code).toBe(0);
    });
  });

  describe('budgets', () => {
    test('the app: 50 a second per API (HTTP 429, 99991400, x-ogw-ratelimit-reset); replies have their own', async () => {
      const answers = await Promise.all(Array.from({ length: 51 }, () => create(chat())));
      const limited = answers.filter((a) => a.code === 99991400);
      expect(limited).toHaveLength(1);
      expect(limited[0].status).toBe(429);
      expect(limited[0].headers.get('x-ogw-ratelimit-reset')).toBe('1');
      const c = chat();
      fake.seedMessage('om_question_budget', c);
      expect((await call('POST', '/om_question_budget/reply', text())).code).toBe(0);
    });

    test('the app: 1,000 a minute per API, even when each second is within its 50', async () => {
      fake.appRate = 0; // the second's budget aside, to reach the minute's quickly
      fake.chatRate = 0;
      let accepted = 0;
      for (let i = 0; i < 20; i++) {
        const batch = await Promise.all(Array.from({ length: 50 }, () => create('oc_minute')));
        accepted += batch.filter((a) => a.code === 0).length;
      }
      expect(accepted).toBe(1000);
      const over = await create('oc_minute');
      expect(over).toMatchObject({ status: 429, code: 99991400 });
      expect(Number(over.headers.get('x-ogw-ratelimit-reset'))).toBeGreaterThan(50);
      fake.advance(61_000);
      expect((await create('oc_minute')).code).toBe(0);
    });

    test('99991400 may come as HTTP 400 without the reset header (older APIs)', async () => {
      fake.legacyRateLimit = true;
      fake.appRate = 1;
      await create(chat());
      const r = await create(chat());
      expect(r).toMatchObject({ status: 400, code: 99991400 });
      expect(r.headers.get('x-ogw-ratelimit-reset')).toBeNull();
    });

    test('one chat: 5 a second, replies counted with the sends (230020)', async () => {
      const c = chat();
      fake.seedMessage('om_asked_in_chat', c);
      const codes: number[] = [];
      for (let i = 0; i < 3; i++) codes.push((await create(c)).code);
      for (let i = 0; i < 3; i++) codes.push((await call('POST', '/om_asked_in_chat/reply', text())).code);
      expect(codes).toEqual([0, 0, 0, 0, 0, 230020]);
      expect((await create(chat())).code).toBe(0);
    });
  });

  test('uuid: a second send within the hour is the first message; after the hour Lark has forgotten it', async () => {
    const c = chat();
    const first = await create(c, { ...text('提醒'), uuid: 'u-dedupe-1' });
    const again = await create(c, { ...text('提醒'), uuid: 'u-dedupe-1' });
    expect(again.id).toBe(first.id);
    fake.advance(3600_000 + 1000);
    const later = await create(c, { ...text('提醒'), uuid: 'u-dedupe-1' });
    expect(later.id).not.toBe(first.id);
    expect(fake.messagesTo(c)).toHaveLength(2);
    expect(fake.dedupeExpired).toBe(1);
    expect(await create(c, { ...text(), uuid: 'x'.repeat(51) })).toMatchObject({ status: 400, code: 99992402 });
  });

  test('request size: 30 KB for a card, the card counted as the escaped string it travels in; 150 KB for text (230025)', async () => {
    // About 18 KB of card JSON, but each quote in it is escaped once more in the request: over 30 KB.
    const quoted = shared(Array.from({ length: 45 }, () => ({ tag: 'markdown', content: '“引号”'.repeat(4) + '"'.repeat(180) })));
    const raw = Buffer.byteLength(JSON.stringify(quoted));
    expect(raw).toBeLessThan(20 * 1024);
    expect(Buffer.byteLength(JSON.stringify({ receive_id: 'oc_x', ...cardBody(quoted) }))).toBeGreaterThan(30 * 1024);
    expect(await create(chat(), cardBody(quoted))).toMatchObject({ status: 400, code: 230025 });
    expect((await create(chat(), text('信'.repeat(40_000)))).code).toBe(0); // 120 KB of text
    expect(await create(chat(), text('信'.repeat(52_000)))).toMatchObject({ status: 400, code: 230025 });
  });

  test('receive_id_type must match the id: ou_ for open_id, oc_ for chat_id, on_ for union_id (230034)', async () => {
    expect((await create('ou_person', text(), 'open_id')).code).toBe(0);
    expect((await create('on_person', text(), 'union_id')).code).toBe(0);
    expect(await create('oc_group', text(), 'open_id')).toMatchObject({ status: 400, code: 230034 });
    expect(await create('ou_person', text(), 'chat_id')).toMatchObject({ status: 400, code: 230034 });
    expect(await create('xiaoyan', text(), 'open_id')).toMatchObject({ status: 400, code: 230034 });
    expect(await create('ou_person', text(), 'openid')).toMatchObject({ status: 400, code: 99992402 });
  });

  test('the bot must be in a group to send or reply there (230002); a person must be in the app’s range (230013)', async () => {
    fake.botChats = new Set(['oc_in']);
    expect((await create('oc_in')).code).toBe(0);
    expect(await create('oc_out')).toMatchObject({ status: 400, code: 230002 });
    fake.seedMessage('om_in_out', 'oc_out');
    expect((await call('POST', '/om_in_out/reply', text())).code).toBe(230002);
    fake.chatModes.set('oc_p2p_known', 'p2p');
    expect((await create('oc_p2p_known')).code).toBe(0);
    fake.visibleUsers = new Set(['ou_in_range']);
    expect((await create('ou_in_range', text(), 'open_id')).code).toBe(0);
    expect(await create('ou_outside', text(), 'open_id')).toMatchObject({ status: 400, code: 230013 });
  });

  test('a reply needs a message Lark knows; a file message a file the bot uploaded', async () => {
    expect(await call('POST', '/om_unknown/reply', text())).toMatchObject({ status: 400, code: 230001 });
    expect(await create(chat(), { msg_type: 'file', content: JSON.stringify({ file_key: 'file_someone_elses' }) })).toMatchObject({ code: 230017 });
    // Events the fake delivers teach it their messages: the person's message, the bot's card.
    const ev = larkMessageEvent({ openId: 'ou_staff', text: '帮助', chatId: 'oc_taught' });
    fake.learnFromEvent(ev);
    expect((await call('POST', `/${ev.event.message.message_id}/reply`, text())).code).toBe(0);
    const click = larkCardActionEvent({ openId: 'ou_staff', value: { action: 'x' }, chatId: 'oc_taught', messageId: 'om_card_taught' });
    fake.learnFromEvent(click);
    expect((await call('PATCH', '/om_card_taught', { content: JSON.stringify(shared()) })).code).toBe(0);
  });

  test('Lark sends url_verification unsigned; events are signed', () => {
    const challenge = larkRequest({ type: 'url_verification', challenge: 'c', token: 't' }, { encryptKey: 'k' });
    expect(challenge.headers).not.toHaveProperty('x-lark-signature');
    expect(JSON.parse(challenge.body)).toHaveProperty('encrypt');
    const event = larkRequest(larkMessageEvent({ openId: 'ou_staff', text: 'x' }), { encryptKey: 'k' });
    expect(event.headers).toHaveProperty('x-lark-signature');
  });

  test('every refusal is kept, for tests that must see none', async () => {
    const before = fake.refusals.length;
    await create('oc_group', text(), 'open_id');
    expect(fake.refusals.slice(before)).toEqual([expect.objectContaining({ api: 'create', code: 230034 })]);
  });
});
