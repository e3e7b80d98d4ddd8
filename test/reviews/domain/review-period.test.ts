import { parseReviewPeriod } from '../../../src/reviews/domain/review-period';

const today = '2026-11-10';
const read = (s: string) => parseReviewPeriod(s, today);

test('months, quarters, years and ranges read the way people write them', () => {
  expect(read('2026-10')).toEqual({ from: '2026-10-01', to: '2026-10-31', label: '2026年10月' });
  expect(read('2026年2月')).toEqual({ from: '2026-02-01', to: '2026-02-28', label: '2026年2月' });
  expect(read('2026Q3')).toEqual({ from: '2026-07-01', to: '2026-09-30', label: '2026年第三季度' });
  expect(read('2026q4')).toEqual({ from: '2026-10-01', to: '2026-12-31', label: '2026年第四季度' });
  expect(read('2026年第三季度')).toEqual(read('2026Q3'));
  expect(read('2026年第1季度')).toEqual({ from: '2026-01-01', to: '2026-03-31', label: '2026年第一季度' });
  expect(read('2026')).toEqual({ from: '2026-01-01', to: '2026-12-31', label: '2026年' });
  expect(read('2026年')).toEqual(read('2026'));
  expect(read('2026-07-15..2026-08-14')).toEqual({ from: '2026-07-15', to: '2026-08-14', label: '2026-07-15至2026-08-14' });
  expect(read('2026-07-15至2026-08-14')).toEqual(read('2026-07-15..2026-08-14'));
  expect(read('本月')?.label).toBe('2026年11月');
  expect(read('上月')?.label).toBe('2026年10月');
  expect(read('本季度')?.label).toBe('2026年第四季度');
  expect(read('去年')?.label).toBe('2025年');
});

test('what is not a period is null: a 13th month, a 5th quarter, a range backwards, a day that does not exist, words', () => {
  for (const s of ['2026-13', '2026Q5', '2026年第五季度', '2026-09-01..2026-08-01', '2026-02-30..2026-03-01', '下半年', '', '1999']) {
    expect(read(s)).toBeNull();
  }
});
