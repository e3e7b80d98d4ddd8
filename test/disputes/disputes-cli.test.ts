import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { loadConfig } from '../../src/platform/settings/config';
import { openCore } from '../../src/platform/core/open-core';
import { openDatabase } from '../../src/platform/database/connection';
import { createLogger } from '../../src/platform/logging/logger';
import { xinfang } from '../helpers/cli';
import { testDialects } from '../helpers/db';

const ID = '441823199001016015';
const tmp = (name: string) => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'disputes-')), name);

describe.each(testDialects())('xinfang disputes on %s', (dialect) => {
  let env: Record<string, string>;

  beforeEach(async () => {
    env = { DATABASE_URL: await dialect.freshUrl() };
    const db = await openDatabase(env.DATABASE_URL);
    await openCore(loadConfig({ ...env, LOG_LEVEL: 'silent' }), { db, logger: createLogger('silent'), migrate: true });
    await db.destroy();
  });

  const add = (extra: string[] = []) =>
    xinfang([
      'disputes', 'add', '--type', '专项排查', '--source', '来访', '--town', '七拱镇', '--category', '劳动和社会保障',
      '--summary', '某工地拖欠工资', '--parties', `王五 ${ID} 13912345678；赵六`, '--risk', '中', '--unit', '七拱镇人民政府',
      '--owner', '张某某', '--target', '2099-06-30', ...extra,
    ], env);

  test('add, list --json, resolve and show', async () => {
    expect((await add()).stdout).toContain('已登记 排');
    const bad = await add(['--target', '2020-01-01']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('已经过去');

    const list = await xinfang(['disputes', 'list', '--json'], env);
    const rows = JSON.parse(list.stdout);
    expect(rows).toHaveLength(1);
    const no = rows[0].no;
    expect(rows[0]).toMatchObject({ status: 'open', town: '七拱镇', unit: '七拱镇人民政府', owner: '张某某', targetDate: '2099-06-30', resolvedDate: null });
    expect(no).toMatch(/^排\d{4}-0001$/);
    expect(list.stdout).not.toContain(ID);

    const noResult = await xinfang(['disputes', 'resolve', no, '好'], env);
    expect(noResult.code).toBe(2);
    expect(noResult.stderr).toContain('过于简单');
    expect((await xinfang(['disputes', 'resolve', no, '劳动监察介入，工资已全部发放'], env)).stdout).toContain('已销号');
    const after = JSON.parse((await xinfang(['disputes', 'list', '--json', '--status', 'resolved'], env)).stdout);
    expect(after[0].status).toBe('resolved');
    expect(after[0].resolvedDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    const show = await xinfang(['disputes', 'show', no], env);
    expect(show.stdout).toContain('王五');
    expect(show.stdout).not.toContain(ID);
    expect(show.stdout).toContain('销号（已化解）');
  }, 60_000);

  test('export → import round trip; a bad row names its row and column and imports nothing', async () => {
    await add();
    await add(['--town', '阳城镇', '--unit', '阳城镇人民政府']);
    const file = tmp('ledger.xlsx');
    expect((await xinfang(['disputes', 'export', file, '--unmasked'], env)).stdout).toContain('已导出 2 件');

    // Into a fresh database: the same ledger.
    const before = JSON.parse((await xinfang(['disputes', 'list', '--json'], env)).stdout);
    const other = { DATABASE_URL: await dialect.freshUrl() };
    const db = await openDatabase(other.DATABASE_URL);
    await openCore(loadConfig({ ...other, LOG_LEVEL: 'silent' }), { db, logger: createLogger('silent'), migrate: true });
    await db.destroy();
    const dry = await xinfang(['disputes', 'import', file, '--dry-run'], other);
    expect(dry.stdout).toContain('检查通过，可导入 2 件');
    expect(JSON.parse((await xinfang(['disputes', 'list', '--json'], other)).stdout)).toHaveLength(0);
    expect((await xinfang(['disputes', 'import', file], other)).stdout).toContain('已导入 2 件');
    expect(JSON.parse((await xinfang(['disputes', 'list', '--json'], other)).stdout)).toEqual(before);
    expect((await xinfang(['disputes', 'show', before[0].no], other)).stdout).toContain('441823********6015');
    // A new 登记 continues after the imported numbers.
    expect((await add()).stdout).toContain('0003');

    // A bad row: a town that does not exist, in row 3.
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const ws = wb.worksheets[0];
    const townCol = (ws.getRow(1).values as string[]).indexOf('乡镇');
    ws.getRow(3).getCell(townCol).value = '火星镇';
    ws.getRow(2).getCell(1).value = '';
    ws.getRow(3).getCell(1).value = '';
    const badFile = tmp('bad.xlsx');
    await wb.xlsx.writeFile(badFile);
    const third = { DATABASE_URL: await dialect.freshUrl() };
    const db3 = await openDatabase(third.DATABASE_URL);
    await openCore(loadConfig({ ...third, LOG_LEVEL: 'silent' }), { db: db3, logger: createLogger('silent'), migrate: true });
    await db3.destroy();
    const r = await xinfang(['disputes', 'import', badFile], third);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('第 3 行「乡镇」');
    expect(r.stderr).toContain('未导入任何数据');
    expect(JSON.parse((await xinfang(['disputes', 'list', '--json'], third)).stdout)).toHaveLength(0);
  }, 120_000);
});
