import ExcelJS from 'exceljs';
import type { Core } from '../../src/platform/core/feature';
import { exportPlanWorkbook, parsePlanTime, PlanImportError, readPlanWorkbook } from '../../src/roster/plan-excel';
import { RosterService } from '../../src/roster/roster-service';
import { freshDb, testDialects } from '../helpers/db';
import { MONDAY, seedMiniCounty, testCore } from './fixtures';

const SLOTS = { 上午: { start: '08:30', end: '12:00' }, 下午: { start: '14:30', end: '17:30' }, 全天: { start: '08:30', end: '17:30' } };

async function workbook(rows: unknown[][], header = ['日期', '时间', '领导', '职务', '地点', '类型', '陪同单位', '接访重点']): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('计划');
  ws.addRow(header);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** What a person compares between two plans. */
const shape = (list: Awaited<ReturnType<RosterService['store']['sessions']['listSessions']>>) =>
  list.map((s) => [s.date, s.slot, s.startTime, s.endTime, s.type, s.venueName, s.leaders.map((l) => l.name).join('、'), s.accompanyUnits.join('、'), s.focus ?? '']);

describe.each(testDialects())('plan workbook ($name)', (dialect) => {
  let a: Core;
  let b: Core;
  const clock = { now: MONDAY };

  beforeAll(async () => {
    const one = await freshDb(dialect);
    a = await testCore(one.db, one.url, clock);
    await seedMiniCounty(a);
    const two = await freshDb(dialect);
    b = await testCore(two.db, two.url, clock);
    await seedMiniCounty(b);
    // Generation adds the reference towns' venues; the other database needs them too.
    await new RosterService(b).plans.ensureVenues();
  });
  afterAll(async () => {
    await a.db.destroy();
    await b.db.destroy();
  });

  test('round trip: export a year, import it elsewhere, get the same plan; importing it again changes nothing', async () => {
    const ra = new RosterService(a);
    await ra.plans.generate(2026);
    const sessions = await ra.store.sessions.listSessions({ year: 2026 });
    const file = await exportPlanWorkbook(2026, sessions);

    // The layout offices use.
    const { rows } = await readPlanWorkbook(file);
    expect(rows).toHaveLength(sessions.length);
    expect(Object.keys(rows[0].cells)).toEqual(['日期', '时间', '领导', '职务', '地点', '类型', '陪同单位', '接访重点']);
    expect(rows[0].cells['时间']).toMatch(/^(上午|下午|全天) \d{2}:\d{2}-\d{2}:\d{2}$/);

    const rb = new RosterService(b);
    const r = await rb.imports.importPlan(file);
    expect(r).toMatchObject({ added: sessions.length, updated: 0, unchanged: 0, cancelled: 0, years: [2026] });
    expect(shape(await rb.store.sessions.listSessions({ year: 2026 }))).toEqual(shape(sessions));

    const again = await rb.imports.importPlan(file);
    expect(again).toMatchObject({ added: 0, updated: 0, unchanged: sessions.length });
    expect(await rb.store.sessions.listSessions({ year: 2026 })).toHaveLength(sessions.length);
  });

  test('a bad workbook reports every bad row and column, and imports nothing', async () => {
    const rb = new RosterService(b);
    const before = await b.db('sessions').count({ n: '*' }).first();
    const file = await workbook([
      ['2026-12-01', '上午', '林启航', '县委书记', '县群众来访接待中心', '接访', '县信访局', '征地拆迁'], // fine on its own
      ['2026-02-30', '上午', '林启航', '', '县群众来访接待中心', '接访', '', ''], // no such date
      ['2026-12-02', '晚上', '张三丰', '', '月球接待站', '巡访', '', ''], // time, leader, venue, type
      ['2026-10-01', '全天', '周庭远', '', '阳城镇综治中心', '下访', '', ''], // national holiday
      ['2026-12-01', '全天', '林启航', '', '七拱镇综治中心', '下访', '', ''], // double-books row 2
      ['2026-12-05', '上午', '黄思源', '', '县群众来访接待中心', '接访', '', ''], // a Saturday
    ]);
    let error: PlanImportError | null = null;
    try {
      await rb.imports.importPlan(file);
    } catch (e) {
      error = e as PlanImportError;
    }
    expect(error).toBeInstanceOf(PlanImportError);
    const got = error!.errors.map((e) => [e.row, e.column]);
    expect(got).toEqual(expect.arrayContaining([
      [3, '日期'], [4, '时间'], [4, '领导'], [4, '地点'], [4, '类型'], [5, '日期'], [6, '领导'], [7, '日期'],
    ]));
    expect(got.some(([row]) => row === 2)).toBe(false);
    const msg = (row: number, col: string) => error!.errors.find((e) => e.row === row && e.column === col)!.message;
    expect(msg(3, '日期')).toContain('2026-02-30');
    expect(msg(4, '领导')).toContain('张三丰');
    expect(msg(5, '日期')).toContain('法定节假日');
    expect(msg(6, '领导')).toContain('第 2 行');
    expect(msg(7, '日期')).toContain('周末');
    const after = await b.db('sessions').count({ n: '*' }).first();
    expect(Number(after!.n)).toBe(Number(before!.n));
  });

  test('a workbook without the required headers, or not a workbook at all, is refused', async () => {
    const rb = new RosterService(b);
    await expect(rb.imports.importPlan(await workbook([['2026-12-01', '林启航']], ['日期', '领导']))).rejects.toMatchObject({
      errors: expect.arrayContaining([expect.objectContaining({ row: 1, column: '时间' }), expect.objectContaining({ row: 1, column: '地点' })]),
    });
    await expect(rb.imports.importPlan(Buffer.from('not a workbook'))).rejects.toMatchObject({
      errors: [expect.objectContaining({ message: expect.stringContaining('不是有效的 Excel') })],
    });
  });

  test('an import that clashes with the plan is refused; with replace, the workbook wins and the rest is cancelled', async () => {
    const rb = new RosterService(b);
    const [first] = await rb.store.sessions.listSessions({ year: 2026, from: '2026-12-01' });
    const other = first.venueId === 'county-center' ? '七拱镇综治中心' : '县群众来访接待中心';
    const clash = await workbook([[first.date, first.slot, first.leaders[0].name, '', other, '约访', '', '']]);
    await expect(rb.imports.importPlan(clash)).rejects.toMatchObject({
      errors: [expect.objectContaining({ row: 2, column: '领导', message: expect.stringContaining('已有接访安排') })],
    });
    const r = await rb.imports.importPlan(clash, { replace: true });
    expect(r.added).toBe(1);
    const live = await rb.store.sessions.listSessions({ year: 2026, from: '2026-03-02' });
    expect(live).toHaveLength(1);
    expect(live[0]).toMatchObject({ date: first.date, type: '约访', venueName: other });
    const cancelled = await rb.store.sessions.listSessions({ year: 2026, includeCancelled: true });
    expect(cancelled.filter((s) => s.status === 'cancelled')).toHaveLength(r.cancelled);
  });
});

