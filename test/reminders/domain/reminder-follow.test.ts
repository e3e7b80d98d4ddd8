import { chineseDaysData, HolidayCalendar } from '../../../src/platform/calendar/domain';
import { WorkingDays } from '../../../src/platform/calendar/domain/lenient-working-days';
import { planReminderFollow, RecordedReminder } from '../../../src/reminders/domain/reminder-follow';
import { DEFAULT_POLICY, stepOf, stepsOf } from '../../../src/reminders/domain/reminder-steps';

// 2027 as the import makes it: 元旦 1.1–1.3.
const days = new WorkingDays(
  new HolidayCalendar(chineseDaysData(), ['2027-01-01', '2027-01-02', '2027-01-03'].map((date) => ({ date, kind: 'holiday' as const })), [2027]),
);
const move = { caseId: 7, caseNo: '2026-000007', kind: 'conclusion', from: '2027-01-01', to: '2027-01-04' };
const rec = (id: number, step: string, dueDate = '2027-01-01', kind = 'conclusion', caseId = 7): RecordedReminder => ({ id, caseId, kind, dueDate, step });

describe('what becomes of the reminders recorded for a moved deadline', () => {
  test('a step the new date has reached by today was said: it moves to the new date; a later one stays as history', () => {
    // 1 January (the old estimate's last day), after its "due" reminder went out.
    const plan = planReminderFollow([move], [rec(1, 'before-3'), rec(2, 'before-1'), rec(3, 'due')], '2027-01-01', days, DEFAULT_POLICY);
    expect(plan.rekey).toEqual([
      { id: 1, caseNo: '2026-000007', kind: 'conclusion', step: 'before-3', from: '2027-01-01', to: '2027-01-04' },
      { id: 2, caseNo: '2026-000007', kind: 'conclusion', step: 'before-1', from: '2027-01-01', to: '2027-01-04' },
    ]);
    expect(plan).toMatchObject({ checked: 3, kept: 1, alreadyRecorded: 0 });
  });

  test('the same step already recorded under the new date stays where it is; other deadlines and cases are not touched', () => {
    const plan = planReminderFollow(
      [move],
      [rec(1, 'before-3'), rec(2, 'before-3', '2027-01-04'), rec(3, 'before-3', '2027-01-01', 'decision'), rec(4, 'before-3', '2027-01-01', 'conclusion', 8), rec(5, 'odd')],
      '2026-12-31',
      days,
      DEFAULT_POLICY,
    );
    expect(plan).toEqual({ checked: 2, rekey: [], kept: 1, alreadyRecorded: 1 });
  });

  test('stepOf names the same day and level as the deadline’s list of steps', () => {
    for (const due of ['2027-01-04', '2027-01-02', '2026-10-09']) {
      for (const s of stepsOf(due, true, days, DEFAULT_POLICY, 4)) expect(stepOf(s.code, due, days, DEFAULT_POLICY)).toEqual(s);
    }
    expect(stepOf('later', '2027-01-04', days, DEFAULT_POLICY)).toBeNull();
  });
});
