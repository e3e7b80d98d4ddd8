import { buildStatsCard } from '../../src/stats/stats-cards';
import type { PeriodStats } from '../../src/stats/domain/metrics';

/** What a reader of the card sees: the header, then each markdown block's text. */
function seen(card: Record<string, unknown>): { title: string; subtitle: string; body: string } {
  const header = card.header as { title: { content: string }; subtitle?: { content: string } };
  const elements = (card.body as { elements: Array<{ tag: string; content?: string }> }).elements;
  return {
    title: header.title.content,
    subtitle: header.subtitle?.content ?? '',
    body: elements.map((e) => (e.tag === 'hr' ? '---' : (e.content ?? ''))).join('\n'),
  };
}

const october: PeriodStats = {
  period: { from: '2026-10-01', to: '2026-10-31', label: '2026年10月' },
  registered: 12,
  groupVisits: 2,
  repeatPetitions: 3,
  supervised: 1,
  concluded: 5,
  byChannel: [['来访', 7], ['来信', 4], ['网上信访', 1]],
  byCategory: [['城乡建设', 6], ['劳动社保', 6]],
  byTown: Array.from({ length: 10 }, (_, i): [string, number] => [`镇${i + 1}`, 10 - i]),
  timelyDecision: { onTime: 2, due: 3, rate: 2 / 3 },
  timelyConclusion: { onTime: 4, due: 4, rate: 1 },
};

test('the card names the period and shows the counts, with the rates as percentages of what fell due', () => {
  const card = buildStatsCard(october);
  const { title, subtitle, body } = seen(card);
  expect(title).toBe('信访统计 · 2026年10月');
  expect(subtitle).toBe('2026-10-01 至 2026-10-31');
  expect(body).toContain('**登记信访事项**：12 件');
  expect(body).toContain('**其中集体访**：2 件');
  expect(body).toContain('**重复信访**：3 件');
  expect(body).toContain('**挂牌督办**：1 件');
  expect(body).toContain('**办结**：5 件');
  expect(body).toContain('**及时受理率**：66.7%（2/3）');
  expect(body).toContain('**按期办结率**：100%（4/4）');
  expect(body).toContain('**按信访形式**：来访 7，来信 4，网上信访 1');
  // Eight places at most, then an ellipsis.
  expect(body).toContain('**按问题属地**：镇1 10，镇2 9，镇3 8，镇4 7，镇5 6，镇6 5，镇7 4，镇8 3 …');
  expect(body).not.toContain('镇9');
  expect(body).toContain('尚在期限内的不计');
  expect((card.header as { template: string }).template).toBe('indigo');
});

test('a period with nothing registered and nothing due shows zeros, — for the rates and 无 for the breakdowns', () => {
  const empty: PeriodStats = {
    ...october,
    period: { from: '2027-01-01', to: '2027-12-31', label: '2027年' },
    registered: 0, groupVisits: 0, repeatPetitions: 0, supervised: 0, concluded: 0,
    byChannel: [], byCategory: [], byTown: [],
    timelyDecision: { onTime: 0, due: 0, rate: null },
    timelyConclusion: { onTime: 0, due: 0, rate: null },
  };
  const { title, body } = seen(buildStatsCard(empty));
  expect(title).toBe('信访统计 · 2027年');
  expect(body).toContain('**登记信访事项**：0 件');
  expect(body).toContain('**及时受理率**：—（本期无到期事项）');
  expect(body).toContain('**按期办结率**：—（本期无到期事项）');
  expect(body).toContain('**按信访形式**：无');
  expect(body).toContain('**按问题类别**：无');
  expect(body).toContain('**按问题属地**：无');
  expect(body).not.toMatch(/\d+(\.\d)?%/);
});