describe('reading times and dates the way offices write them', () => {
  test('slot words, ranges, or both', () => {
    expect(parsePlanTime('上午', SLOTS)).toEqual({ slot: '上午', startTime: '08:30', endTime: '12:00' });
    expect(parsePlanTime('9:00-11:30', SLOTS)).toEqual({ slot: '上午', startTime: '09:00', endTime: '11:30' });
    expect(parsePlanTime('下午 15:00—17:00', SLOTS)).toEqual({ slot: '下午', startTime: '15:00', endTime: '17:00' });
    expect(parsePlanTime('晚上', SLOTS)).toBeNull();
    expect(parsePlanTime('12:00-09:00', SLOTS)).toBeNull();
  });

  test('Excel date cells and Chinese dates read as the same day', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('x');
    ws.addRow(['日期', '时间', '领导', '地点', '类型']);
    ws.addRow([new Date(Date.UTC(2026, 11, 1)), '上午', '林启航', '县群众来访接待中心', '接访']);
    ws.addRow(['2026年12月2日', '上午', '林启航', '县群众来访接待中心', '接访']);
    ws.addRow(['2026/12/3', '上午', '林启航', '县群众来访接待中心', '接访']);
    const { rows } = await readPlanWorkbook(Buffer.from(await wb.xlsx.writeBuffer()));
    expect(rows.map((r) => r.date)).toEqual(['2026-12-01', '2026-12-02', '2026-12-03']);
  });
});
