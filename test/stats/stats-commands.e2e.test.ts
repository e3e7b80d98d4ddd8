import ExcelJS from 'exceljs';
import type { App } from '../../src/app';
import type { Outgoing } from '../../src/platform/chat/messages';
import { seedDemo } from '../../src/demo/seed-demo';
import { StatsService } from '../../src/stats/stats-service';
import { parsePeriod } from '../../src/stats/domain/metrics';
import { makeTestApp, readable, say } from '../helpers/app';
import { elementsOf } from '../helpers/cards';
import { freshDb, testDialects } from '../helpers/db';
import { checkCard } from '../helpers/lark-card-rules';

const cardOf = (r: Outgoing[]) => {
  expect(r.map((x) => x.type)).toEqual(['card']);
  return (r[0] as Extract<Outgoing, { type: 'card' }>).card;
};
const charts = (card: Record<string, unknown>) => elementsOf(card).filter((e) => e.tag === 'chart');

/** 统计 and 统计 导出 in chat, on the demo county, as the bureau's people use them. */
describe.each(testDialects())('统计 and 统计 导出 through the console on $name', (dialect) => {
  let app: App;
  let unitUser: string;
  const now = new Date('2026-12-02T02:00:00Z'); // Wednesday 10:00 in Shanghai

  beforeAll(async () => {
    const { db, url } = await freshDb(dialect);
    app = await makeTestApp({ db, url, now: () => now });
    await seedDemo(app.core);
    unitUser = (await app.core.users.list()).find((u) => u.role === 'unit')!.id;
  }, 120_000);
  afterAll(async () => {
    await app?.core.db.destroy();
  });

  test('staff: 统计 2026 answers with one card of the year’s figures and its four charts, which Lark would take', async () => {
    const report = await new StatsService(app.core).report(parsePeriod('2026', '2026-12-02')!);
    const card = cardOf(await say(app, 'staff1', '统计 2026'));
    expect(checkCard(card)).toEqual([]);
    const text = readable([{ type: 'card', card }]);
    expect(text).toContain('信访统计 · 2026年');
    expect(text).toContain(`**登记信访事项**：${report.registered} 件`);
    expect(text).toContain('**及时受理率**：');
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    expect(charts(card).map((c) => c.element_id)).toEqual(['chart_month', 'chart_category', 'chart_town', 'chart_rates']);
    const perMonth = charts(card)[0].chart_spec.data.values as Array<{ count: number }>;
    expect(perMonth).toHaveLength(12);
    expect(perMonth.reduce((s, m) => s + m.count, 0)).toBe(report.registered);
  });

  test('a leader asks for a quarter in words and in 2026Q3 alike; 统计 alone is this month', async () => {
    const words = cardOf(await say(app, 'county01', '统计 2026年第三季度'));
    const short = cardOf(await say(app, 'county01', '统计 2026Q3'));
    expect(readable([{ type: 'card', card: words }])).toContain('信访统计 · 2026年第三季度');
    expect(short).toEqual(words);
    expect(charts(words)[0].chart_spec.data.values.map((v: { month: string }) => v.month)).toEqual(['7月', '8月', '9月']);
    expect(readable([{ type: 'card', card: cardOf(await say(app, 'admin', '统计')) }])).toContain('信访统计 · 2026年12月');
  });

  test('a period the bot cannot read: the forms that work, in Chinese, and no card', async () => {
    for (const bad of ['明年', '2026-13', '2026Q5']) {
      const r = await say(app, 'staff1', `统计 ${bad}`);
      expect(r.map((x) => x.type)).toEqual(['text']);
      const t = readable(r);
      for (const form of ['本月', '上月', '本季度', '2026Q3', '2026年第三季度', '2026', '2026-10', '2026-03-05..2026-04-08']) expect(t).toContain(form);
    }
    const backwards = readable(await say(app, 'staff1', '统计 导出 2026-04-08..2026-03-05'));
    expect(backwards).toMatch(/[\u4e00-\u9fa5]/);
    expect(backwards).not.toMatch(/Error|undefined/);
  });

  test('admin: 统计 导出 2026Q3 gives one line of text and the workbook, whose figures are the card’s', async () => {
    const r = await say(app, 'admin', '统计 导出 2026Q3');
    expect(r.map((x) => x.type)).toEqual(['text', 'file']);
    const file = r[1] as Extract<Outgoing, { type: 'file' }>;
    expect(file.name).toBe('信访统计-2026年第三季度.xlsx');
    expect(file.mime).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const report = await new StatsService(app.core).report(parsePeriod('2026Q3', '2026-12-02')!);
    expect(readable([r[0]])).toContain(`登记 ${report.registered} 件`);
    expect(readable([r[0]])).not.toContain('\n');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(file.base64, 'base64') as never);
    const cells: unknown[] = [];
    wb.worksheets[0].eachRow((row) => row.eachCell((c) => cells.push(c.value)));
    expect(cells).toContain(report.registered);
    // 统计导出 glued and 导出统计 say the same.
    expect((await say(app, 'staff1', '统计导出2026Q3')).map((x) => x.type)).toEqual(['text', 'file']);
    expect((await say(app, 'staff1', '导出统计 2026Q3')).map((x) => x.type)).toEqual(['text', 'file']);
  });

  test('who may: leaders see the card but not the export; a unit’s liaison neither', async () => {
    for (const words of ['统计 导出 2026', '统计  导出 2026', '统计导出']) {
      const r = await say(app, 'county01', words);
      expect(r.map((x) => x.type)).toEqual(['text']);
      expect(readable(r)).toMatch(/权限|只限管理员和登记员/);
    }
    for (const words of ['统计 2026', '统计 导出 2026']) {
      const r = await say(app, unitUser, words);
      expect(r.map((x) => x.type)).toEqual(['text']);
      expect(readable(r)).toContain('没有使用该功能的权限');
    }
  });
});
