import { categoryChart, foldTop, monthChart, percent, rateChart, statsCharts, townChart } from '../../src/stats/domain/stats-charts';
import type { NameCount } from '../../src/stats/domain/stats-report';
import { sampleStatsReport } from './stats-report-sample';

const values = (c: { spec: Record<string, unknown> } | null) => ((c?.spec.data as { values: Array<Record<string, unknown>> }).values);
const sum = (xs: NameCount[]) => xs.reduce((s, x) => s + x.count, 0);

describe('folding a breakdown into its largest entries and 其他', () => {
  test('the top n stay in order, the rest and an existing 其他 become one 其他, nothing is lost', () => {
    const list: NameCount[] = [{ name: 'A', count: 9 }, { name: '其他', count: 4 }, { name: 'B', count: 7 }, { name: 'C', count: 2 }, { name: 'D', count: 1 }];
    expect(foldTop(list, 2)).toEqual([{ name: 'A', count: 9 }, { name: 'B', count: 7 }, { name: '其他', count: 7 }]);
    expect(sum(foldTop(list, 2))).toBe(sum(list));
  });

  test('a short list is kept whole, empty entries dropped, and no 其他 of 0 is made', () => {
    expect(foldTop([{ name: 'A', count: 3 }, { name: 'B', count: 0 }], 8)).toEqual([{ name: 'A', count: 3 }]);
    expect(foldTop([], 8)).toEqual([]);
  });
});

describe('the charts of a year', () => {
  const year = sampleStatsReport();

  test('registrations per month: one bar per month, labelled 1月…12月, the counts of the report', () => {
    const c = monthChart(year)!;
    expect(c.spec.type).toBe('bar');
    expect(values(c).map((v) => v.month)).toEqual(['1月', '2月', '3月', '4月', '5月', '6月', '7月', '8月', '9月', '10月', '11月', '12月']);
    expect(values(c).map((v) => v.count)).toEqual(year.byMonth.map((m) => m.count));
  });

  test('by category: a pie of the categories with their counts; by town: bars of the towns', () => {
    const cat = categoryChart(year)!;
    expect(cat.spec).toMatchObject({ type: 'pie', categoryField: 'name', valueField: 'count' });
    expect(values(cat)).toEqual(year.byCategory);
    const town = townChart(year)!;
    expect(town.spec).toMatchObject({ type: 'bar', direction: 'horizontal', xField: 'count', yField: 'name' });
    expect(values(town)).toEqual(year.byTown);
  });

  test('the four rates against the previous period, in percent with one decimal', () => {
    const c = rateChart(year)!;
    expect(c.spec).toMatchObject({ type: 'bar', xField: ['rate', 'period'], yField: 'value', seriesField: 'period' });
    expect(values(c)).toEqual([
      { rate: '及时受理率', period: '本期（2026年）', value: 98.5 },
      { rate: '及时受理率', period: '上期（2025年）', value: 97 },
      { rate: '按期办结率', period: '本期（2026年）', value: 96.8 },
      { rate: '按期办结率', period: '上期（2025年）', value: 95 },
      { rate: '督查督办化解率', period: '本期（2026年）', value: 100 },
      { rate: '督查督办化解率', period: '上期（2025年）', value: 96 },
      { rate: '矛盾纠纷化解率', period: '本期（2026年）', value: 96.6 },
      { rate: '矛盾纠纷化解率', period: '上期（2025年）', value: 90 },
    ]);
  });

  test('every spec is plain JSON (Lark runs no JavaScript in a card): it survives a JSON round trip unchanged', () => {
    for (const c of statsCharts(year)) expect(JSON.parse(JSON.stringify(c.spec))).toEqual(c.spec);
    expect(statsCharts(year).map((c) => c.id)).toEqual(['chart_month', 'chart_category', 'chart_town', 'chart_rates']);
  });
});

describe('periods and missing figures', () => {
  test('a month has no per-month chart; a range across the new year names the year of each month', () => {
    const month = sampleStatsReport({ period: { from: '2026-10-01', to: '2026-10-31', label: '2026年10月', kind: 'month' }, byMonth: [{ month: '2026-10', count: 32 }] });
    expect(monthChart(month)).toBeNull();
    expect(statsCharts(month).map((c) => c.id)).toEqual(['chart_category', 'chart_town', 'chart_rates']);
    const range = sampleStatsReport({ byMonth: [{ month: '2025-12', count: 3 }, { month: '2026-01', count: 4 }] });
    expect(values(monthChart(range)).map((v) => v.month)).toEqual(['2025年12月', '2026年1月']);
  });

  test('a rate with nothing to count is left out, never drawn as 0; without a previous period only 本期 is drawn', () => {
    const r = sampleStatsReport({ disputeResolutionRate: null, disputeResolution: null, supervisedResolutionRate: null, previous: null });
    const v = values(rateChart(r));
    expect(v.map((x) => x.rate)).toEqual(['及时受理率', '按期办结率']);
    expect(v.every((x) => x.period === '本期（2026年）')).toBe(true);
    expect((rateChart(r)!.spec.title as { text: string }).text).toBe('四项比率（%）');
  });

  test('nothing registered and no rate: no chart at all', () => {
    const empty = sampleStatsReport({
      registered: 0, byCategory: [], byTown: [], byMonth: sampleStatsReport().byMonth.map((m) => ({ ...m, count: 0 })),
      timelyAcceptanceRate: null, onTimeConclusionRate: null, supervisedResolutionRate: null, disputeResolutionRate: null, previous: null,
    });
    expect(statsCharts(empty)).toEqual([]);
    expect(percent(null)).toBeNull();
  });

  test('40 towns and 30 categories fold into the top 12 towns and top 8 categories plus 其他, the total kept', () => {
    const towns = Array.from({ length: 40 }, (_, i) => ({ name: `第${i + 1}镇`, count: 100 - i }));
    const cats = Array.from({ length: 30 }, (_, i) => ({ name: `类别${i + 1}`, count: 60 - i }));
    const r = sampleStatsReport({ byTown: towns, byCategory: cats });
    const t = values(townChart(r));
    expect(t).toHaveLength(13);
    expect(t[12]).toEqual({ name: '其他', count: sum(towns.slice(12)) });
    expect(t.reduce((s, x) => s + Number(x.count), 0)).toBe(sum(towns));
    const c = values(categoryChart(r));
    expect(c).toHaveLength(9);
    expect(c.map((x) => x.name).slice(0, 2)).toEqual(['类别1', '类别2']);
    expect(c[8]).toEqual({ name: '其他', count: sum(cats.slice(8)) });
  });
});
