import type { App } from '../../src/app';
import { seedDemo } from '../../src/demo/seed-demo';
import { replyMessage } from '../../src/platform/inbound/reply-messages';
import { createOutboxWorker } from '../../src/platform/lark/outbox-sender';
import { LarkTransport } from '../../src/platform/lark/lark-transport';
import { enqueueMessages } from '../../src/platform/outbox/outbox-store';
import type { OutboxRow } from '../../src/platform/outbox/outbox-store';
import { makeTestApp, say } from '../helpers/app';
import { freshDb, testDialects } from '../helpers/db';
import { FakeLarkServer, startFakeLark } from '../helpers/fake-lark-server';
import { larkTransportTo } from '../helpers/lark-transport';

/**
 * 统计 and 统计 导出 as Lark gets them: the replies queued as the Lark channel queues them and sent
 * by the real transport (the SDK) to the strict fake, which refuses what Lark refuses — a chart it
 * cannot draw, a card over 30 KB, a file of a type or size Lark does not take.
 */
describe('the statistics card and workbook through the real Lark transport', () => {
  let app: App;
  let fake: FakeLarkServer;
  let transport: LarkTransport;
  const now = new Date('2026-12-02T02:00:00Z');

  beforeAll(async () => {
    const { db, url } = await freshDb(testDialects()[0]);
    app = await makeTestApp({ db, url, now: () => now });
    await seedDemo(app.core);
    fake = await startFakeLark();
    transport = larkTransportTo(fake);
  }, 120_000);
  afterAll(async () => {
    await app?.core.db.destroy();
    await fake?.close();
  });

  async function sendAll(chat: string, texts: Array<[string, string]>): Promise<void> {
    const msgs = [];
    for (const [user, t] of texts) for (const r of await say(app, user, t)) msgs.push({ ...replyMessage({ receiveIdType: 'chat_id', receiveId: chat }, r, 1), transport: 'lark' });
    await enqueueMessages(app.core.db, msgs);
    await createOutboxWorker(app.core, transport).runUntilIdle(60_000);
  }

  test('统计 for a year, a quarter, a month and a range: every card with its charts is taken', async () => {
    await sendAll('oc_stats_cards', [['staff1', '统计 2026'], ['county01', '统计 2026Q3'], ['admin', '统计 2026-10'], ['admin', '统计 2025-12-01..2026-02-28']]);
    expect(fake.refusals).toEqual([]);
    const cards = fake.messagesTo('oc_stats_cards').map((m) => JSON.parse(m.content));
    expect(cards).toHaveLength(4);
    const chartCounts = cards.map((c) => c.body.elements.filter((e: { tag: string }) => e.tag === 'chart').length);
    expect(chartCounts).toEqual([4, 4, 3, 4]); // a single month has no per-month chart
  });

  test('统计 导出: the workbook is uploaded as an xls file and sent as a file message, after its line of text', async () => {
    const before = fake.files.length;
    await sendAll('oc_stats_file', [['staff1', '统计 导出 2026']]);
    expect(fake.refusals).toEqual([]);
    const sent = fake.messagesTo('oc_stats_file');
    expect(sent.map((m) => m.msg_type)).toEqual(['text', 'file']);
    expect(JSON.parse(sent[1].content).file_key).toBe(fake.files.at(-1)!.file_key);
    expect(fake.files.length).toBe(before + 1);
    expect(fake.files.at(-1)).toMatchObject({ file_type: 'xls', file_name: '信访统计-2026年.xlsx' });
    expect(fake.files.at(-1)!.bytes).toBeGreaterThan(5_000);
  });

  test('the fake takes only what Lark takes: no empty file, no unknown file_type (the SDK called directly)', async () => {
    const row = (content: string): OutboxRow => ({
      id: 999_001, uuid: '00000000-0000-4000-8000-000000999001', kind: 'create', receiveIdType: 'chat_id', receiveId: 'oc_stats_bad', replyTo: null,
      messageId: null, msgType: 'file', content, status: 'sending', attempts: 0, nextAttemptAt: '2026-01-01 00:00:00.000', errorCode: null, errorMsg: null,
      larkMessageId: null, source: 'test', createdAt: '2026-01-01 00:00:00.000', sentAt: null, transport: 'lark', claimedBy: 'w', leaseUntil: null,
    });
    // The transport refuses an empty file itself, unsent …
    const uploads = fake.files.length;
    const empty = await transport.send(row(JSON.stringify({ name: '信访统计-2026年.xlsx', mime: 'application/vnd.ms-excel', base64: '' })));
    expect(empty).toMatchObject({ ok: false, kind: 'fatal', msg: '文件为空' });
    expect(fake.files.length).toBe(uploads);
    expect(fake.messagesTo('oc_stats_bad')).toEqual([]);

    // … and the fake refuses what Lark refuses when a caller does not check.
    const client = (transport as unknown as { lark: { client: any } }).lark.client;
    const upload = (data: Record<string, unknown>) => client.im.v1.file.create({ data }).catch((e: any) => e?.response?.data);
    expect(await upload({ file_type: 'xlsx', file_name: 'a.xlsx', file: Buffer.from('PK') })).toMatchObject({ code: 234001 });
    expect(await upload({ file_type: 'xls', file_name: 'a.xlsx', file: Buffer.alloc(0) })).toMatchObject({ code: 234010 });
    expect(fake.files.length).toBe(uploads);
    const ok = await client.im.v1.file.create({ data: { file_type: 'xls', file_name: 'a.xlsx', file: Buffer.from('PK') } });
    expect(ok?.file_key ?? ok?.data?.file_key).toMatch(/^file_/);
  });

  test('the monthly report job’s card to the bureau group is taken too', async () => {
    const job = app.jobs.find((j) => j.name === 'stats-monthly')!;
    await job.run(new Date('2026-12-01T01:00:00Z'));
    const rows = await app.core.db('outbox').where('source', 'like', 'stats:%');
    expect(rows.length).toBeGreaterThan(0);
    await app.core.db('outbox').where('source', 'like', 'stats:%').update({ transport: 'lark' });
    await createOutboxWorker(app.core, transport).runUntilIdle(60_000);
    expect(fake.refusals).toEqual([]);
    const toBureau = fake.messagesTo('oc_bureau');
    expect(toBureau.some((m) => m.msg_type === 'interactive' && JSON.parse(m.content).header.title.content.includes('2026年11月'))).toBe(true);
  });
});
