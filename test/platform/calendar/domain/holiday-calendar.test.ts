import { chineseDaysData, HolidayCalendar, UnknownYearError, addDays } from '../../../../src/platform/calendar/domain';

const cal = new HolidayCalendar(chineseDaysData());

// Checked against the State Council notices: 国办发明电〔2023〕7号 (2024), 〔2024〕12号 (2025), 〔2025〕7号 (2026).
const OFFICIAL: Record<number, { off: Array<[string, string]>; makeup: string[] }> = {
  2024: {
    off: [['2024-01-01', '2024-01-01'], ['2024-02-10', '2024-02-17'], ['2024-04-04', '2024-04-06'], ['2024-05-01', '2024-05-05'],
      ['2024-06-10', '2024-06-10'], ['2024-09-15', '2024-09-17'], ['2024-10-01', '2024-10-07']],
    makeup: ['2024-02-04', '2024-02-18', '2024-04-07', '2024-04-28', '2024-05-11', '2024-09-14', '2024-09-29', '2024-10-12'],
  },
  2025: {
    off: [['2025-01-01', '2025-01-01'], ['2025-01-28', '2025-02-04'], ['2025-04-04', '2025-04-06'], ['2025-05-01', '2025-05-05'],
      ['2025-05-31', '2025-06-02'], ['2025-10-01', '2025-10-08']],
    makeup: ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11'],
  },
  2026: {
    off: [['2026-01-01', '2026-01-03'], ['2026-02-15', '2026-02-23'], ['2026-04-04', '2026-04-06'], ['2026-05-01', '2026-05-05'],
      ['2026-06-19', '2026-06-21'], ['2026-09-25', '2026-09-27'], ['2026-10-01', '2026-10-07']],
    makeup: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
  },
};

describe('HolidayCalendar against the official notices', () => {
  for (const [year, data] of Object.entries(OFFICIAL)) {
    test(`${year}: every day off is a rest day, every 调休 day a working day, and nothing else differs from plain weekends`, () => {
      const off = new Set<string>();
      for (const [a, b] of data.off) for (let d = a; d <= b; d = addDays(d, 1)) off.add(d);
      const makeup = new Set(data.makeup);
      for (let d = `${year}-01-01`; d.startsWith(year); d = addDays(d, 1)) {
        const weekend = [0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay());
        const expected = makeup.has(d) ? true : off.has(d) ? false : !weekend;
        expect([d, cal.isWorkingDay(d)]).toEqual([d, expected]);
      }
    });
  }

  test('names the kind of day: 调休 Saturday, holiday, weekend, workday', () => {
    expect(cal.dayKind('2026-02-14')).toBe('makeup-workday');
    expect(cal.dayKind('2026-02-17')).toBe('holiday');
    expect(cal.dayKind('2026-03-07')).toBe('weekend');
    expect(cal.dayKind('2026-03-09')).toBe('workday');
    expect(cal.holidayName('2026-10-01')).toBe('国庆节');
  });

  test('a year without data is unknown, never guessed as plain weekdays', () => {
    expect(cal.isKnown('2027-01-01')).toBe(false);
    expect(() => cal.isWorkingDay('2027-01-01')).toThrow(UnknownYearError);
    expect(() => cal.isWorkingDay('2027-01-01')).toThrow(/2027 年/);
    // Its message can reach chat: plain words, no command line.
    expect(() => cal.isWorkingDay('2027-01-01')).toThrow('请系统管理员在国务院办公厅通知发布后，在服务器上导入 2027 年的节假日安排');
    expect(() => cal.isWorkingDay('2027-01-01')).not.toThrow(/xinfang|--[a-z]/);
    expect(cal.knownYears()).toContain(2026);
  });

  test('nextWorkingDay crosses the 8-day National Day break of 2025 (where chinese-workday gives up)', () => {
    expect(cal.nextWorkingDay('2025-09-30')).toBe('2025-10-09');
    expect(cal.nextWorkingDay('2026-02-13')).toBe('2026-02-14'); // 调休 Saturday
    expect(cal.nextWorkingDay('2026-02-14')).toBe('2026-02-24');
  });

  test('addWorkingDays counts 调休 days and skips holidays', () => {
    // 10/9 Thu, 10/10 Fri, 10/11 Sat (调休), 10/13 Mon, 10/14 Tue
    expect(cal.addWorkingDays('2025-09-30', 5)).toBe('2025-10-14');
    expect(cal.addWorkingDays('2025-10-14', -5)).toBe('2025-09-30');
    expect(cal.workingDaysBetween('2025-09-30', '2025-10-14')).toBe(5);
    expect(cal.workingDaysBetween('2025-10-14', '2025-09-30')).toBe(-5);
  });

  test('admin overrides win over the package, and declare a new year known', () => {
    const patched = new HolidayCalendar(
      chineseDaysData(),
      [{ date: '2027-01-01', kind: 'holiday', name: '元旦' }, { date: '2026-03-09', kind: 'holiday', name: '测试' }],
      [2027],
    );
    expect(patched.isWorkingDay('2027-01-01')).toBe(false);
    expect(patched.isWorkingDay('2027-01-04')).toBe(true);
    expect(patched.isWorkingDay('2026-03-09')).toBe(false);
  });
});
