import { chineseDaysData, HolidayCalendar } from '../../../src/platform/calendar/domain';
import { FollowInput, followCalendar, FollowSession, parseRosterRules, restDayWhy } from '../../../src/roster/domain';
import { calendarWith, changedDaysOf, holidayFileOf } from '../holiday-fixture';

const before = new HolidayCalendar(chineseDaysData());
const after = calendarWith(holidayFileOf(2027));
const changedDays = changedDaysOf(before, after, [2027]);
const rules = parseRosterRules({
  rules: [
    { id: 'monthly', name: '每月到中心接访', type: '接访', leaders: 'county', venue: 'center', per: 'month' },
    { id: 'weekly', name: '每周在本镇接访', type: '接访', leaders: 'town', venue: 'own-town', per: 'week' },
  ],
});

let nextId = 1;
function at(date: string, venueId: string, leader: string, ruleId: string | null, status = 'planned'): FollowSession {
  return { id: nextId++, date, slot: '全天', startTime: '08:30', endTime: '17:30', venueId, leaderIds: [leader], ruleId, status };
}

function follow(sessions: FollowSession[], today: string, extra: Partial<FollowInput> = {}) {
  return followCalendar({ sessions, changedDays, calendar: after, today, rules, unavailability: [], ...extra });
}

const movedTo = (r: ReturnType<typeof follow>, s: FollowSession) => r.moved.find((m) => m.session.id === s.id)?.to;

