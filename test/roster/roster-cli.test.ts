import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { SLOTS, SESSION_STATUSES, SESSION_TYPES } from '../../src/roster/domain';
import { xinfang } from '../helpers/cli';
import { tempSqliteUrl } from '../helpers/db';

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
    expect(wb.worksheets[0].getRow(1).values).toEqual([undefined, '日期', '时间', '领导', '职务', '地点', '类型', '陪同单位', '接访重点']);
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
    expect(ok.stdout).toContain('由 ld2 代班');
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
