import { chineseDaysData, HolidayCalendar } from '../../../src/platform/calendar/domain';
import { WorkingDays } from '../../../src/platform/calendar/domain/lenient-working-days';
import { laterStepSaid, planDisputeStepFollow, stepRank } from '../../../src/reminders/domain/dispute-steps';
import { DEFAULT_POLICY } from '../../../src/reminders/domain/reminder-steps';

// 2027 with Saturday 9 and Sunday 10 January as 调休 working days.
const days = new WorkingDays(
  new HolidayCalendar(chineseDaysData(), ['2027-01-09', '2027-01-10'].map((date) => ({ date, kind: 'workday' as const })), [2027]),
);

test('steps in time order: before the larger count first, then the day, then overdue', () => {
  expect(['overdue-2', 'due', 'before-1', 'before-3', 'overdue-1'].sort((a, b) => stepRank(a)! - stepRank(b)!)).toEqual([
    'before-3', 'before-1', 'due', 'overdue-1', 'overdue-2',
  ]);
  expect(stepRank('nonsense')).toBeNull();
});

test('a step is not said when it or a later one was said for the same target date', () => {
  expect(laterStepSaid('before-3', ['before-1'])).toBe(true);
  expect(laterStepSaid('overdue-1', ['overdue-2'])).toBe(true);
  expect(laterStepSaid('due', ['due'])).toBe(true);
  expect(laterStepSaid('due', ['before-3', 'before-1'])).toBe(false);
  expect(laterStepSaid('before-1', [])).toBe(false);
});

test('the recorded steps take the days of the new calendar; a day still ahead of today is marked said early', () => {
  const recorded = [
    { id: 1, disputeNo: '排2027-0001', targetDate: '2027-01-11', step: 'before-3', stepDate: '2027-01-06' },
    { id: 2, disputeNo: '排2027-0001', targetDate: '2027-01-11', step: 'before-1', stepDate: '2027-01-08' },
    { id: 3, disputeNo: '排2027-0002', targetDate: '2027-01-20', step: 'before-3', stepDate: '2027-01-15' },
  ];
  expect(planDisputeStepFollow(recorded, '2027-01-08', days, DEFAULT_POLICY)).toEqual({
    checked: 3,
    moves: [
      { id: 1, disputeNo: '排2027-0001', step: 'before-3', from: '2027-01-06', to: '2027-01-08', early: false },
      { id: 2, disputeNo: '排2027-0001', step: 'before-1', from: '2027-01-08', to: '2027-01-10', early: true },
    ],
  });
});
