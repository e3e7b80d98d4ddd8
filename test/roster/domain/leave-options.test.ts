import { chineseDaysData, HolidayCalendar } from '../../../src/platform/calendar/domain';
import type { ChangeContext, SessionLike } from '../../../src/roster/domain';
import { deputyProblems, leaveOn, moveCandidates, moveWindow } from '../../../src/roster/domain/leave-options';

const cal = new HolidayCalendar(chineseDaysData());
const names: Record<string, string> = { a: '林启航', b: '周庭远', c: '黄思源' };

const s = (id: number, date: string, leaders: string[], venueId = 'county-center'): SessionLike => ({
  id, date, slot: '全天', startTime: '08:30', endTime: '17:30', venueId, leaderIds: leaders, status: 'planned',
});

function ctx(sessions: SessionLike[], extra: Partial<ChangeContext> = {}): ChangeContext {
  return { calendar: cal, today: '2026-03-02', sessions, unavailability: [], leaderName: (id) => names[id] ?? id, ...extra };
}

// 林启航 is away Monday 9 to Friday 13 March 2026.
const leave = [{ leaderId: 'a', from: '2026-03-09', to: '2026-03-13', reason: '参加培训', deputyId: 'b' }];

describe('where a session in a leave may move', () => {
  test('a weekly rule keeps it in its week, a monthly rule in its month, no rule in its month', () => {
    expect(moveWindow('2026-03-11', { per: 'week' })).toMatchObject({ start: '2026-03-09', end: '2026-03-15', label: '同一周' });
    expect(moveWindow('2026-03-11', { per: 'month' })).toMatchObject({ start: '2026-03-01', end: '2026-03-31', label: '同一月' });
    expect(moveWindow('2026-03-11', null)).toMatchObject({ start: '2026-03-01', end: '2026-03-31' });
  });

  test('the nearest free working day outside the leave comes first; weekends, the leave and clashes are skipped', () => {
    const A = s(1, '2026-03-11', ['a']);
    // Monday 16 March is taken by another session of 林启航.
    const busy = s(2, '2026-03-16', ['a'], 'zz-yangcheng');
    const days = moveCandidates(A, moveWindow(A.date, { per: 'month' }), ctx([A, busy], { unavailability: leave }));
    // Friday 6 March is 5 days before, Tuesday 17 March 6 days after; 14/15 are a weekend, 9–13 the leave, 16 busy.
    expect(days.slice(0, 3)).toEqual(['2026-03-06', '2026-03-17', '2026-03-05']);
    expect(days).not.toContain('2026-03-16');
    expect(days.some((d) => d >= '2026-03-09' && d <= '2026-03-15')).toBe(false);
    // Nothing before tomorrow (today is Monday 2 March).
    expect(days.every((d) => d > '2026-03-02')).toBe(true);
  });

  test('a weekly rule whose week is all leave has nowhere to go; the rule’s weekdays are kept', () => {
    const A = s(1, '2026-03-11', ['a']);
    expect(moveCandidates(A, moveWindow(A.date, { per: 'week' }), ctx([A], { unavailability: leave }))).toEqual([]);
    // Only Tuesdays (2) in the month: 3, 17, 24, 31 March; the 10th is in the leave.
    const tuesdays = moveCandidates(A, moveWindow(A.date, { per: 'month', weekdays: [2] }), ctx([A], { unavailability: leave }));
    expect(tuesdays).toEqual(['2026-03-17', '2026-03-03', '2026-03-24', '2026-03-31']);
  });

  test('a holiday is never offered (清明节 2026: 4–6 April)', () => {
    const A = s(1, '2026-04-07', ['a']);
    const away = [{ leaderId: 'a', from: '2026-04-07', to: '2026-04-10' }];
    const days = moveCandidates(A, moveWindow(A.date, null), ctx([A], { unavailability: away }));
    expect(days).not.toContain('2026-04-06');
    expect(days[0]).toBe('2026-04-03');
  });
});

describe('the deputy receiving instead', () => {
  test('a free deputy meets nothing; a busy or absent one is refused with the reason', () => {
    const A = s(1, '2026-03-11', ['a']);
    expect(deputyProblems(A, 'a', 'b', ctx([A], { unavailability: leave }))).toEqual([]);
    const busy = s(2, '2026-03-11', ['b'], 'zz-qigong');
    expect(deputyProblems(A, 'a', 'b', ctx([A, busy]))).toEqual(['周庭远在2026年3月11日（周三）全天（编号 2）已有接访安排']);
    const away = [...leave, { leaderId: 'b', from: '2026-03-11', to: '2026-03-11', reason: '出差' }];
    expect(deputyProblems(A, 'a', 'b', ctx([A], { unavailability: away }))[0]).toContain('周庭远2026年3月11日（周三）也不在岗（出差）');
  });

  test('a session already handed over, held or past is not handed over again', () => {
    expect(deputyProblems(s(1, '2026-03-11', ['b']), 'a', 'b', ctx([]))).toEqual(expect.arrayContaining([
      expect.stringContaining('林启航已不在'), expect.stringContaining('周庭远已在'),
    ]));
    expect(deputyProblems({ ...s(1, '2026-03-11', ['a']), status: 'held' }, 'a', 'b', ctx([]))[0]).toContain('已举行');
    expect(deputyProblems(s(1, '2026-02-27', ['a']), 'a', 'b', ctx([]))[0]).toContain('已过去');
  });

  test('leaveOn finds the leave covering a day, for that leader only', () => {
    expect(leaveOn(leave, 'a', '2026-03-13')?.reason).toBe('参加培训');
    expect(leaveOn(leave, 'a', '2026-03-14')).toBeUndefined();
    expect(leaveOn(leave, 'b', '2026-03-10')).toBeUndefined();
  });
});
