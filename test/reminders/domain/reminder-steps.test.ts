import { addDays, chineseDaysData, HolidayCalendar, shanghaiInstant } from '../../../src/platform/calendar/domain';
import {
  currentStep, DEFAULT_POLICY, parseStepCode, parseSteps, scanHorizon, stepLabel, stepsOf, timeLeft, workingOffset,
} from '../../../src/reminders/domain/reminder-steps';
import { escalationLevel } from '../../../src/reminders/domain/escalation';
import { WorkingDays } from '../../../src/platform/calendar/domain/lenient-working-days';
import { checkWorkingHours, dueInstant, isWorkingTime, nextWorkingTime } from '../../../src/reminders/domain/working-hours';

const days = new WorkingDays(new HolidayCalendar(chineseDaysData()));
const hours = { start: '09:00', end: '17:30' };
const sh = (date: string, time: string) => shanghaiInstant(date, time).toISOString();

/** Every step a deadline gets when the scan runs each day between from and to. */
function walk(due: string, supervised: boolean, from: string, to: string, policy = DEFAULT_POLICY): Array<[string, string]> {
  const seen = new Set<string>();
  const out: Array<[string, string]> = [];
  for (let d = from; d <= to; d = addDays(d, 1)) {
    if (!days.isWorkingDay(d)) continue;
    const s = currentStep(d, due, supervised, days, policy);
    if (s && !seen.has(s.code)) {
      seen.add(s.code);
      out.push([d, s.code]);
    }
  }
  return out;
}

describe('reminder steps across National Day 2025 (10/1–10/8 off; 9/28 Sun and 10/11 Sat are working days)', () => {
  // A 15-day period from 2025-09-20 ends 10/5, a holiday, and rolls to Thursday 10/9.
  const due = '2025-10-09';

  test('3 working days before lands on the 调休 Sunday 9/28; 1 before on 9/30; none during the holiday; overdue each working day', () => {
    expect(walk(due, false, '2025-09-20', '2025-10-15')).toEqual([
      ['2025-09-28', 'before-3'],
      ['2025-09-30', 'before-1'],
      ['2025-10-09', 'due'],
      ['2025-10-10', 'overdue-1'],
      ['2025-10-11', 'overdue-2'], // 调休 Saturday
      ['2025-10-13', 'overdue-3'], // Sunday 10/12 is skipped
      ['2025-10-14', 'overdue-4'],
      ['2025-10-15', 'overdue-5'],
    ]);
  });

  test('a supervised case starts earlier: 5, 3 and 1 working days before', () => {
    expect(walk(due, true, '2025-09-20', '2025-10-09')).toEqual([
      ['2025-09-25', 'before-5'],
      ['2025-09-28', 'before-3'],
      ['2025-09-30', 'before-1'],
      ['2025-10-09', 'due'],
    ]);
  });

  test('stepsOf lists the same days with their escalation', () => {
    const s = stepsOf(due, false, days, DEFAULT_POLICY, 3);
    expect(s.map((x) => [x.code, x.date, x.level, x.flagsLetter])).toEqual([
      ['before-3', '2025-09-28', 0, false],
      ['before-1', '2025-09-30', 0, false],
      ['due', '2025-10-09', 0, false],
      ['overdue-1', '2025-10-10', 1, false],
      ['overdue-2', '2025-10-11', 1, false],
      ['overdue-3', '2025-10-13', 2, true],
    ]);
  });

  test('a scan that missed days sends only the latest step reached, not a backlog', () => {
    // Down from 9/26 to 10/9: on 10/9 only "due" is due, not before-3 and before-1 as well.
    expect(currentStep('2025-10-09', due, false, days, DEFAULT_POLICY)?.code).toBe('due');
    // A deadline created two working days before it falls due still gets the before-3 reminder at once.
    expect(currentStep('2025-09-29', due, false, days, DEFAULT_POLICY)?.code).toBe('before-3');
    // Before the first step there is nothing to send.
    expect(currentStep('2025-09-26', due, false, days, DEFAULT_POLICY)).toBeNull();
  });

  test('a due date that is itself a rest day: the day is the last working day before it', () => {
    // 10/4 is in the holiday (e.g. entered by hand); "due" goes out on 9/30, overdue from 10/9.
    expect(walk('2025-10-04', false, '2025-09-25', '2025-10-10')).toEqual([
      ['2025-09-26', 'before-3'],
      ['2025-09-29', 'before-1'], // 9/28 is 2 before; 9/29 is 1 before
      ['2025-09-30', 'due'],
      ['2025-10-09', 'overdue-1'],
      ['2025-10-10', 'overdue-2'],
    ]);
    expect(timeLeft('2025-09-30', '2025-10-04', days).text).toContain('最后一个工作日');
  });

  test('time left and working offsets read as a person counts them', () => {
    expect(workingOffset('2025-09-28', due, days)).toBe(-3);
    expect(timeLeft('2025-09-28', due, days).text).toBe('剩余 3 个工作日（11 天）');
    expect(timeLeft(due, due, days).text).toBe('今天到期');
    expect(timeLeft('2025-10-13', due, days).text).toBe('已逾期 3 个工作日');
  });
});

