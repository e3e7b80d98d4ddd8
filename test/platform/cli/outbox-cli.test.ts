import type { Knex } from 'knex';
import { openDatabase } from '../../../src/platform/database/connection';
import { migrateLatest } from '../../../src/platform/database/migrate';
import { claimOutboxRows, enqueueMessage, getOutboxRow, markOutboxFailed, markOutboxSent } from '../../../src/platform/outbox/outbox-store';
import { toDbTime } from '../../../src/platform/database/time';
import { xinfang } from '../../helpers/cli';
import { tempSqliteUrl } from '../../helpers/db';
import { FakeLarkServer, startFakeLark } from '../../helpers/fake-lark-server';

describe('xinfang outbox list / retry', () => {
  const url = tempSqliteUrl();
  let db: Knex;
  let fake: FakeLarkServer;
  let env: Record<string, string>;
  let failed: number;
  let sent: number;

  beforeAll(async () => {
    fake = await startFakeLark();
    env = { DATABASE_URL: url, LARK_APP_ID: fake.appId, LARK_APP_SECRET: fake.appSecret, LARK_DOMAIN: fake.url };
    db = await openDatabase(url);
    await migrateLatest(db);
    failed = await enqueueMessage(db, { receiveId: 'oc_unit', msgType: 'text', content: { text: '身份证 441823199001016012 的案件已交办' }, source: 'case:7' });
    sent = await enqueueMessage(db, { receiveId: 'oc_other', msgType: 'text', content: { text: '已发' }, source: 'reminder:3' });
    await enqueueMessage(db, { receiveId: 'oc_wait', msgType: 'text', content: { text: '待发' } });
    const now = new Date(Date.now() + 1);
    await claimOutboxRows(db, [failed, sent], 'w#1', now, new Date(now.getTime() + 60_000));
    await markOutboxFailed(db, failed, 'w#1', 230002, 'Bot is not in the chat.');
    await markOutboxSent(db, sent, 'w#1', 'om_x', now);
  });
  afterAll(async () => {
    await db.destroy();
    await fake.close();
  });

  test('list shows every message with its status and error, never its content', async () => {
    const r = await xinfang(['outbox', 'list'], env);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(3);
    expect(r.stdout).toMatch(new RegExp(`#${failed}\\t失败.*230002 Bot is not in the chat\\.`));
    expect(r.stdout).toContain('已发送');
    expect(r.stdout).toContain('待发送');
    expect(r.stdout).not.toContain('441823');
  });

  test('list --failed --json gives only failed rows, with code and message, without content', async () => {
    const r = await xinfang(['outbox', 'list', '--failed', '--json'], env);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: failed, status: 'failed', errorCode: 230002, errorMsg: 'Bot is not in the chat.', source: 'case:7' });
    expect(rows[0].content).toBeUndefined();
    expect(r.stdout).not.toContain('441823');
  });

  test('retry sends a failed message again, with the same uuid', async () => {
    const uuid = (await getOutboxRow(db, failed))!.uuid;
    const r = await xinfang(['outbox', 'retry', String(failed)], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('已重新发送');
    expect(await getOutboxRow(db, failed)).toMatchObject({ status: 'sent', uuid });
    expect(fake.messagesTo('oc_unit')).toHaveLength(1);
    expect(fake.messagesTo('oc_unit')[0].uuid).toBe(uuid);
    const none = await xinfang(['outbox', 'list', '--failed'], env);
    expect(none.stdout).toContain('没有发送失败的消息');
  });

  test('retry refuses a bad id, an unknown one, and a row that did not fail, changing nothing', async () => {
    for (const [arg, msg] of [['abc', '无效'], ['0', '无效'], ['99999', '没有编号'], [String(sent), '只有发送失败的消息']]) {
      const r = await xinfang(['outbox', 'retry', arg], env);
      expect([arg, r.code]).toEqual([arg, 2]);
      expect(r.stderr).toContain(msg);
    }
    expect(await getOutboxRow(db, sent)).toMatchObject({ status: 'sent', larkMessageId: 'om_x' });
  });

  test('retry of a Lark message on a machine without the Lark settings refuses, says why, and changes nothing', async () => {
    const id = await enqueueMessage(db, { receiveId: 'oc_prod', msgType: 'text', content: { text: 'x' } });
    const now = new Date();
    await claimOutboxRows(db, [id], 'w#3', now, new Date(now.getTime() + 60_000));
    await markOutboxFailed(db, id, 'w#3', 500, 'internal error');
    const before = await getOutboxRow(db, id);
    const r = await xinfang(['outbox', 'retry', String(id)], { DATABASE_URL: url });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`消息 #${id} 是飞书消息`);
    expect(r.stderr).toContain('本机没有飞书应用的设置（LARK_APP_ID、LARK_APP_SECRET）');
    expect(r.stderr).toContain('未做任何改动');
    expect(await getOutboxRow(db, id)).toEqual(before);
    expect(fake.messagesTo('oc_prod')).toHaveLength(0);
    const list = await xinfang(['outbox', 'list', '--json'], { DATABASE_URL: url });
    expect(JSON.parse(list.stdout).find((x: any) => x.id === id)).toMatchObject({ status: 'failed', transport: 'lark' });
  });

  test('a retry that fails again says so and exits 1', async () => {
    const id = await enqueueMessage(db, { receiveId: 'oc_gone', msgType: 'text', content: { text: 'x' } });
    const now = new Date();
    await claimOutboxRows(db, [id], 'w#2', now, new Date(now.getTime() + 60_000));
    await markOutboxFailed(db, id, 'w#2', 230002, 'Bot is not in the chat.');
    fake.inject({ status: 200, code: 230002, msg: 'Bot is not in the chat.' });
    const r = await xinfang(['outbox', 'retry', String(id)], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('230002');
    expect((await getOutboxRow(db, id))!.status).toBe('failed');
  });

  describe('retry --failed [--since]', () => {
    /** A failed row of the transport, failed at `failedAt`. */
    const failedRow = async (chat: string, failedAt: Date, transport = 'lark') => {
      const id = await enqueueMessage(db, { receiveId: chat, msgType: 'text', content: { text: chat }, transport });
      const now = new Date(Date.now() + 1);
      expect(await claimOutboxRows(db, [id], `w#f${id}`, now, new Date(now.getTime() + 60_000))).toHaveLength(1);
      await markOutboxFailed(db, id, `w#f${id}`, 500, 'internal error', true, failedAt);
      return id;
    };
    beforeEach(async () => {
      await db('outbox').where('status', 'failed').delete();
    });

    test('re-queues every failed Lark message in one go, keeping its uuid; rows of the console are left, and said so', async () => {
      const ids = [await failedRow('oc_f1', new Date('2026-03-01T01:00:00Z')), await failedRow('oc_f2', new Date())];
      const sandbox = await failedRow('console:f3', new Date(), 'console');
      const uuids = await Promise.all(ids.map(async (id) => (await getOutboxRow(db, id))!.uuid));
      const r = await xinfang(['outbox', 'retry', '--failed'], env);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('已重新排队 2 条发送失败的飞书消息，沿用原 uuid');
      expect(r.stdout).toContain('另有 1 条失败的消息属于控制台（沙盒）通道');
      for (const [i, id] of ids.entries()) expect(await getOutboxRow(db, id)).toMatchObject({ status: 'pending', attempts: 0, uuid: uuids[i], errorMsg: null });
      expect((await getOutboxRow(db, sandbox))!.status).toBe('failed');
      const again = await xinfang(['outbox', 'retry', '--failed'], env);
      expect(again.stdout).toContain('没有发送失败的飞书消息');
    });

    test('--since takes only what failed from then on (a date is Shanghai midnight)', async () => {
      const old = await failedRow('oc_old', new Date('2026-03-01T15:59:00Z')); // 2026-03-01 23:59 Shanghai
      const recent = await failedRow('oc_new', new Date('2026-03-01T16:00:00Z')); // 2026-03-02 00:00 Shanghai
      const r = await xinfang(['outbox', 'retry', '--failed', '--since', '2026-03-02'], env);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('已重新排队 1 条发送失败的飞书消息（2026-03-02 00:00 以来失败的）');
      expect((await getOutboxRow(db, recent))!.status).toBe('pending');
      expect((await getOutboxRow(db, old))!.status).toBe('failed');
    });

    test('a message Lark may have made (its first failed try over an hour ago, no clear answer) waits for --yes', async () => {
      const unsure = await failedRow('oc_unsure', new Date());
      await db('outbox').where({ id: unsure }).update({ failing_since: toDbTime(new Date(Date.now() - 2 * 3_600_000)), unanswered_since: toDbTime(new Date(Date.now() - 2 * 3_600_000)), error_code: null });
      const plain = await failedRow('oc_plain', new Date());
      const r = await xinfang(['outbox', 'retry', '--failed'], env);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('已重新排队 1 条发送失败的飞书消息');
      expect(r.stdout).toContain(`另有 1 条（#${unsure}）发送时没有等到飞书的答复已超过 1 小时`);
      expect(r.stdout).toContain('加 --yes 全部重排');
      expect((await getOutboxRow(db, unsure))!.status).toBe('failed');
      expect((await getOutboxRow(db, plain))!.status).toBe('pending');
      const yes = await xinfang(['outbox', 'retry', '--failed', '--yes'], env);
      expect(yes.stdout).toContain('已重新排队 1 条发送失败的飞书消息');
      expect(await getOutboxRow(db, unsure)).toMatchObject({ status: 'pending', failingSince: null });
    });

    test('one message Lark may have made is not sent again without --yes, and it says why; with --yes it goes', async () => {
      const unsure = await failedRow('oc_unsure1', new Date());
      const twoHoursAgo = toDbTime(new Date(Date.now() - 2 * 3_600_000));
      await db('outbox').where({ id: unsure }).update({ failing_since: twoHoursAgo, unanswered_since: twoHoursAgo, error_code: null });
      const sentBefore = fake.requests.length;
      const r = await xinfang(['outbox', 'retry', String(unsure)], env);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('飞书可能已经收到');
      expect(r.stderr).toContain(`xinfang outbox retry ${unsure} --yes`);
      expect((await getOutboxRow(db, unsure))!.status).toBe('failed');
      expect(fake.requests.length).toBe(sentBefore);
      const yes = await xinfang(['outbox', 'retry', String(unsure), '--yes'], env);
      expect(yes.code).toBe(0);
      expect((await getOutboxRow(db, unsure))!.status).toBe('sent');
    });

    test('bad use is refused with exit 2 and changes nothing', async () => {
      const id = await failedRow('oc_keep', new Date());
      for (const [args, msg] of [
        [['--failed', '--since', '昨天'], '--since “昨天”无效'],
        [['--failed', '--since', '2026-02-30'], '--since “2026-02-30”无效'],
        [['--since', '2026-03-02'], '--since 只能与 --failed 一起用'],
        [['--yes'], '请给出消息编号'],
        [[String(id), '--failed'], '不能同时给出编号'],
        [[], '请给出消息编号'],
      ] as const) {
        const r = await xinfang(['outbox', 'retry', ...args], env);
        expect([args, r.code]).toEqual([args, 2]);
        expect(r.stderr).toContain(msg);
      }
      expect((await getOutboxRow(db, id))!.status).toBe('failed');
    });

    test('on a machine without the Lark settings, Lark messages are not re-queued, and it says where to do it', async () => {
      const id = await failedRow('oc_prod2', new Date());
      const r = await xinfang(['outbox', 'retry', '--failed'], { DATABASE_URL: url });
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('没有发送失败的控制台（沙盒）消息');
      expect(r.stdout).toContain('另有 1 条失败的消息属于飞书通道，本机（控制台（沙盒））不会发送，未做改动：请在配置了飞书应用');
      expect((await getOutboxRow(db, id))!.status).toBe('failed');
    });
  });
});
