import { parseDayWord } from '../../../../src/platform/calendar/domain';

describe('parseDayWord: a day as typed in chat', () => {
  const today = '2026-12-31';

  test.each([
    ['今天', '2026-12-31'],
    ['明天', '2027-01-01'],
    ['后天', '2027-01-02'],
    ['昨天', '2026-12-30'],
    ['2026-12-03', '2026-12-03'],
    ['2027/1/4', '2027-01-04'],
    ['2027.01.04', '2027-01-04'],
    ['2027年1月4日', '2027-01-04'],
    ['12月3日', '2026-12-03'],
    ['12月3号', '2026-12-03'],
    [' 3-1 ', '2027-03-01'],
    // Without a year, a day long past is next year's.
    ['1月2日', '2027-01-02'],
    ['10月8日', '2026-10-08'],
    // Weekdays: weeks run Monday to Sunday; 12/31 is a Thursday.
    ['下周一', '2027-01-04'],
    ['下星期三', '2027-01-06'],
    ['本周一', '2026-12-28'],
    ['这周日', '2027-01-03'],
    ['上周五', '2026-12-25'],
    ['周四', '2026-12-31'],
    ['周三', '2027-01-06'],
  ])('%s → %s', (input, expected) => {
    expect(parseDayWord(input, today)).toBe(expected);
  });

  test.each(['下周八', '周', '2026-02-30', '13月1日', '2026-1', '', '明天上午', 'toString', '__proto__', 'constructor', '2026-12月3日', '2026/12-3'])('“%s” is not a day it can read', (input) => {
    expect(parseDayWord(input, today)).toBeNull();
  });
});