describe('reminder steps across the Spring Festival 2026 (2/15–2/23 off; 2/14 and 2/28 Saturdays are working days)', () => {
  // 15 days from 2026-02-01 end 2/16, in the holiday: rolled to Tuesday 2/24.
  const due = '2026-02-24';

  test('before-1 is the 调休 Saturday 2/14; nine days of silence; overdue resumes 2/25 and includes Saturday 2/28', () => {
    expect(walk(due, false, '2026-02-05', '2026-03-03')).toEqual([
      ['2026-02-12', 'before-3'],
      ['2026-02-14', 'before-1'],
      ['2026-02-24', 'due'],
      ['2026-02-25', 'overdue-1'],
      ['2026-02-26', 'overdue-2'],
      ['2026-02-27', 'overdue-3'],
      ['2026-02-28', 'overdue-4'],
      ['2026-03-02', 'overdue-5'],
      ['2026-03-03', 'overdue-6'],
    ]);
  });

  test('escalation: supervision group from 1 working day overdue, the leader and a 督办函 flag from 3', () => {
    const levels = ['2026-02-24', '2026-02-25', '2026-02-26', '2026-02-27'].map((d) => currentStep(d, due, false, days, DEFAULT_POLICY)!.level);
    expect(levels).toEqual([0, 1, 1, 2]);
    expect(currentStep('2026-02-27', due, false, days, DEFAULT_POLICY)!.flagsLetter).toBe(true);
  });

  test('the scan horizon reaches across the holiday to every deadline with a step due', () => {
    // On 2/13, 5 working days ahead are 2/14, 2/24, 2/25, 2/26, 2/27: deadlines up to 2/27 may be due.
    expect(scanHorizon('2026-02-13', days, DEFAULT_POLICY)).toBe('2026-02-27');
    // Any due date past the horizon has no step due today, for either set of steps.
    for (let d = '2026-02-28'; d <= '2026-03-20'; d = addDays(d, 1)) {
      expect([d, currentStep('2026-02-13', d, true, days, DEFAULT_POLICY)]).toEqual([d, null]);
    }
    expect(currentStep('2026-02-13', '2026-02-27', true, days, DEFAULT_POLICY)?.code).toBe('before-5');
  });
});

describe('configurable steps', () => {
  test('parseSteps reads "3,1" style lists and refuses nonsense', () => {
    expect(parseSteps('1, 3')).toEqual([3, 1]);
    expect(parseSteps('5,3,1,0')).toEqual([5, 3, 1]);
    expect(() => parseSteps('3,x')).toThrow('无效');
  });

  test('overdue every 2 working days, leader after 5', () => {
    const policy = { ...DEFAULT_POLICY, beforeSteps: [2], overdueEvery: 2, leaderAfter: 5 };
    expect(walk('2025-10-09', false, '2025-09-25', '2025-10-20', policy)).toEqual([
      ['2025-09-29', 'before-2'],
      ['2025-10-09', 'due'],
      ['2025-10-10', 'overdue-1'],
      ['2025-10-13', 'overdue-3'],
      ['2025-10-15', 'overdue-5'],
      ['2025-10-17', 'overdue-7'],
    ]);
    expect(escalationLevel(4, policy)).toBe(1);
    expect(escalationLevel(5, policy)).toBe(2);
  });

  test('step codes read back and read well', () => {
    expect(parseStepCode('overdue-12')).toEqual({ phase: 'overdue', workingDays: 12 });
    expect(parseStepCode('nonsense')).toBeNull();
    expect(stepLabel('before-3')).toBe('到期前 3 个工作日');
    expect(stepLabel('due')).toBe('到期当日');
    expect(stepLabel('overdue-2')).toBe('逾期 2 个工作日');
  });
});

describe('quiet hours: only 09:00–17:30 on working days', () => {
  test('night, weekend and holiday instants wait for the next working morning', () => {
    expect(isWorkingTime(new Date(sh('2025-09-30', '10:00')), days, hours)).toBe(true);
    expect(isWorkingTime(new Date(sh('2025-09-30', '17:30')), days, hours)).toBe(false);
    // The evening before National Day: the next working morning is 10/9.
    expect(nextWorkingTime(new Date(sh('2025-09-30', '22:15')), days, hours).toISOString()).toBe(sh('2025-10-09', '09:00'));
    // Early on a working day: the same morning.
    expect(nextWorkingTime(new Date(sh('2025-09-29', '06:00')), days, hours).toISOString()).toBe(sh('2025-09-29', '09:00'));
    // A 调休 Sunday is a working day.
    expect(isWorkingTime(new Date(sh('2025-09-28', '11:00')), days, hours)).toBe(true);
    // Spring Festival eve at midnight: Tuesday 2/24.
    expect(nextWorkingTime(new Date(sh('2026-02-16', '00:00')), days, hours).toISOString()).toBe(sh('2026-02-24', '09:00'));
  });

  test('office hours that would silence every reminder are refused', () => {
    expect(() => checkWorkingHours({ start: '17:30', end: '09:00' })).toThrow('WORK_HOURS_START');
    expect(() => checkWorkingHours({ start: '9:00', end: '17:30' })).toThrow('HH:MM');
    expect(() => checkWorkingHours(hours)).not.toThrow();
  });

  test('a reminder time outside office hours falls due at the next opening', () => {
    expect(dueInstant('2025-09-29', '07:30', days, hours).toISOString()).toBe(sh('2025-09-29', '09:00'));
    expect(dueInstant('2025-09-30', '20:00', days, hours).toISOString()).toBe(sh('2025-10-09', '09:00'));
    expect(dueInstant('2025-09-29', '10:00', days, hours).toISOString()).toBe(sh('2025-09-29', '10:00'));
  });
});

describe('years without holiday data', () => {
  test('are read as plain weekdays, and said so', () => {
    const d = new WorkingDays(new HolidayCalendar(chineseDaysData()));
    // 2027-01-01 is a Friday: counted as a working day without the State Council notice.
    expect(currentStep('2026-12-30', '2027-01-04', false, d, DEFAULT_POLICY)?.code).toBe('before-3');
    expect(d.unknownYearsSeen.has(2027)).toBe(true);
    expect(d.isEstimate('2027-01-04')).toBe(true);
  });
});
