import type { Knex } from 'knex';
import type { Core } from '../../../src/platform/core/feature';
import { FeedTokenStore } from '../../../src/feeds/feed-token-store';
import { loadReferenceData } from '../../../src/platform/settings/reference-data';
import { xinfang } from '../../helpers/cli';
import { freshDb, testDialects } from '../../helpers/db';
import { MINI_LEADERS, MINI_VENUES, MONDAY, seedMiniCounty, testCore } from '../../roster/fixtures';
import { lastKnownYear } from './fixtures';

const year = lastKnownYear();

describe('xinfang doctor on the demo county', () => {
  const env: Record<string, string> = {};
  let db: Knex;

  beforeAll(async () => {
    const fresh = await freshDb(testDialects()[0]);
    db = fresh.db;
    env.DATABASE_URL = fresh.url;
    const demo = await xinfang(['demo'], env);
    expect(demo.code).toBe(0);
  }, 120_000);
  afterAll(async () => {
    await db.destroy();
  });

  test('from 1 November: next year’s holidays missing, no director for escalation, feeds without tokens — each with its fix, exit 1', async () => {
    const r = await xinfang(['doctor', '--now', `${year}-11-05T09:00`], env);
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe(`系统检查（${year}-11-05 09:00）：发现 4 项需要处理（错误 2 项，提醒 2 项）。`);
    expect(lines[1]).toBe(`1. 【错误】节假日：明年（${year + 1} 年）的节假日安排尚未导入：跨入 ${year + 1} 年的办理期限和接访计划暂按周末推算（暂定），元旦、春节前后的期限、提醒和接访日可能不准。`);
    expect(lines[2]).toContain('处理：');
    expect(lines[2]).toContain('xinfang holidays import');
    expect(lines[3]).toContain('2. 【错误】期限提醒：');
    expect(lines[3]).toContain('没有设置 DIRECTOR_USER_ID，也没有职务含“局长”的管理员');
    expect(lines[4]).toContain('DIRECTOR_USER_ID=');
    expect(r.stdout).toMatch(/【提醒】日历订阅：\d+ 位接访领导还没有日历订阅链接/);
    expect(r.stdout).toMatch(/【提醒】日历订阅：\d+ 个接访地点还没有日历订阅链接/);
    // The demo registers every unit's group and every leader as a user: nothing to say there.
    expect(r.stdout).not.toContain('群聊');
    expect(r.stdout).not.toContain('接访领导没有登记为用户');
  });

  test('before 1 November next year’s holidays are not asked for yet', async () => {
    const r = await xinfang(['doctor', '--now', `${year}-10-31T09:00`], env);
    expect(r.code).toBe(1);
    expect(r.stdout).not.toContain('节假日');
    expect(r.stdout).toContain('期限提醒');
  });

  test('--json: the same findings, area, severity, problem and fix', async () => {
    const r = await xinfang(['doctor', '--json', '--now', `${year}-11-05T09:00`], env);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j.ok).toBe(false);
    expect(j.checkedAt).toBe(new Date(`${year}-11-05T01:00:00Z`).toISOString());
    expect(j.findings.map((f: any) => [f.area, f.severity])).toEqual([
      ['节假日', 'error'], ['期限提醒', 'error'], ['日历订阅', 'warning'], ['日历订阅', 'warning'],
    ]);
    for (const f of j.findings) expect(f.fix.length).toBeGreaterThan(10);
  });
});

describe.each(testDialects())('xinfang doctor on a complete set-up ($name)', (dialect) => {
  let db: Knex;
  let core: Core;
  const env: Record<string, string> = {};
  const doctor = (...args: string[]) => xinfang(['doctor', '--now', `${year}-06-01T09:00`, ...args], env);

  beforeAll(async () => {
    const fresh = await freshDb(dialect);
    db = fresh.db;
    env.DATABASE_URL = fresh.url;
    core = await testCore(db, fresh.url, { now: MONDAY });
    await seedMiniCounty(core);
    await core.users.upsert({ id: 'director', name: '罗振邦', role: 'admin', unit: null, town: null, title: '县信访局局长' });
    for (const [i, unit] of loadReferenceData('config/reference.json').units.entries()) {
      await core.chats.upsert({ id: `oc_unit_${i}`, name: `${unit}信访工作群`, unit, role: null, venueId: null });
    }
    const tokens = new FeedTokenStore(db);
    for (const l of MINI_LEADERS) await tokens.create({ kind: 'leader', subject: l.id });
    for (const v of MINI_VENUES) await tokens.create({ kind: 'venue', subject: v.id });
  });
  afterAll(async () => {
    await db.destroy();
  });

  test('all well: exit 0 and one line saying so; --json ok with no findings', async () => {
    const r = await doctor();
    expect([r.code, r.stdout]).toEqual([0, `系统检查（${year}-06-01 09:00）：一切正常，没有发现需要处理的问题。\n`]);
    const j = await doctor('--json');
    expect(j.code).toBe(0);
    expect(JSON.parse(j.stdout)).toMatchObject({ ok: true, findings: [] });
  });

  test('each gap is found and named: a unit without its group, a leader not a user, a venue without a feed token, the director gone', async () => {
    await db('chats').where({ id: 'oc_unit_0' }).delete();
    const unit = loadReferenceData('config/reference.json').units[0];
    await db('users').where({ id: 'yc3' }).delete();
    await new FeedTokenStore(db).revoke((await new FeedTokenStore(db).list()).find((t) => t.subject === 'zz-qigong')!.prefix);
    await db('users').where({ id: 'director' }).update({ title: '副主任' });

    const r = await doctor('--json');
    expect(r.code).toBe(1);
    const findings = JSON.parse(r.stdout).findings as Array<{ area: string; severity: string; problem: string; fix: string }>;
    const byArea = (area: string) => findings.filter((f) => f.area === area);
    expect(byArea('群聊')).toHaveLength(1);
    expect(byArea('群聊')[0].problem).toContain(`1 个承办单位没有登记群聊：${unit}`);
    expect(byArea('群聊')[0].fix).toContain('xinfang chats add --id <群的 chat_id> --unit <单位名称>');
    expect(byArea('接访领导')).toEqual([expect.objectContaining({ severity: 'error', problem: expect.stringContaining('温远帆（yc3）') })]);
    expect(byArea('日历订阅')).toEqual([expect.objectContaining({ severity: 'warning', problem: expect.stringContaining('1 个接访地点还没有日历订阅链接：七拱镇综治中心') })]);
    expect(byArea('期限提醒')).toEqual([expect.objectContaining({ severity: 'error' })]);
    // Errors first.
    expect(findings.map((f) => f.severity)).toEqual([...findings.map((f) => f.severity)].sort());
  });

  test('a year without holiday data is found whatever the month', async () => {
    const r = await xinfang(['doctor', '--now', `${year + 1}-03-02T09:00`], env);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`【错误】节假日：今年（${year + 1} 年）的节假日安排没有导入`);
  });
});
