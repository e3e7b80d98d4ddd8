import { chineseDaysData, HolidayCalendar } from '../../../src/platform/calendar/domain';
import { ChangeContext, checkMove, checkSwap, findDoubleBookings, receptionDayCheck, SessionLike } from '../../../src/roster/domain';

const cal = new HolidayCalendar(chineseDaysData());
const names: Record<string, string> = { a: '林启航', b: '周庭远', c: '黄思源' };

const s = (id: number, date: string, slot: SessionLike['slot'], leaders: string[], venueId = 'county-center'): SessionLike => ({
  id, date, slot, venueId, leaderIds: leaders, status: 'planned',
  startTime: slot === '下午' ? '14:30' : '08:30', endTime: slot === '上午' ? '12:00' : '17:30',
});

function ctx(sessions: SessionLike[], extra: Partial<ChangeContext> = {}): ChangeContext {
  return { calendar: cal, today: '2026-03-02', sessions, unavailability: [], leaderName: (id) => names[id] ?? id, ...extra };
}

describe('double bookings', () => {
  test('a whole day overlaps either half; morning and afternoon do not overlap; cancelled sessions do not count', () => {
    const list = [
      s(1, '2026-03-03', '上午', ['a']),
      s(2, '2026-03-03', '下午', ['a']),
      s(3, '2026-03-04', '全天', ['b']),
      s(4, '2026-03-04', '下午', ['b'], 'zz-yangcheng'),
      { ...s(5, '2026-03-05', '全天', ['c']), status: 'cancelled' },
      s(6, '2026-03-05', '全天', ['c'], 'zz-qigong'),
    ];
    const found = findDoubleBookings(list);
    expect(found.map((f) => [f.leaderId, f.a.id, f.b.id])).toEqual([['b', 3, 4]]);
  });
});

describe('swapping two leaders’ days', () => {
  test('a swap that would put a leader in two places is refused, naming the clash', () => {
    // a: 3/3 centre; b: 3/5 centre; but a already goes down to 阳城镇 on 3/5.
    const A = s(1, '2026-03-03', '全天', ['a']);
    const B = s(2, '2026-03-05', '全天', ['b']);
    const clash = s(3, '2026-03-05', '全天', ['a'], 'zz-yangcheng');
    const problems = checkSwap(A, 'a', B, 'b', ctx([A, B, clash]));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('林启航');
    expect(problems[0]).toContain('编号 3');
    expect(problems[0]).toContain('冲突');
  });

  test('a clean swap has no problems; leave and the past are problems', () => {
    const A = s(1, '2026-03-03', '全天', ['a']);
    const B = s(2, '2026-03-05', '全天', ['b']);
    expect(checkSwap(A, 'a', B, 'b', ctx([A, B]))).toEqual([]);
    const away = checkSwap(A, 'a', B, 'b', ctx([A, B], { unavailability: [{ leaderId: 'b', from: '2026-03-03', to: '2026-03-03', reason: '开会' }] }));
    expect(away.join()).toContain('周庭远2026年3月3日（周二）不在岗（开会）');
    expect(checkSwap(A, 'a', B, 'b', ctx([A, B], { today: '2026-03-04' })).join()).toContain('已过去');
    expect(checkSwap(A, 'a', A, 'b', ctx([A]))).toEqual(['不能与同一场接访对调']);
    expect(checkSwap(A, 'b', B, 'a', ctx([A, B])).join()).toContain('不在');
  });
});

describe('moving a day', () => {
  const A = s(1, '2026-03-03', '全天', ['a']);
  const target = (date: string, slot: SessionLike['slot'] = '全天') => ({ date, slot, startTime: slot === '下午' ? '14:30' : '08:30', endTime: slot === '上午' ? '12:00' : '17:30' });

  test('only to a working day: a holiday or a weekend is refused, a 调休 Saturday is fine', () => {
    expect(checkMove(A, target('2026-04-06'), ctx([A])).join()).toContain('法定节假日');
    expect(checkMove(A, target('2026-03-07'), ctx([A])).join()).toContain('周末');
    expect(checkMove(A, target('2026-05-09'), ctx([A]))).toEqual([]);
  });

  test('a session of today that has already begun cannot be moved; one later today can', () => {
    const today = s(7, '2026-03-02', '下午', ['a']); // 14:30
    expect(checkMove(today, target('2026-03-04'), ctx([today], { nowTime: '15:00' })).join()).toContain('已经开始');
    expect(checkMove(today, target('2026-03-04'), ctx([today], { nowTime: '10:00' }))).toEqual([]);
  });

  test('not onto another session of the leader, not into leave, not into the past', () => {
    const other = s(2, '2026-03-10', '上午', ['a'], 'zz-qigong');
    expect(checkMove(A, target('2026-03-10'), ctx([A, other])).join()).toContain('编号 2');
    expect(checkMove(A, target('2026-03-10', '下午'), ctx([A, other]))).toEqual([]);
    const leave = ctx([A], { unavailability: [{ leaderId: 'a', from: '2026-03-09', to: '2026-03-13', reason: '培训' }] });
    expect(checkMove(A, target('2026-03-11'), leave).join()).toContain('不在岗（培训）');
    expect(checkMove(A, target('2026-03-01'), ctx([A])).join()).toContain('已经过去');
  });

  test('a year without holiday data can only be checked for weekends, and says so', () => {
    expect(receptionDayCheck('2027-03-03', cal)).toEqual({ ok: true, provisional: true });
    expect(receptionDayCheck('2027-03-06', cal).ok).toBe(false);
  });
});
