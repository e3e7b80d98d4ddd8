import fc from 'fast-check';
import {
  addDays, chineseDaysData, HolidayCalendar, InvalidPeriodError, legalPeriodEnd, UnknownYearError, workingDayPeriodEnd,
  InvalidDateError,
} from '../../../../src/platform/calendar/domain';

const cal = new HolidayCalendar(chineseDaysData());
const std = { rollOverWeekends: true };
const end = (trigger: string, days: number, opts = std) => legalPeriodEnd(trigger, days, cal, opts).lastDay;

describe('legalPeriodEnd (民法典 arts. 201–203)', () => {
  test('counting starts the day after the trigger', () => {
    expect(end('2026-03-02', 15)).toBe('2026-03-17'); // Mon + 15 = Tue
  });

  test('a last day inside National Day 2025 moves to the first day after the break', () => {
    expect(end('2025-09-16', 15)).toBe('2025-10-09');
    const r = legalPeriodEnd('2025-09-20', 15, cal, std);
    expect(r).toMatchObject({ nominalLastDay: '2025-10-05', lastDay: '2025-10-09', rolledOverDays: 4, provisional: false });
  });

  test('Spring Festival 2026: 2/16 rolls to 2/24', () => {
    expect(end('2026-02-01', 15)).toBe('2026-02-24');
  });

  test('a 调休 make-up Saturday or Sunday ends the period (it is a working day)', () => {
    expect(end('2026-01-30', 15)).toBe('2026-02-14');
    expect(end('2026-09-05', 15)).toBe('2026-09-20');
    expect(end('2025-09-26', 15)).toBe('2025-10-11');
  });

  test('an ordinary weekend rolls to Monday by default, and stays when the setting is off', () => {
    expect(end('2026-03-06', 15)).toBe('2026-03-23');
    expect(end('2026-03-06', 15, { rollOverWeekends: false })).toBe('2026-03-21');
    // A holiday still rolls with the setting off.
    expect(end('2025-09-20', 15, { rollOverWeekends: false })).toBe('2025-10-09');
  });

  test('60 days of handling across New Year', () => {
    expect(end('2025-11-03', 60)).toBe('2026-01-04'); // 1/2 nominal is a holiday; 1/4 (Sun) is 调休
  });

  test('a period ending in a year without data throws, or is marked provisional when allowed', () => {
    expect(() => end('2026-12-20', 15)).toThrow(UnknownYearError);
    const r = legalPeriodEnd('2026-12-20', 15, cal, { ...std, allowProvisional: true });
    expect(r).toMatchObject({ lastDay: '2027-01-04', provisional: true, unknownYears: [2027] });
  });

  test('bad input is refused with a reason', () => {
    expect(() => end('2026-02-30', 15)).toThrow(InvalidDateError);
    expect(() => end('2026-13-01', 15)).toThrow(InvalidDateError);
    expect(() => end('20260301', 15)).toThrow(InvalidDateError);
    expect(() => end('2026-03-01', 0)).toThrow(InvalidPeriodError);
    expect(() => end('2026-03-01', -3)).toThrow(InvalidPeriodError);
    expect(() => end('2026-03-01', 1.5)).toThrow(InvalidPeriodError);
  });

  test('property: the last day is never before the nominal day, is a working day, and only rest days are skipped', () => {
    const triggers = fc.integer({ min: 0, max: 3 * 365 - 120 }).map((n) => addDays('2024-01-01', n));
    fc.assert(
      fc.property(triggers, fc.integer({ min: 1, max: 90 }), (trigger, days) => {
        const r = legalPeriodEnd(trigger, days, cal, std);
        expect(r.lastDay >= r.nominalLastDay).toBe(true);
        expect(cal.isWorkingDay(r.lastDay)).toBe(true);
        for (let d = r.nominalLastDay; d < r.lastDay; d = addDays(d, 1)) expect(cal.isWorkingDay(d)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  test('5 working days (工作日) for an objection to remit', () => {
    expect(workingDayPeriodEnd('2025-09-30', 5, cal)).toBe('2025-10-14');
  });
});
