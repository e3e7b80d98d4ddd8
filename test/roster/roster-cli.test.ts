import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { HolidayStore } from '../../src/platform/calendar/holiday-store';
import { openDatabase } from '../../src/platform/database/connection';
import { migrateLatest } from '../../src/platform/database/migrate';
import { UserStore } from '../../src/platform/directory/user-store';
import { PlanSession, SLOTS, SESSION_STATUSES, SESSION_TYPES } from '../../src/roster/domain';
import { RosterStore } from '../../src/roster/roster-store';
import { xinfang } from '../helpers/cli';
import { tempSqliteUrl } from '../helpers/db';
import { MINI_LEADERS, MINI_VENUES } from './fixtures';

// The CLI runs on the real clock, so the test plans next year, which is always ahead.
const YEAR = new Date().getFullYear() + 1;

describe('xinfang plan …', () => {
  const env = { DATABASE_URL: tempSqliteUrl() };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plan-cli-'));
  let provisional: string[] = [];

  beforeAll(async () => {
    const add = (args: string[]) => xinfang(['plan', 'leader', 'add', ...args], env);
    expect((await add(['--id', 'ld1', '--name', '林启航', '--level', 'county', '--title', '县委书记', '--order', '1'])).code).toBe(0);
    expect((await add(['--id', 'ld2', '--name', '周庭远', '--level', 'county', '--title', '县长', '--order', '2', '--deputy', 'ld1'])).code).toBe(0);
    expect((await add(['--id', 'yc1', '--name', '黎嘉禾', '--level', 'town', '--title', '阳城镇党委书记', '--towns', '阳城镇'])).code).toBe(0);
    const probe = await xinfang(['plan', 'generate', '--year', String(YEAR)], env);
    // Without holiday data for next year the answer is exit 3 and a hint; then plan it provisionally.
    if (probe.code === 3) {
      expect(probe.stderr).toContain('--provisional');
      provisional = ['--provisional'];
      const r = await xinfang(['plan', 'generate', '--year', String(YEAR), '--provisional'], env);
      expect(r.code).toBe(0);
      expect(r.stderr).toContain('暂定');
    } else {
      expect(probe.code).toBe(0);
    }
  });

  test('plan list --json gives date, slot, type, venue, status and leaders of every session', async () => {
    const r = await xinfang(['plan', 'list', '--year', String(YEAR), '--json'], env);
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout);
    expect(Array.isArray(list)).toBe(true);
    // 2 county leaders × (12 months + 12 towns) + 1 town leader × about 52 weeks.
    expect(list.length).toBeGreaterThan(90);
    for (const s of list) {
      expect(s.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(s.date.startsWith(String(YEAR))).toBe(true);
      expect(SLOTS).toContain(s.slot);
      expect(SESSION_TYPES).toContain(s.type);
      expect(SESSION_STATUSES).toContain(s.status);
      expect(typeof s.venue).toBe('string');
      expect(s.leaders.length).toBeGreaterThan(0);
      for (const l of s.leaders) expect(Object.keys(l)).toEqual(expect.arrayContaining(['id', 'name']));
      // Next year is provisional exactly when it was planned with --provisional (no holiday data yet).
      expect(s.provisional).toBe(provisional.length > 0);
    }
    expect(list.some((s: any) => s.venue === '县群众来访接待中心' && s.leaders[0].name === '林启航')).toBe(true);
    expect(list.some((s: any) => s.type === '下访' && s.venue === '七拱镇综治中心')).toBe(true);
    const text = await xinfang(['plan', 'list', '--year', String(YEAR)], env);
    expect(text.stdout.split('\n')[0]).toMatch(new RegExp(`^\\d+\\t${YEAR}-\\d{2}-\\d{2}\\t全天\\t(接访|下访)\\t`));
  });

  test('a second generate is refused unless --replace; bad years are exit 2', async () => {
    const again = await xinfang(['plan', 'generate', '--year', String(YEAR), ...provisional], env);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('--replace');
    expect((await xinfang(['plan', 'generate', '--year', '20x6'], env)).code).toBe(2);
    expect((await xinfang(['plan', 'list', '--year', 'next'], env)).code).toBe(2);
    expect((await xinfang(['plan', 'generate', '--year', String(YEAR), '--rules', path.join(dir, 'none.json')], env)).code).toBe(2);
  });

  test('export writes the office workbook; a bad import prints row errors, exits 2 and changes nothing', async () => {
    const out = path.join(dir, 'plan.xlsx');
    const exp = await xinfang(['plan', 'export', '--year', String(YEAR), '--out', out], env);
    expect(exp.code).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    expect(wb.worksheets[0].getRow(1).values).toEqual([undefined, '日期', '时间', '领导', '职务', '地点', '类型', '陪同单位', '接访重点', '第三方力量']);
    const before = JSON.parse((await xinfang(['plan', 'list', '--year', String(YEAR), '--json'], env)).stdout).length;

    wb.worksheets[0].getRow(3).getCell(3).value = '无此人';
    wb.worksheets[0].getRow(5).getCell(6).value = '座谈';
    const bad = path.join(dir, 'bad.xlsx');
    await wb.xlsx.writeFile(bad);
    const r = await xinfang(['plan', 'import', bad], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('第 3 行「领导」：没有名为“无此人”的在任领导');
    expect(r.stderr).toContain('第 5 行「类型」');
    expect(r.stderr).toContain('未导入任何数据');
    const after = JSON.parse((await xinfang(['plan', 'list', '--year', String(YEAR), '--json'], env)).stdout).length;
    expect(after).toBe(before);

    const same = await xinfang(['plan', 'import', out], env);
    expect(same.code).toBe(0);
    expect(same.stdout).toContain(`新增 0 场，更新 0 场，未变 ${before} 场`);
  });

  test('plan leave checks its dates and leaders', async () => {
    expect((await xinfang(['plan', 'leave', '--leader', 'ld1', '--from', `${YEAR}-02-30`, '--to', `${YEAR}-03-02`], env)).code).toBe(2);
    expect((await xinfang(['plan', 'leave', '--leader', 'nobody', '--from', `${YEAR}-03-02`, '--to', `${YEAR}-03-06`], env)).code).toBe(2);
    const ok = await xinfang(['plan', 'leave', '--leader', 'ld1', '--from', `${YEAR}-03-02`, '--to', `${YEAR}-03-06`, '--deputy', 'ld2', '--reason', '学习'], env);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain(`已登记：林启航（ld1）${YEAR}-03-02 至 ${YEAR}-03-06 不在岗（学习），由 周庭远（ld2）代班`);
  });
});

/** Sessions written straight into a CLI database: 2026 (holiday data known) and 2099 (none). */
async function seedPlan(url: string): Promise<Record<string, number>> {
  const db = await openDatabase(url);
  await migrateLatest(db);
  const store = new RosterStore(db);
  const users = new UserStore(db);
  for (const v of MINI_VENUES) await store.leaders.upsertVenue(v);
  for (const l of MINI_LEADERS) await store.leaders.upsertLeader(l);
  await users.upsert({ id: 'admin', name: '信访局管理员', role: 'admin', unit: null, town: null, title: null });
  const at = (date: string, leader: string, venueId = 'county-center'): PlanSession => ({
    date, slot: '全天', startTime: '08:30', endTime: '17:30', type: '接访', venueId, leaderIds: [leader], accompanyUnits: [],
    focus: null, capacity: null, ruleId: 'county-center-monthly', substituteFor: null, note: null,
  });
  const [known, far, away, down, later] = await store.sessions.insertSessions(db, [
    at('2026-06-10', 'cty1'), at('2099-02-10', 'cty2'),
    at('2099-03-10', 'cty1'), at('2099-03-12', 'cty1', 'zz-qigong'), at('2099-03-20', 'cty1'),
  ]);
  await db.destroy();
  return { known, far, away, down, later };
}

describe('plan list marks 暂定; plan leave lists what the leave touches', () => {
  const url = tempSqliteUrl();
  const env = { DATABASE_URL: url };
  let id: Record<string, number>;
  const list = async (year: number) => JSON.parse((await xinfang(['plan', 'list', '--year', String(year), '--json'], env)).stdout);

  beforeAll(async () => {
    id = await seedPlan(url);
  });

  test('every session in the JSON carries provisional: true in a year without holiday data, false otherwise; the text says 〔暂定〕', async () => {
    const far = await list(2099);
    expect(far).toHaveLength(4);
    for (const s of far) expect(s.provisional).toBe(true);
    const known = await list(2026);
    expect(known.map((s: any) => [s.id, s.provisional])).toEqual([[id.known, false]]);
    const text = await xinfang(['plan', 'list', '--year', '2099'], env);
    expect(text.stdout.split('\n')[0]).toBe(`${id.far}\t2099-02-10\t全天\t接访\t县群众来访接待中心\t周庭远（县长）\t已排定〔暂定〕`);
    expect(text.stderr).toContain('没有 2099 年的节假日安排数据');
    expect((await xinfang(['plan', 'list', '--year', '2026'], env)).stdout).not.toContain('暂定');
  });

  test('plan leave lists the sessions already planned in the leave and queues the card to the admin; nothing moves', async () => {
    const r = await xinfang(['plan', 'leave', '--leader', 'cty1', '--from', '2099-03-09', '--to', '2099-03-13', '--reason', '参加培训'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('已登记：林启航（cty1）2099-03-09 至 2099-03-13 不在岗（参加培训），由 周庭远（cty2）代班');
    expect(r.stdout).toContain('请假期间已有 2 场接访安排');
    expect(r.stdout).toContain(`编号 ${id.away}\t2099-03-10\t全天 08:30—17:30\t县群众来访接待中心\t接访〔暂定〕`);
    expect(r.stdout).toContain(`编号 ${id.down}\t2099-03-12`);
    expect(r.stdout).not.toContain(`编号 ${id.later}`);
    expect(r.stdout).toContain('已将处理卡片发给管理员（1 人）');
    const db = await openDatabase(url);
    try {
      const [card] = await db('outbox').where('source', 'roster-leave:cty1:2099-03-09');
      expect(card).toMatchObject({ receive_id: 'admin', receive_id_type: 'open_id', msg_type: 'interactive' });
      expect(card.content).toContain('由代班领导周庭远接访');
      expect(card.content).toContain('改期到');
      const unchanged = await db('sessions').whereIn('id', [id.away, id.down]).select('date', 'sequence');
      expect(unchanged.map((s: any) => [s.date, Number(s.sequence)])).toEqual([['2099-03-10', 0], ['2099-03-12', 0]]);
    } finally {
      await db.destroy();
    }
    const none = await xinfang(['plan', 'leave', '--leader', 'cty2', '--from', '2099-05-04', '--to', '2099-05-05'], env);
    expect(none.stdout).toContain('请假期间没有已安排的接访，无需调整');
  });

  test('after the year’s holidays are imported, nothing is 暂定 any more', async () => {
    const db = await openDatabase(url);
    await new HolidayStore(db).importDays([{ date: '2099-01-01', kind: 'holiday', name: '元旦' }], [2099], 'test');
    await db.destroy();
    for (const s of await list(2099)) expect(s.provisional).toBe(false);
    expect((await xinfang(['plan', 'list', '--year', '2099'], env)).stdout).not.toContain('暂定');
  });
});

describe('xinfang demo', () => {
  test('seeds an empty database, and refuses one that has users', async () => {
    const env = { DATABASE_URL: tempSqliteUrl() };
    const r = await xinfang(['demo'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('县领导 20 位');
    expect(r.stdout).toMatch(/\d{4} 年接访下访计划：\d+ 场/);
    const users = JSON.parse((await xinfang(['users', 'list', '--json'], env)).stdout);
    expect(users.map((u: any) => u.id)).toEqual(expect.arrayContaining(['admin', 'staff1', 'county01', 'yangcheng1', 'zf-yangcheng', 'rsj']));
    const again = await xinfang(['demo'], env);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('示例数据只能写入空数据库');
  }, 180_000);
});
