import type { Knex } from 'knex';
import { outboxFindings } from '../../../src/platform/doctor/outbox-checks';
import { claimOutboxRows, enqueueMessage, markOutboxFailed, markOutboxRetry } from '../../../src/platform/outbox/outbox-store';
import { loadConfig } from '../../../src/platform/settings/config';
import { xinfang } from '../../helpers/cli';
import { freshDb, testDialects } from '../../helpers/db';

const NOW = new Date('2026-03-09T02:00:00Z'); // 2026-03-09 10:00 Shanghai
const ago = (ms: number) => new Date(NOW.getTime() - ms);
const lark = loadConfig({ LARK_APP_ID: 'cli_x', LARK_APP_SECRET: 's', LOG_LEVEL: 'silent' });

describe.each(testDialects())('doctor: the outbox, on $name', (dialect) => {
  let db: Knex;
  beforeAll(async () => {
    ({ db } = await freshDb(dialect));
  });
  afterAll(async () => {
    await db.destroy();
  });
  beforeEach(async () => {
    await db('outbox').delete();
  });

  const queue = (chat: string, at: Date, transport = 'lark') => enqueueMessage(db, { receiveId: chat, msgType: 'text', content: { text: 'x' }, transport }, at);
  const take = async (id: number, at: Date) => {
    expect(await claimOutboxRows(db, [id], `w#${id}`, at, new Date(at.getTime() + 60_000))).toHaveLength(1);
    return `w#${id}`;
  };

  test('all sent: nothing to say', async () => {
    expect(await outboxFindings({ db, config: lark }, NOW)).toEqual([]);
  });

  test('a backlog Lark keeps refusing: how many, how long, why, and that it drains by itself once Lark answers', async () => {
    for (let i = 0; i < 3; i++) {
      const id = await queue(`oc_${i}`, ago(20 * 60_000));
      const t = ago(19 * 60_000);
      await markOutboxRetry(db, id, await take(id, t), { nextAttemptAt: ago(-60_000), code: 500, msg: 'HTTP 500', countAttempt: true, now: t });
    }
    const [f] = await outboxFindings({ db, config: lark }, NOW);
    expect(f).toMatchObject({ area: '发件箱', severity: 'error' });
    expect(f.problem).toBe('3 条飞书消息等待发送，最早的已等待 19 分钟；其中 3 条发送失败、正在按退避重试（500 HTTP 500（3 条））。连续 6 小时发不出的消息将记为失败。');
    expect(f.fix).toContain('检查服务器能否访问飞书开放平台');
    expect(f.fix).toContain('自动按发送限额发出');
  });

  test('messages that failed this week: counted with their commonest reasons and the command that re-queues them', async () => {
    for (const [chat, at] of [['oc_a', ago(86_400_000)], ['oc_b', ago(3_600_000)], ['oc_old', ago(8 * 86_400_000)]] as const) {
      const id = await queue(chat, ago(9 * 86_400_000));
      await markOutboxFailed(db, id, await take(id, ago(9 * 86_400_000 - 1)), 230002, 'Bot is not in the chat.', true, at);
    }
    const findings = await outboxFindings({ db, config: lark }, NOW);
    expect(findings).toHaveLength(1);
    expect(findings[0].problem).toBe('过去 7 天有 2 条飞书消息发送失败，收件人没有收到（230002 Bot is not in the chat.（2 条））。');
    expect(findings[0].fix).toContain('xinfang outbox retry --failed --since 2026-03-02');
  });

  test('rows of another transport are never sent here, and it says so', async () => {
    await queue('console:x', ago(60_000), 'console');
    const [f] = await outboxFindings({ db, config: lark }, NOW);
    expect(f).toMatchObject({ area: '发件箱', severity: 'warning' });
    expect(f.problem).toBe('1 条待发送的消息属于控制台（沙盒）通道；本机的发送通道是飞书，不会发送它们。');
  });
});

describe('xinfang doctor runs the outbox check', () => {
  test('a failed message makes doctor exit 1 with the 发件箱 finding', async () => {
    const { db, url } = await freshDb(testDialects()[0]);
    const id = await enqueueMessage(db, { receiveId: 'console:u', msgType: 'text', content: { text: 'x' }, transport: 'console' });
    const now = new Date(Date.now() + 1);
    await claimOutboxRows(db, [id], 'c#1', now, new Date(now.getTime() + 60_000));
    await markOutboxFailed(db, id, 'c#1', null, '卡片过大');
    await db.destroy();
    const r = await xinfang(['doctor', '--json'], { DATABASE_URL: url });
    expect(r.code).toBe(1);
    const outbox = JSON.parse(r.stdout).findings.filter((f: any) => f.area === '发件箱');
    expect(outbox).toHaveLength(1);
    expect(outbox[0].problem).toContain('过去 7 天有 1 条控制台（沙盒）消息发送失败');
  });
});
