import { buildApp } from '../../../src/app';
import { openDatabase } from '../../../src/platform/database/connection';
import { migrateLatest } from '../../../src/platform/database/migrate';
import { xinfang } from '../../helpers/cli';
import { tempSqliteUrl } from '../../helpers/db';
import { caseWithDeadline, seedDirectory, testCore } from '../../reminders/fixtures';

describe('xinfang jobs / reminders', () => {
  const url = tempSqliteUrl();
  const env = { DATABASE_URL: url };
  let jobNames: string[] = [];

  beforeAll(async () => {
    const db = await openDatabase(url);
    await migrateLatest(db);
    const core = await testCore(db, env);
    await seedDirectory(core);
    await caseWithDeadline(db, { caseNo: '2025-001001', leaderId: 'ld-1' }, 'conclusion', '2025-10-09');
    jobNames = buildApp(core).jobs.map((j) => j.name);
    await db.destroy();
  });

  test('jobs list shows every feature\'s jobs with their schedule, never run yet', async () => {
    const r = await xinfang(['jobs', 'list'], env);
    expect(r.code).toBe(0);
    expect(jobNames).toEqual(expect.arrayContaining(['reminders', 'digest']));
    for (const name of jobNames) expect(r.stdout).toMatch(new RegExp(`^${name}\\t`, 'm'));
    expect(r.stdout).toContain('reminders\t0 9-17 * * *（北京时间）');
    expect(r.stdout).toContain('digest\t0 9 * * *（北京时间）');
    expect(r.stdout).toContain('从未运行');
  });

  test('a past --now is refused without --force: it would send, late, what was true then; nothing is recorded or queued', async () => {
    const r = await xinfang(['jobs', 'run', 'reminders', '--now', '2025-10-10T09:00'], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--now 2025-10-10 09:00 早于当前时间');
    expect(r.stderr).toContain('期限提醒');
    expect(r.stderr).toContain('剩余工作日');
    expect(r.stderr).toContain('未发送任何消息');
    expect(r.stderr).toContain('--force');
    expect(r.stdout).toBe('');
    const db = await openDatabase(url);
    expect(await db('outbox')).toEqual([]);
    expect(await db('reminders')).toEqual([]);
    expect(await db('job_runs')).toEqual([]);
    await db.destroy();
    // So is the digest's, for the same reason.
    expect((await xinfang(['jobs', 'run', 'digest', '--now', '2025-10-13T09:00'], env)).code).toBe(2);
  });

  test('jobs run reminders --now … --force runs as if at that moment, and quiet hours hold', async () => {
    const night = await xinfang(['jobs', 'run', 'reminders', '--now', '2025-10-09T22:00', '--force'], env);
    expect(night.code).toBe(0);
    expect(night.stdout).toContain('非工作时间');
    expect(night.stdout).toContain('2025年10月10日（周五） 09:00');

    const r = await xinfang(['jobs', 'run', 'reminders', '--now', '2025-10-10T09:00', '--force'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/按 2025-10-10 09:00 计，补发于 \d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
    expect(r.stdout).toContain('本次记录 1 条提醒');
    expect(r.stdout).toContain('标明了“【补发】”');
    // Again at the same moment: recorded already, nothing more.
    expect((await xinfang(['jobs', 'run', 'reminders', '--now', '2025-10-10T01:30:00Z', '--force'], env)).stdout).toContain('本次记录 0 条提醒');
  });

  test('with --force every reminder card in the outbox says 补发, when it was due and when it went out', async () => {
    const db = await openDatabase(url);
    const rows = await db('outbox').where('source', 'like', 'reminder:%');
    await db.destroy();
    expect(rows.length).toBe(2); // the unit's group and the supervision group
    for (const r of rows) {
      const c = JSON.parse(r.content);
      expect(c.header.title.content).toBe('【补发】信访事项已逾期：2025-001001');
      expect(c.body.elements[0].content).toMatch(/^\*\*【补发】\*\*本消息原定 2025年10月10日 09:00 发送，补发于 \d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}；其中的期限、剩余时间等均按原定时刻计算/);
      // The card's own facts are still there, after the mark.
      expect(JSON.stringify(c.body.elements.slice(1))).toContain('已逾期 1 个工作日');
    }
  });

  test('reminders list: one entry per recorded reminder with case number, deadline, step, due time, status', async () => {
    const r = await xinfang(['reminders', 'list'], env);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toBe('2025-001001\t办结期限（2025-10-09）\t逾期 1 个工作日\t2025-10-10 09:00\t待发送\tunit+supervision');
    const json = JSON.parse((await xinfang(['reminders', 'list', '--json'], env)).stdout);
    expect(json).toEqual([
      expect.objectContaining({
        caseNo: '2025-001001', kind: 'conclusion', step: 'overdue-1', dueDate: '2025-10-09', dueAt: '2025-10-10T01:00:00.000Z', status: 'queued', level: 1,
      }),
    ]);
  });

  test('jobs run digest, then jobs list shows last run and outcome', async () => {
    const r = await xinfang(['jobs', 'run', 'digest', '--now', '2025-10-13T09:00+08:00', '--force'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('已向 1 个信访局群发送 2025-10-13 日报');
    const db = await openDatabase(url);
    const [digestRow] = await db('outbox').where({ source: 'digest:2025-10-13' });
    await db.destroy();
    expect(JSON.parse(digestRow.content).header.title.content).toBe('【补发】信访期限日报 2025年10月13日（周一）');
    const list = await xinfang(['jobs', 'list'], env);
    expect(list.stdout).toMatch(/digest\t[^\n]*\n {2}下次运行：[^\n]*\n {2}上次运行：.*（手动，按 2025-10-13 09:00 计） {2}成功 {2}已向 1 个信访局群发送/);
    expect(list.stdout).toMatch(/reminders\t[^\n]*\n {2}下次运行：[^\n]*\n {2}上次运行：.*成功 {2}读取到期期限/);
    const json = JSON.parse((await xinfang(['jobs', 'list', '--json'], env)).stdout);
    const digest = json.find((j: { name: string }) => j.name === 'digest');
    expect(digest).toMatchObject({ schedule: '0 9 * * *', timezone: 'Asia/Shanghai', lastRun: { status: 'ok', origin: 'manual', asOf: '2025-10-13T01:00:00.000Z' } });
  });

  test('an unknown job or a bad --now exits 2 with a Chinese message and runs nothing', async () => {
    const unknown = await xinfang(['jobs', 'run', 'nosuchjob'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('没有名为“nosuchjob”的任务');
    expect(unknown.stderr).toContain('reminders');
    for (const bad of ['2025-10-10', 'tomorrow', '2025-13-01T09:00', '2025-02-30T09:00']) {
      const r = await xinfang(['jobs', 'run', 'reminders', '--now', bad], env);
      expect([bad, r.code]).toEqual([bad, 2]);
      expect(r.stderr).toContain('--now');
    }
  });

  test('a --now a few minutes back is on time: it runs without --force and marks nothing late', async () => {
    const r = await xinfang(['jobs', 'run', 'reminders', '--now', new Date(Date.now() - 3 * 60_000).toISOString()], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('已运行');
    expect(r.stdout).not.toContain('补发');
  });

  test('a --now in the future is refused without --force, since it would send real messages early', async () => {
    const before = JSON.parse((await xinfang(['reminders', 'list', '--json'], env)).stdout).length;
    const future = new Date(Date.now() + 3 * 86_400_000).toISOString();
    const r = await xinfang(['jobs', 'run', 'reminders', '--now', future], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--force');
    expect(JSON.parse((await xinfang(['reminders', 'list', '--json'], env)).stdout)).toHaveLength(before);
    expect((await xinfang(['jobs', 'run', 'reminders', '--now', future, '--force'], env)).code).toBe(0);
  });
});