describe('the plan follows the calendar', () => {
  test('a session on a new holiday moves to the nearest day of its rule’s month where its leader is free and on duty and its venue free', () => {
    const a = at('2027-02-08', 'center', 'A', 'monthly');
    const b = at('2027-02-09', 'center', 'B', 'monthly');
    const aElsewhere = at('2027-02-15', 'zz-yc', 'A', null);
    const bAtCentre = at('2027-02-16', 'center', 'B', 'monthly');
    const held = at('2027-02-10', 'center', 'C', 'monthly', 'held');
    const cancelled = at('2027-02-11', 'center', 'D', 'monthly', 'cancelled');
    const r = follow([a, b, aElsewhere, bAtCentre, held, cancelled], '2027-02-07', {
      unavailability: [{ leaderId: 'A', from: '2027-02-17', to: '2027-02-17', reason: '开会' }],
    });
    // 15th: A is elsewhere; 16th: the centre has B; 17th: A away; 18th: free.
    expect(movedTo(r, a)).toBe('2027-02-18');
    // B: the 15th is free of B and of the centre (A's 15th is in a town).
    expect(movedTo(r, b)).toBe('2027-02-15');
    expect(r.moved.map((m) => m.session.id).sort()).toEqual([a.id, b.id].sort());
    expect(r.stuck).toEqual([]);
  });

  test('nothing moves into the past or to today, and sessions of past days stay', () => {
    const past = at('2027-02-08', 'center', 'A', 'monthly');
    expect(follow([past], '2027-02-09').moved).toEqual([]);
    // Today is the 1st: the 2nd is the first day it may take (the 5th is nearer than the 15th).
    const s = at('2027-02-08', 'center', 'A', 'monthly');
    expect(movedTo(follow([s], '2027-02-01'), s)).toBe('2027-02-05');
  });

  test('a weekly duty stays in its week; a week that is all holiday leaves it for the admin, with the reason', () => {
    const spring = at('2027-02-10', 'zz-yc', 'T1', 'weekly');
    const national = at('2027-10-04', 'zz-yc', 'T1', 'weekly');
    const r = follow([spring, national], '2027-01-20');
    expect(r.stuck).toHaveLength(1);
    expect(r.stuck[0].session.id).toBe(spring.id);
    expect(r.stuck[0].reason).toContain('同一周内没有其他可用的工作日');
    // 国庆 1–7 October: Friday the 8th is the week's first working day.
    expect(movedTo(r, national)).toBe('2027-10-08');
  });

  test('a venue free is preferred, else the least shared (two at once, or as many as on its fullest day, then any); never a leader twice', () => {
    const s = at('2027-04-05', 'zz-yc', 'T1', 'weekly');
    const others = ['2027-04-06', '2027-04-07', '2027-04-08', '2027-04-09'].map((d, i) => at(d, 'zz-yc', `T${i + 2}`, 'weekly'));
    const twice = at('2027-04-06', 'zz-yc', 'T9', 'weekly');
    const r = follow([s, ...others, twice], '2027-03-01');
    // Every day of the week has the venue in use; the 6th has it twice already: the 7th.
    expect(movedTo(r, s)).toBe('2027-04-07');
    // Where the plan already has three at once on some day, a third may join.
    const full = ['2027-04-06', '2027-04-07', '2027-04-08', '2027-04-09'].flatMap((d, i) => [at(d, 'zz-yc', `U${i}`, 'weekly'), at(d, 'zz-yc', `V${i}`, 'weekly')]);
    const fullest = ['W1', 'W2', 'W3'].map((l) => at('2027-03-01', 'zz-yc', l, 'weekly'));
    const third = at('2027-04-05', 'zz-yc', 'T1', 'weekly');
    // Where it has three at once on some day, a third joins the nearest day; where it never has,
    // the third still goes (the generator's venue load is soft too), after every less shared day.
    expect(movedTo(follow([third, ...full, ...fullest], '2027-02-20'), third)).toBe('2027-04-06');
    const lessShared = at('2027-04-09', 'zz-yc', 'X1', 'weekly');
    const fullButOne = full.filter((f) => !(f.date === '2027-04-09' && f.leaderIds[0] === 'V3'));
    expect(movedTo(follow([third, ...fullButOne], '2027-03-01'), third)).toBe('2027-04-09');
    expect(movedTo(follow([third, ...full, lessShared], '2027-03-01'), third)).toBe('2027-04-06');
    const busy = ['2027-04-06', '2027-04-07', '2027-04-08', '2027-04-09'].map((d) => at(d, 'zz-qg', 'T1', null));
    const r2 = follow([at('2027-04-05', 'zz-yc', 'T1', 'weekly'), ...busy], '2027-03-01');
    expect(r2.moved).toEqual([]);
    expect(r2.stuck[0].reason).toContain('领导或接访地点都已有安排');
  });

  test('a session without a rule moves within its week, else its month; equally near, the later day', () => {
    const dragon = at('2027-06-09', 'center', 'A', null);
    const spring = at('2027-02-12', 'center', 'B', null);
    const unknownRule = at('2027-05-03', 'center', 'C', 'no-such-rule');
    const r = follow([dragon, spring, unknownRule], '2027-01-20');
    expect(movedTo(r, dragon)).toBe('2027-06-10');
    expect(movedTo(r, spring)).toBe('2027-02-15');
    expect(movedTo(r, unknownRule)).toBe('2027-05-06');
    // Unreadable rules: each moves as one without a rule (its week all holiday: the month's nearest day, Friday the 5th).
    const monthly = at('2027-02-08', 'center', 'A', 'monthly');
    expect(movedTo(follow([monthly], '2027-01-20', { rules: null }), monthly)).toBe('2027-02-05');
  });

  test('only days that changed and are now rest days count: a session on a day still working stays', () => {
    const working = at('2027-02-15', 'center', 'A', 'monthly');
    const onHoliday = at('2027-02-08', 'center', 'A', 'monthly');
    const r = follow([working, onHoliday], '2027-01-20', { changedDays: ['2027-02-15'] });
    expect(r.moved).toEqual([]);
    expect(r.stuck).toEqual([]);
  });

  test('the reason reads as the bureau writes it', () => {
    expect(restDayWhy('2027-02-08', after)).toBe('2月8日为春节假日');
    expect(restDayWhy('2027-10-02', after)).toBe('10月2日为国庆节假日');
    expect(restDayWhy('2027-03-06', after)).toBe('3月6日为休息日');
  });
});
