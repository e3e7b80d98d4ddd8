import { monthsOf, parsePeriod, periodError, previousPeriod } from '../../../src/stats/domain/periods';

const today = '2026-11-27';

test.each([
  ['', '2026-11-01', '2026-11-30', '2026年11月', 'month'],
  ['本月', '2026-11-01', '2026-11-30', '2026年11月', 'month'],
  ['上月', '2026-10-01', '2026-10-31', '2026年10月', 'month'],
  ['本季度', '2026-10-01', '2026-12-31', '2026年第四季度', 'quarter'],
  ['上季度', '2026-07-01', '2026-09-30', '2026年第三季度', 'quarter'],
  ['今年', '2026-01-01', '2026-12-31', '2026年', 'year'],
  ['去年', '2025-01-01', '2025-12-31', '2025年', 'year'],
  ['2026', '2026-01-01', '2026-12-31', '2026年', 'year'],
  ['2024年', '2024-01-01', '2024-12-31', '2024年', 'year'],
  ['2026-10', '2026-10-01', '2026-10-31', '2026年10月', 'month'],
  ['2026年10月', '2026-10-01', '2026-10-31', '2026年10月', 'month'],
  ['2024年2月', '2024-02-01', '2024-02-29', '2024年2月', 'month'],
  ['2026Q3', '2026-07-01', '2026-09-30', '2026年第三季度', 'quarter'],
  ['2026q3', '2026-07-01', '2026-09-30', '2026年第三季度', 'quarter'],
  ['2026-Q1', '2026-01-01', '2026-03-31', '2026年第一季度', 'quarter'],
  ['2026年第三季度', '2026-07-01', '2026-09-30', '2026年第三季度', 'quarter'],
  ['2026年三季度', '2026-07-01', '2026-09-30', '2026年第三季度', 'quarter'],
  ['2026年第3季度', '2026-07-01', '2026-09-30', '2026年第三季度', 'quarter'],
  ['2026年第二季度', '2026-04-01', '2026-06-30', '2026年第二季度', 'quarter'],
  ['2026-03-05..2026-04-08', '2026-03-05', '2026-04-08', '2026年3月5日至2026年4月8日', 'range'],
  ['2026-03-05至2026-04-08', '2026-03-05', '2026-04-08', '2026年3月5日至2026年4月8日', 'range'],
  ['3月5日至4月8日', '2026-03-05', '2026-04-08', '2026年3月5日至2026年4月8日', 'range'],
  ['2025年12月20日至2026年1月5日', '2025-12-20', '2026-01-05', '2025年12月20日至2026年1月5日', 'range'],
  ['2026-10-09..2026-10-09', '2026-10-09', '2026-10-09', '2026年10月9日至2026年10月9日', 'range'],
])('“%s” reads as %s to %s (%s)', (input, from, to, label, kind) => {
  expect(parsePeriod(input, today)).toEqual({ from, to, label, kind });
  expect(periodError(input, today)).toBeNull();
});

test('January asks for last December; the first quarter asks for last year’s fourth', () => {
  expect(parsePeriod('上月', '2026-01-15')?.label).toBe('2025年12月');
  expect(parsePeriod('上季度', '2026-02-15')).toMatchObject({ from: '2025-10-01', to: '2025-12-31', label: '2025年第四季度' });
});

test.each(['2026-13', '2026Q5', '2026年第五季度', '明年的今天', '1999', '2026-02-30..2026-03-01', '3月5日至', '下辈子'])('“%s” is not a period: null, and the forms listed', (input) => {
  expect(parsePeriod(input, today)).toBeNull();
  expect(periodError(input, today)).toContain('可以写：本月、上月、本季度');
});

test('a range ending before it starts, or longer than ten years, is refused with its own reason', () => {
  expect(parsePeriod('2026-04-08..2026-03-05', today)).toBeNull();
  expect(periodError('2026-04-08..2026-03-05', today)).toBe('时间段的结束日（2026年3月5日）早于开始日（2026年4月8日），请把较早的日期写在前面');
  expect(parsePeriod('2016-01-01..2025-12-31', today)?.kind).toBe('range'); // exactly ten years
  expect(parsePeriod('2016-01-01..2026-01-01', today)).toBeNull();
  expect(periodError('2016-01-01..2026-01-01', today)).toContain('最长10年');
});

test.each([
  ['2026-03', '2026-02-01', '2026-02-28', '2026年2月'],
  ['2026-01', '2025-12-01', '2025-12-31', '2025年12月'],
  ['2026Q1', '2025-10-01', '2025-12-31', '2025年第四季度'],
  ['2026Q3', '2026-04-01', '2026-06-30', '2026年第二季度'],
  ['2026', '2025-01-01', '2025-12-31', '2025年'],
  ['2026-03-05..2026-04-08', '2026-01-29', '2026-03-04', '2026年1月29日至2026年3月4日'], // the 35 days before
  ['2026-10-09..2026-10-09', '2026-10-08', '2026-10-08', '2026年10月8日至2026年10月8日'],
])('the period before %s is %s to %s', (input, from, to, label) => {
  expect(previousPeriod(parsePeriod(input, today)!)).toMatchObject({ from, to, label });
});

test('the months a period touches', () => {
  expect(monthsOf(parsePeriod('2026Q3', today)!)).toEqual(['2026-07', '2026-08', '2026-09']);
  expect(monthsOf(parsePeriod('2025-12-20..2026-01-05', today)!)).toEqual(['2025-12', '2026-01']);
  expect(monthsOf(parsePeriod('2026', today)!)).toHaveLength(12);
});
