import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Core } from '../../src/platform/core/feature';
import { xinfang } from '../helpers/cli';
import { freshDb, testDialects } from '../helpers/db';
import { MONDAY, seedMiniCounty, testCore } from './fixtures';

const HEADER = ['日期', '时间', '领导', '职务', '地点', '类型', '陪同单位', '接访重点'];
const ROW_A = ['2026-12-01', '上午', '林启航', '县委书记', '县群众来访接待中心', '接访', '县信访局', '征地拆迁'];
const ROW_B = ['2026-12-03', '下午', '周庭远', '县长', '县群众来访接待中心', '接访', '', '劳动保障'];

describe.each(testDialects())('plan import: cells too long for their columns ($name)', (dialect) => {
  let core: Core;
  let env: Record<string, string>;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plan-import-'));
  const file = async (name: string, rows: string[][]) => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('计划');
    ws.addRow(HEADER);
    for (const r of rows) ws.addRow(r);
    const p = path.join(dir, name);
    await wb.xlsx.writeFile(p);
    return p;
  };
  const sessions = async () =>
    (await core.db('sessions').orderBy('id').select('date', 'accompany_units', 'focus')).map((s: any) => [s.date, s.accompany_units, s.focus]);

  beforeAll(async () => {
    const { db, url } = await freshDb(dialect);
    core = await testCore(db, url, { now: MONDAY });
    await seedMiniCounty(core);
    env = { DATABASE_URL: url };
    const first = await xinfang(['plan', 'import', await file('plan.xlsx', [ROW_A])], env);
    expect(first.code).toBe(0);
  });
  afterAll(async () => {
    await core.db.destroy();
  });

  test('an 80,000-character cell: its row and column named in Chinese, no SQL, nothing saved', async () => {
    const before = await sessions();
    const huge = `县信访局、${'县人力资源和社会保障局'.repeat(8000)}`.slice(0, 80_000);
    const bad = await file('bad.xlsx', [
      [...ROW_A.slice(0, 6), huge, ROW_A[7]], // the row already planned: it would be an UPDATE
      [...ROW_B.slice(0, 7), '重'.repeat(201)],
      ['2026-12-04', '上午', '黄'.repeat(5000), '', '县群众来访接待中心', '接访', '', ''],
    ]);
    const r = await xinfang(['plan', 'import', bad], env);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('导入失败：工作簿有 3 处错误，未导入任何数据');
    expect(r.stderr).toContain('第 2 行「陪同单位」：内容过长：不能超过 1000 字（现有 80000 字）');
    expect(r.stderr).toContain('第 3 行「接访重点」：内容过长：不能超过 200 字（现有 201 字）');
    expect(r.stderr).toContain('第 4 行「领导」：内容过长：不能超过 200 字（现有 5000 字）');
    expect(r.stderr.length).toBeLessThan(400);
    expect(r.stderr).not.toMatch(/update|insert|sessions|出错了/i);
    expect(await sessions()).toEqual(before);
  });

  test('cells at their limits are taken, and a value quoted in an error is cut short', async () => {
    const unknownVenue = `${'某'.repeat(100)}接待站`;
    const bad = await file('venue.xlsx', [[...ROW_B.slice(0, 4), unknownVenue, '接访', '', '']]);
    const r = await xinfang(['plan', 'import', bad], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`第 2 行「地点」：没有名为“${'某'.repeat(30)}……”的接访地点`);

    const ok = await file('ok.xlsx', [ROW_A, [...ROW_B.slice(0, 6), '县信访局', '重'.repeat(200)]]);
    const done = await xinfang(['plan', 'import', ok], env);
    expect(done.code).toBe(0);
    expect(done.stdout).toContain('新增 1 场，更新 0 场，未变 1 场');
    expect((await sessions()).find(([date]) => date === '2026-12-03')![2]).toBe('重'.repeat(200));
  });
});
