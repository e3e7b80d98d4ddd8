import { calendarWith, holidayFileOf } from '../holiday-fixture';
import type { ChangeContext, RosterLeader, SessionLike } from '../../../src/roster/domain';
import { checkReassign, checkRestore, venueProblems } from '../../../src/roster/domain/session-move';

const names: Record<string, string> = { cty1: '林启航', cty2: '周庭远', yc1: '黎嘉禾', qg1: '卢可风' };
const leader = (id: string, level: 'county' | 'town', towns: string[], active = true): RosterLeader => ({
  id, name: names[id], level, title: level === 'county' ? '县领导' : '镇领导', towns, deputyId: null, sortOrder: 1, active,
});
const s = (over: Partial<SessionLike> = {}): SessionLike => ({
  id: 1, date: '2026-03-10', slot: '全天', startTime: '08:30', endTime: '17:30', venueId: 'county-center', leaderIds: ['cty1'], status: 'planned', ...over,
});
function ctx(over: Partial<ChangeContext> = {}): ChangeContext {
  return { calendar: calendarWith(holidayFileOf(2026)), today: '2026-03-02', sessions: [], unavailability: [], leaderName: (id) => names[id] ?? id, ...over };
}

describe('恢复接访', () => {
  test('a cancelled session of a coming working day with its leader free comes back', () => {
    expect(checkRestore(s({ status: 'cancelled' }), ctx(), [], '县群众来访接待中心')).toEqual([]);
  });
  test('only a cancelled session, and only before its day', () => {
    expect(checkRestore(s(), ctx(), [], 'x')).toEqual(['编号 1 的接访没有取消，无需恢复']);
    expect(checkRestore(s({ status: 'cancelled', date: '2026-03-02' }), ctx(), [], 'x')[0]).toContain('就是今天');
    expect(checkRestore(s({ status: 'cancelled', date: '2026-02-27' }), ctx(), [], 'x')[0]).toContain('已经过去');
  });
  test('the leader booked elsewhere or away, or the venue taken, is said', () => {
    const other = s({ id: 2, venueId: 'zz-qigong' });
    const c = ctx({ sessions: [other], unavailability: [{ leaderId: 'cty1', from: '2026-03-10', to: '2026-03-10', reason: '出差' }] });
    expect(checkRestore(s({ status: 'cancelled' }), c, [s({ id: 3, leaderIds: ['cty2'] })], '县群众来访接待中心')).toEqual([
      '林启航在2026年3月10日（周二）全天（编号 2）已有接访安排',
      '林启航2026年3月10日（周二）不在岗（出差）',
      '县群众来访接待中心在2026年3月10日（周二）全天已有一场接访（编号 3）',
    ]);
  });
});

describe('换成', () => {
  test('a county day needs an active county leader; a town day a leader of that town', () => {
    expect(checkReassign(s(), 'cty1', leader('cty2', 'county', []), leader('cty1', 'county', []), null, ctx())).toEqual([]);
    expect(checkReassign(s(), 'cty1', leader('yc1', 'town', ['阳城镇']), leader('cty1', 'county', []), null, ctx())).toEqual(['这是县级领导的接访，黎嘉禾（镇领导）不是县级领导']);
    expect(checkReassign(s(), 'cty1', leader('cty2', 'county', [], false), leader('cty1', 'county', []), null, ctx())).toEqual(['周庭远已不在接访领导名单中（停用）']);
    const town = s({ leaderIds: ['yc1'], venueId: 'zz-yangcheng' });
    expect(checkReassign(town, 'yc1', leader('qg1', 'town', ['七拱镇']), leader('yc1', 'town', ['阳城镇']), '阳城镇', ctx())).toEqual(['卢可风（镇领导）不是阳城镇的领导']);
  });
  test('a past or held session cannot change hands', () => {
    expect(checkReassign(s({ date: '2026-02-27' }), 'cty1', leader('cty2', 'county', []), leader('cty1', 'county', []), null, ctx())[0]).toContain('已过去');
    expect(checkReassign(s({ status: 'held' }), 'cty1', leader('cty2', 'county', []), leader('cty1', 'county', []), null, ctx())[0]).toContain('已举行');
  });
});

test('the venue check ignores the session itself and cancelled ones', () => {
  expect(venueProblems(s(), s(), [s(), s({ id: 5, status: 'cancelled' })], 'x')).toEqual([]);
  expect(venueProblems(s(), { date: '2026-03-10', slot: '上午', startTime: '08:30', endTime: '12:00' }, [s({ id: 5, slot: '下午', startTime: '14:30', endTime: '17:30' })], 'x')).toEqual([]);
});
