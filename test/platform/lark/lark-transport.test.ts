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
    transport: 'lark',
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
    const shared = (content: string) => ({ schema: '2.0', config: { update_multi: true }, body: { elements: [{ tag: 'markdown', content }] } });
    fake.seedMessage('om_card', 'oc_b', { card: shared('旧的内容') });
    const cardJson = JSON.stringify(shared('新的内容'));
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

  test('a failure Lark answered made nothing; a dropped connection or a gateway timeout may have: only those are marked unanswered', async () => {
    fake.inject({ status: 500, code: 1, msg: 'internal error' });
    expect(await transport.send(row())).not.toHaveProperty('unanswered');
    fake.inject({ drop: true });
    expect(await transport.send(row())).toMatchObject({ kind: 'retry', unanswered: true });
    fake.inject({ status: 504, code: null as unknown as number, msg: 'gateway timeout' });
    expect(await transport.send(row())).toMatchObject({ kind: 'retry', unanswered: true });
    const refused = new LarkTransport(createLarkClient({ ...config(), LARK_DOMAIN: 'http://127.0.0.1:1' }, createLogger('silent')));
    const r = await refused.send(row());
    expect(r).toMatchObject({ ok: false, kind: 'retry' });
    expect(r).not.toHaveProperty('unanswered');
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

  test('99991400 as HTTP 400 without x-ogw-ratelimit-reset is still the app’s rate limit, paused for the default time', async () => {
    fake.inject({ status: 400, code: 99991400, msg: 'request trigger frequency limit' });
    expect(await transport.send(row())).toEqual({ ok: false, kind: 'rate_limit', scope: 'app', code: 99991400, msg: 'request trigger frequency limit', retryAfterMs: undefined });
  });

  test('a request over Lark’s size limit is refused here, unsent, with Lark’s code and a reason in Chinese; the card counts as its escaped string', async () => {
    const before = fake.requests.length;
    // 18 KB of card JSON: under the 30 KB limit as stored, over it in the request, where each quote is escaped again.
    const quoted = { schema: '2.0', body: { elements: Array.from({ length: 45 }, () => ({ tag: 'markdown', content: '"'.repeat(180) + '说明' })) } };
    const content = JSON.stringify(quoted);
    expect(Buffer.byteLength(content)).toBeLessThan(20 * 1024);
    const r = await transport.send(row({ msgType: 'interactive', content, receiveId: 'oc_too_big' }));
    expect(r).toMatchObject({ ok: false, kind: 'fatal', code: 230025 });
    expect((r as { msg: string }).msg).toMatch(/^卡片的请求体 3\d\.\d KB（卡片内容按转义后的字符串计），超过飞书 30 KB 的上限，未发送$/);
    const longText = await transport.send(row({ content: JSON.stringify({ text: '信'.repeat(52_000) }), receiveId: 'oc_too_big' }));
    expect(longText).toMatchObject({ ok: false, kind: 'fatal', code: 230025, msg: expect.stringContaining('超过飞书 150 KB 的上限') });
    expect(fake.requests.length).toBe(before);
    // Just under: sent, and the fake (as strict as Lark) takes it.
    const fits = { schema: '2.0', body: { elements: Array.from({ length: 45 }, () => ({ tag: 'markdown', content: '"'.repeat(140) })) } };
    expect(await transport.send(row({ msgType: 'interactive', content: JSON.stringify(fits), receiveId: 'oc_fits' }))).toMatchObject({ ok: true });
  });

  test('a retry first tried more than an hour ago without a clear answer is held for confirmation, unsent; within the hour it goes', async () => {
    const clock = { now: Date.parse('2026-03-02T06:00:00Z') };
    const t = new LarkTransport(createLarkClient(config(), createLogger('silent')), { clock: () => clock.now });
    const before = fake.requests.length;
    const stale = row({ receiveId: 'oc_stale', attempts: 4, failingSince: '2026-03-02 04:30:00.000', unansweredSince: '2026-03-02 04:30:00.000', errorCode: null, errorMsg: 'ETIMEDOUT' });
    const held = await t.send(stale);
    expect(held).toMatchObject({ ok: false, kind: 'fatal', code: null });
    expect((held as { msg: string }).msg).toContain('飞书按 uuid 去重只保留 1 小时');
    expect(fake.requests.length).toBe(before);
    const recent = row({ receiveId: 'oc_recent', attempts: 2, failingSince: '2026-03-02 05:30:00.000', unansweredSince: '2026-03-02 05:30:00.000', errorCode: null });
    expect(await t.send(recent)).toMatchObject({ ok: true });
    // Refused outright by Lark (rate limits) all along: nothing was made, it may go.
    const limited = row({ receiveId: 'oc_limited', attempts: 9, failingSince: '2026-03-02 01:00:00.000', errorCode: 230020 });
    expect(await t.send(limited)).toMatchObject({ ok: true });
  });
});
