import { loadConfig } from '../../../src/platform/settings/config';
import { createLarkClient, fetchBotOpenId } from '../../../src/platform/lark/lark-client';
import { LarkTransport } from '../../../src/platform/lark/lark-transport';
import { createLogger } from '../../../src/platform/logging/logger';
import type { OutboxRow } from '../../../src/platform/outbox/outbox-store';
import { FakeLarkServer, startFakeLark } from '../../helpers/fake-lark-server';

let seq = 0;
function row(over: Partial<OutboxRow> = {}): OutboxRow {
  seq++;
  return {
    id: seq,
    uuid: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
    kind: 'create',
    receiveIdType: 'chat_id',
    receiveId: 'oc_chat',
    replyTo: null,
    messageId: null,
    msgType: 'text',
    content: JSON.stringify({ text: `第 ${seq} 条` }),
    status: 'sending',
    attempts: 0,
    nextAttemptAt: '2026-01-01 00:00:00.000',
    errorCode: null,
    errorMsg: null,
    larkMessageId: null,
    source: 'test',
    createdAt: '2026-01-01 00:00:00.000',
    sentAt: null,
    claimedBy: 'w',
    leaseUntil: null,
    ...over,
  };
}

describe('LarkTransport through the real SDK against the fake Lark server', () => {
  let fake: FakeLarkServer;
  let transport: LarkTransport;
  const config = () =>
    loadConfig({ LARK_APP_ID: fake.appId, LARK_APP_SECRET: fake.appSecret, LARK_DOMAIN: fake.url, LOG_LEVEL: 'silent' });

  beforeAll(async () => {
    fake = await startFakeLark();
    transport = new LarkTransport(createLarkClient(config(), createLogger('silent')));
  });
  afterAll(async () => {
    await fake.close();
  });

  test('fetches a tenant_access_token once and reuses it; the bot info answers', async () => {
    expect(await transport.send(row())).toMatchObject({ ok: true });
    expect(await transport.send(row())).toMatchObject({ ok: true });
    expect(fake.tokenRequests).toBe(1);
    const handle = createLarkClient(config(), createLogger('silent'));
    expect(await fetchBotOpenId(handle.client)).toBe(fake.botOpenId);
  });

  test('a wrong app secret sends nothing and is retried later, not failed', async () => {
    const bad = new LarkTransport(
      createLarkClient(loadConfig({ LARK_APP_ID: fake.appId, LARK_APP_SECRET: 'wrong', LARK_DOMAIN: fake.url, LOG_LEVEL: 'silent' }), createLogger('silent')),
    );
    const before = fake.messages.length;
    expect(await bad.send(row())).toMatchObject({ ok: false, kind: 'retry' });
    expect(fake.messages.length).toBe(before);
  });

  test('create to a chat and to a person, reply to a message, patch a card', async () => {
    const r1 = await transport.send(row({ receiveId: 'oc_a' }));
    const r2 = await transport.send(row({ receiveIdType: 'open_id', receiveId: 'ou_person' }));
    fake.seedMessage('om_question', 'oc_b');
    const r3 = await transport.send(row({ kind: 'reply', replyTo: 'om_question', receiveId: 'oc_b' }));
    const cardJson = JSON.stringify({ schema: '2.0', body: { elements: [{ tag: 'markdown', content: '新的内容' }] } });
    const r4 = await transport.send(row({ kind: 'patch', messageId: 'om_card', msgType: 'interactive', content: cardJson, receiveId: null }));
    for (const r of [r1, r2, r3, r4]) expect(r.ok).toBe(true);
    const a = fake.messagesTo('oc_a')[0];
    expect(a).toMatchObject({ kind: 'create', receive_id_type: 'chat_id', msg_type: 'text' });
    expect(r1).toEqual({ ok: true, messageId: a.message_id });
    expect(fake.messages.find((m) => m.receive_id === 'ou_person')?.receive_id_type).toBe('open_id');
    expect(fake.messagesTo('oc_b')[0]).toMatchObject({ kind: 'reply', reply_to: 'om_question' });
    expect(fake.patches.at(-1)).toMatchObject({ message_id: 'om_card', content: cardJson });
  });

  test('a create or a reply carries the row’s uuid, Lark’s idempotency key, so a row sent again is the same message', async () => {
    const r = row({ receiveId: 'oc_uuid' });
    const first = await transport.send(r);
    const second = await transport.send(r);
    expect(fake.messagesTo('oc_uuid').map((m) => m.uuid)).toEqual([r.uuid]);
    expect(second).toEqual(first);
    expect(first).toEqual({ ok: true, messageId: fake.messagesTo('oc_uuid')[0].message_id });
    fake.seedMessage('om_asked', 'oc_uuid_reply');
    const reply = row({ kind: 'reply', replyTo: 'om_asked', receiveId: 'oc_uuid_reply' });
    await transport.send(reply);
    expect(fake.messagesTo('oc_uuid_reply').map((m) => m.uuid)).toEqual([reply.uuid]);
  });

  test('rate-limit answers: 99991400 (429) pauses the app, 230020 the chat, both with x-ogw-ratelimit-reset', async () => {
    fake.inject({ status: 429, code: 99991400, msg: 'request trigger frequency limit', headers: { 'x-ogw-ratelimit-reset': '3' } });
    expect(await transport.send(row())).toEqual({
      ok: false, kind: 'rate_limit', scope: 'app', code: 99991400, msg: 'request trigger frequency limit', retryAfterMs: 3000,
    });
    fake.inject({ status: 400, code: 230020, msg: 'This operation triggers the frequency limit.', headers: { 'x-ogw-ratelimit-reset': '1' } });
    expect(await transport.send(row())).toMatchObject({ ok: false, kind: 'rate_limit', scope: 'chat', code: 230020, retryAfterMs: 1000 });
  });

  test('5xx and dropped connections are retried; a 200 or 400 carrying an error code fails with Lark’s code and message', async () => {
    fake.inject({ status: 503, code: 1, msg: 'service unavailable' });
    expect(await transport.send(row())).toMatchObject({ ok: false, kind: 'retry', code: 1 });
    fake.inject({ drop: true });
    expect(await transport.send(row())).toMatchObject({ ok: false, kind: 'retry', code: null });
    fake.inject({ status: 200, code: 230002, msg: 'Bot is not in the chat.' });
    expect(await transport.send(row())).toEqual({ ok: false, kind: 'fatal', code: 230002, msg: 'Bot is not in the chat.' });
    fake.inject({ status: 400, code: 230001, msg: 'invalid request parameter' });
    expect(await transport.send(row())).toMatchObject({ ok: false, kind: 'fatal', code: 230001 });
  });

  test('an expired token (99991663) is dropped, and the next send fetches a new one', async () => {
    const before = fake.tokenRequests;
    fake.revokeTokens();
    expect(await transport.send(row())).toMatchObject({ ok: false, kind: 'retry', code: 99991663 });
    expect(await transport.send(row({ receiveId: 'oc_after_token' }))).toMatchObject({ ok: true });
    expect(fake.tokenRequests).toBe(before + 1);
    expect(fake.messagesTo('oc_after_token')).toHaveLength(1);
  });

  test('a file is uploaded, then sent as a file message', async () => {
    const content = JSON.stringify({ name: '督办函.docx', mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', base64: Buffer.from('PK fake docx').toString('base64') });
    const r = await transport.send(row({ msgType: 'file', content, receiveId: 'oc_file' }));
    expect(r.ok).toBe(true);
    const m = fake.messagesTo('oc_file')[0];
    expect(m.msg_type).toBe('file');
    expect(JSON.parse(m.content).file_key).toBe(fake.files.at(-1)!.file_key);
  });
});
