import { changedDays, chineseDaysData, HolidayCalendar } from '../../../../src/platform/calendar/domain';

const base = chineseDaysData();

describe('changedDays: the days an import changes', () => {
  test('a newly declared year: every one of its days stops being an estimate', () => {
    const before = new HolidayCalendar(base);
    const after = new HolidayCalendar(base, [{ date: '2027-01-01', kind: 'holiday', name: '元旦' }], [2027]);
    const days = changedDays(before, after, [2026, 2027]);
    expect(days).toHaveLength(365);
    expect(days[0]).toBe('2027-01-01');
    expect(days.at(-1)).toBe('2027-12-31');
  });

  test('a correction inside a known year: that day only, sorted, and only the years asked for', () => {
    const before = new HolidayCalendar(base);
    const after = new HolidayCalendar(base, [
      { date: '2026-11-20', kind: 'holiday', name: '本地假日' }, // a Friday
      { date: '2026-11-21', kind: 'holiday' }, // a Saturday: a rest day already
      { date: '2026-03-07', kind: 'workday' }, // a Saturday made a working day
    ]);
    expect(changedDays(before, after, [2026, 2026])).toEqual(['2026-03-07', '2026-11-20']);
    expect(changedDays(before, after, [2025])).toEqual([]);
  });

  test('the same calendar twice changes nothing', () => {
    const a = new HolidayCalendar(base, [{ date: '2027-01-01', kind: 'holiday' }], [2027]);
    const b = new HolidayCalendar(base, [{ date: '2027-01-01', kind: 'holiday' }], [2027]);
    expect(changedDays(a, b, a.knownYears())).toEqual([]);
  });
});
