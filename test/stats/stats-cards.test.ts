import { buildStatsCard } from '../../src/stats/stats-cards';
import { cardBytes, checkCard, MAX_CARD_BYTES } from '../helpers/lark-card-rules';
import { cardHeader, elementsOf } from '../helpers/cards';
import { sampleStatsReport } from './stats-report-sample';

/** What a reader of the card sees: the header, each markdown block's text, and the charts' titles. */
function seen(card: Record<string, unknown>) {
  const header = cardHeader(card);
  const els = elementsOf((card.body as { elements: unknown[] }).elements);
  return {
    title: header.title.content,
    subtitle: header.subtitle?.content ?? '',
    body: els.filter((e) => e.tag === 'markdown').map((e) => e.content as string).join('\n'),
    charts: els.filter((e) => e.tag === 'chart').map((e) => (e.chart_spec.title as { text: string }).text),
  };
}

describe('the statistics card', () => {
  test('names the period in Chinese dates and shows every count the bureau reports', () => {
    const { title, subtitle, body } = seen(buildStatsCard(sampleStatsReport()));
    expect(title).toBe('信访统计 · 2026年');
    expect(subtitle).toBe('2026年1月1日至12月31日 · 截至12月2日（周三）');
    expect(subtitle).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    for (const line of ['**登记信访事项**：345 件', '**其中集体访**：12 件', '**重复信访**：18 件', '**其中匿名**：9 件', '**办结**：320 件']) expect(body).toContain(line);
    expect(body).toContain('**按信访形式**：来访 150，来信 95，网上信访 60，电话 40');
  });

  test('each rate with its numerator and denominator', () => {
    const { body } = seen(buildStatsCard(sampleStatsReport()));
    expect(body).toContain('**及时受理率**：98.5%（330/335）');
    expect(body).toContain('**按期办结率**：96.8%（300/310）');
    expect(body).toContain('**督查督办化解率**：100%（27/27）');
    expect(body).toContain('**矛盾纠纷化解率**：96.6%（196/203）');
  });

  test('the ledgers and what is overdue today', () => {
    const { body } = seen(buildStatsCard(sampleStatsReport()));
    expect(body).toContain('**信访函件**：提醒函 15 件，督办函 12 件，改进工作建议函 6 件，共 33 件');
    expect(body).toContain('**信访事项评查**：评查 336 件，规范 314 件，发现问题 22 个，已整改 22 个');
    expect(body).toContain('**矛盾纠纷排查**：排查 203 件，化解 196 件，化解中 7 件，转信访 0 件');
    expect(body).toContain('**领导接访**：接访 96 场（计划 104 场），接待 210 批 388 人次');
    expect(body).toContain('**当前逾期**：3 件（超受理期限 1 件，超办结期限 2 件）');
  });

  test('a ledger without data reads 暂无数据, never 0; a rate with nothing due says so instead of 0% or 100%', () => {
    const r = sampleStatsReport({
      letters: null, reviews: null, disputes: null, receptions: null, consultations: null, disputeResolution: null, disputeResolutionRate: null,
      timelyAcceptance: { numerator: 0, denominator: 0, rate: null }, timelyAcceptanceRate: null,
    });
    const { body } = seen(buildStatsCard(r));
    for (const k of ['信访函件', '信访事项评查', '矛盾纠纷排查', '领导接访', '会商', '矛盾纠纷化解率']) expect(body).toContain(`**${k}**：暂无数据`);
    expect(body).toContain('**及时受理率**：—（本期无到期事项）');
    expect(body).not.toMatch(/及时受理率\*\*：(0|100)/);
  });

  test('four charts: per month, by category, by town, the rates against the previous period; the card passes Lark’s rules', () => {
    const card = buildStatsCard(sampleStatsReport());
    expect(seen(card).charts).toEqual(['各月登记信访事项（件）', '按问题类别（件）', '按问题属地（件）', '四项比率与上期对比（%）']);
    expect(checkCard(card)).toEqual([]);
  });

  test('a month without registrations says there is nothing to draw, and still passes', () => {
    const card = buildStatsCard(sampleStatsReport({
      period: { from: '2026-10-01', to: '2026-10-31', label: '2026年10月', kind: 'month' }, registered: 0, byMonth: [{ month: '2026-10', count: 0 }],
      byCategory: [], byTown: [], byChannel: [], byPurpose: [], timelyAcceptanceRate: null, onTimeConclusionRate: null, supervisedResolutionRate: null,
      disputeResolutionRate: null, previous: null,
    }));
    expect(seen(card).subtitle).toMatch(/^2026年10月1日至10月31日/);
    expect(seen(card).body).toContain('本期没有可画图的数据。');
    expect(seen(card).body).toContain('**按信访形式**：无');
    expect(checkCard(card)).toEqual([]);
  });

  test('the worst case — a range of years, 40 towns, 30 categories, long names — stays under Lark’s 30 KB', () => {
    const months = Array.from({ length: 120 }, (_, i) => ({ month: `${2017 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`, count: 9999 }));
    const r = sampleStatsReport({
      period: { from: '2017-01-01', to: '2026-12-31', label: '2017年1月1日至2026年12月31日', kind: 'range' },
      byMonth: months,
      byTown: Array.from({ length: 40 }, (_, i) => ({ name: `某某县某某某某某街道办事处${i + 1}`, count: 5000 - i })),
      byCategory: Array.from({ length: 30 }, (_, i) => ({ name: `某某某某某某类别问题${i + 1}`, count: 3000 - i })),
      byChannel: Array.from({ length: 12 }, (_, i) => ({ name: `渠道${i + 1}`, count: 100 })),
      byPurpose: Array.from({ length: 12 }, (_, i) => ({ name: `目的${i + 1}`, count: 100 })),
    });
    const card = buildStatsCard(r);
    expect(cardBytes(card)).toBeLessThan(MAX_CARD_BYTES);
    expect(checkCard(card)).toEqual([]);
    const town = elementsOf(card).find((e) => e.tag === 'chart' && e.element_id === 'chart_town');
    expect(town.chart_spec.data.values).toHaveLength(13);
  });
});
