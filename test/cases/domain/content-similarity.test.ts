import {
  bigrams, contentSimilarity, normalizeForSimilarity, similarByContent, SIMILARITY_THRESHOLD,
} from '../../../src/cases/domain/content-similarity';

/** The same matter written twice by different hands (should match) and different matters (should not). */
const SAME: Array<[string, string]> = [
  ['村口道路坑洼积水，雨天无法通行，要求修缮排水沟。', '反映村口的道路坑洼不平，一下雨就积水，无法通行，请求尽快修缮排水沟'],
  ['小区物业乱收费，要求退还多收的物业费。', '反映小区物业公司乱收费问题，要求退还多收物业费'],
  ['我是七拱镇新村人，村委会干部挪用征地补偿款，至今没有发放到农户手中，要求查处并发放补偿款。', '七拱镇新村村干部挪用征地补偿款不发放给农户，请求上级查处，尽快发放补偿款'],
  ['某建筑工地拖欠我们二十多名农民工工资共计三十万元，要求支付。', '反映某建筑工地老板拖欠农民工工资三十万元，请求帮助讨薪'],
];
const DIFFERENT: Array<[string, string]> = [
  ['小区物业乱收费，要求退还多收的物业费。', '小区电梯经常故障，物业不维修，要求督促维修电梯。'],
  ['村口道路坑洼积水，雨天无法通行，要求修缮排水沟。', '学校食堂卫生问题，要求整改。'],
  ['反映拖欠农民工工资问题，要求老板支付工资。', '反映工厂噪音扰民问题，要求环保部门查处。'],
  ['反映某某村征地补偿款不合理，要求提高补偿标准。', '七拱镇新村村干部挪用征地补偿款不发放给农户，请求上级查处，尽快发放补偿款'],
];

describe('content similarity (character bigrams, Jaccard)', () => {
  test.each(SAME)('the same matter reworded reaches the threshold: %s / %s', (a, b) => {
    expect(contentSimilarity(a, b)).toBeGreaterThanOrEqual(SIMILARITY_THRESHOLD);
  });

  test.each(DIFFERENT)('different matters of the same kind stay well below it: %s / %s', (a, b) => {
    expect(contentSimilarity(a, b)).toBeLessThan(SIMILARITY_THRESHOLD - 0.1);
  });

  test('punctuation, spaces, full-width forms and the numbers themselves do not matter', () => {
    expect(normalizeForSimilarity('要求， 退还  ５００元！ABC')).toBe('要求退还0元abc');
    expect(contentSimilarity('拖欠工资3000元，要求支付', '拖欠工资 5,000 元。要求支付！')).toBe(1);
    expect(bigrams('道路积水')).toEqual(new Set(['道路', '路积', '积水']));
  });

  test('is symmetric, 1 for the same text, 0 when too short to tell', () => {
    const [a, b] = SAME[0];
    expect(contentSimilarity(a, b)).toBe(contentSimilarity(b, a));
    expect(contentSimilarity(a, a)).toBe(1);
    expect(contentSimilarity('噪音', '噪音')).toBe(0);
    expect(contentSimilarity('', a)).toBe(0);
  });

  test('similarByContent keeps those above the threshold, most similar first, at most the limit', () => {
    const cases = [
      { no: 'a', content: DIFFERENT[0][1] },
      { no: 'b', content: SAME[1][1] },
      { no: 'c', content: SAME[1][0] },
      { no: 'd', content: '小区物业乱收费问题' },
    ];
    const found = similarByContent(SAME[1][0], cases);
    expect(found.map((f) => f.item.no)).toEqual(['c', 'b', 'd']);
    expect(found[0].score).toBe(1);
    expect(similarByContent(SAME[1][0], cases, { limit: 1 }).map((f) => f.item.no)).toEqual(['c']);
    expect(similarByContent('噪音', cases)).toEqual([]);
  });
});
