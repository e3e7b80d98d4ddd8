import type { NameCount, StatsReport } from './stats-report';

/**
 * The statistics card's charts as VChart specs (the `chart_spec` of Lark's card JSON 2.0 `chart`
 * component, which the console page draws with the same library). Plain JSON only: Lark runs no
 * JavaScript in a card, so labels are prepared here (月份 as 3月, rates as percentages).
 *
 * Each breakdown is folded into its largest entries and one 其他, so that a year of 40 towns and
 * 30 categories keeps the card under Lark's 30 KB.
 */
export type ChartSpec = Record<string, unknown>;

export interface StatsChart {
  /** element_id in the card: letters, digits, _ (Lark's rule). */
  id: string;
  title: string;
  spec: ChartSpec;
}

/** How many categories and towns a chart shows before the rest are summed as 其他. */
export const TOP_CATEGORIES = 8;
export const TOP_TOWNS = 12;
export const OTHER = '其他';

/** The n largest entries and one 其他 for the rest (an existing 其他 entry joins it). */
export function foldTop(list: NameCount[], n: number): NameCount[] {
  const named = list.filter((x) => x.name !== OTHER && x.count > 0);
  const other = list.filter((x) => x.name === OTHER).reduce((s, x) => s + x.count, 0);
  const sorted = [...named].sort((a, b) => b.count - a.count || a.name.localeCompare(b.name, 'zh-CN'));
  const kept = sorted.slice(0, n);
  const rest = sorted.slice(n).reduce((s, x) => s + x.count, 0) + other;
  return rest > 0 ? [...kept, { name: OTHER, count: rest }] : kept;
}

/** A rate as a percentage with one decimal (98.5), or null. */
export const percent = (rate: number | null): number | null => (rate === null ? null : Math.round(rate * 1000) / 10);

const title = (text: string) => ({ visible: true, text });

/** '2026-03' → 3月 within one year, 2025年12月 when the period crosses a year. */
function monthLabel(month: string, withYear: boolean): string {
  const [y, m] = month.split('-').map(Number);
  return withYear ? `${y}年${m}月` : `${m}月`;
}

/** Registrations per month (bar); none for a period of one month or less, or with nothing registered. */
export function monthChart(r: StatsReport): StatsChart | null {
  if (r.byMonth.length < 2 || r.byMonth.every((m) => m.count === 0)) return null;
  const withYear = new Set(r.byMonth.map((m) => m.month.slice(0, 4))).size > 1;
  return {
    id: 'chart_month',
    title: '各月登记',
    spec: {
      type: 'bar',
      title: title('各月登记信访事项（件）'),
      data: { id: 'months', values: r.byMonth.map((m) => ({ month: monthLabel(m.month, withYear), count: m.count })) },
      xField: 'month',
      yField: 'count',
      label: { visible: true },
      axes: [{ orient: 'left', min: 0 }, { orient: 'bottom' }],
    },
  };
}

/** By category (pie, the top 8 and 其他). */
export function categoryChart(r: StatsReport): StatsChart | null {
  const values = foldTop(r.byCategory, TOP_CATEGORIES);
  if (!values.length) return null;
  return {
    id: 'chart_category',
    title: '问题类别',
    spec: {
      type: 'pie',
      title: title('按问题类别（件）'),
      data: { id: 'categories', values: values.map((v) => ({ name: v.name, count: v.count })) },
      categoryField: 'name',
      valueField: 'count',
      outerRadius: 0.8,
      innerRadius: 0.45,
      label: { visible: true },
      legends: { visible: true, orient: 'bottom' },
    },
  };
}

/** By town (horizontal bar, the top 12 and 其他, largest on top). */
export function townChart(r: StatsReport): StatsChart | null {
  const values = foldTop(r.byTown, TOP_TOWNS);
  if (!values.length) return null;
  return {
    id: 'chart_town',
    title: '问题属地',
    spec: {
      type: 'bar',
      direction: 'horizontal',
      title: title('按问题属地（件）'),
      data: { id: 'towns', values: values.map((v) => ({ name: v.name, count: v.count })) },
      xField: 'count',
      yField: 'name',
      label: { visible: true },
      axes: [{ orient: 'bottom', min: 0 }, { orient: 'left', type: 'band', inverse: false }],
    },
  };
}

type RateFigures = Pick<StatsReport, 'timelyAcceptanceRate' | 'onTimeConclusionRate' | 'supervisedResolutionRate' | 'disputeResolutionRate'>;

const RATES: Array<[string, (x: RateFigures) => number | null]> = [
  ['及时受理率', (x) => x.timelyAcceptanceRate],
  ['按期办结率', (x) => x.onTimeConclusionRate],
  ['督查督办化解率', (x) => x.supervisedResolutionRate],
  ['矛盾纠纷化解率', (x) => x.disputeResolutionRate],
];

/** The four rates, this period against the previous one (grouped bar, in %); a rate with no denominator is left out. */
export function rateChart(r: StatsReport): StatsChart | null {
  const periods: Array<[string, RateFigures]> = [[`本期（${r.period.label}）`, r]];
  if (r.previous) periods.push([`上期（${r.previous.period.label}）`, r.previous]);
  const values = RATES.flatMap(([rate, get]) =>
    periods.flatMap(([period, figures]) => {
      const value = percent(get(figures));
      return value === null ? [] : [{ rate, period, value }];
    }),
  );
  if (!values.length) return null;
  return {
    id: 'chart_rates',
    title: '四项比率',
    spec: {
      type: 'bar',
      title: title(r.previous ? '四项比率与上期对比（%）' : '四项比率（%）'),
      data: { id: 'rates', values },
      xField: ['rate', 'period'],
      yField: 'value',
      seriesField: 'period',
      label: { visible: true },
      legends: { visible: true, orient: 'bottom' },
      axes: [{ orient: 'left', min: 0, max: 100 }, { orient: 'bottom' }],
    },
  };
}

/** The charts of the statistics card, in the order they are shown. */
export function statsCharts(r: StatsReport): StatsChart[] {
  return [monthChart(r), categoryChart(r), townChart(r), rateChart(r)].filter((c): c is StatsChart => c !== null);
}
