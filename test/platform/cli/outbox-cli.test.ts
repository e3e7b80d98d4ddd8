import type { Knex } from 'knex';
import { openDatabase } from '../../../src/platform/database/connection';
import { migrateLatest } from '../../../src/platform/database/migrate';
import { claimOutboxRows, enqueueMessage, getOutboxRow, markOutboxFailed, markOutboxSent } from '../../../src/platform/outbox/outbox-store';
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
});
