import { attendeeChanges, desiredEvent, retryDelayMs, shanghaiTimestamp, type SessionForEvent } from '../../../src/lark-calendar/domain';

const base: SessionForEvent = {
  id: 7, date: '2026-03-02', startTime: '09:00', endTime: '12:00', type: '接访', status: 'planned',
  accompanyUnits: ['县自然资源局'], venue: { name: '县群众来访接待中心', address: '县城人民路 88 号' },
  leaders: [{ id: 'ou_lin1', name: '林启航' }, { id: 'cty2', name: '周庭远' }],
};

describe('a session as a Lark event', () => {
  test('Shanghai wall clock to epoch seconds (UTC+8, no daylight saving)', () => {
    expect(shanghaiTimestamp('2026-03-02', '09:00')).toBe(String(Date.parse('2026-03-02T01:00:00Z') / 1000));
    expect(shanghaiTimestamp('2026-07-01', '00:30')).toBe(String(Date.parse('2026-06-30T16:30:00Z') / 1000));
  });

  test('title, venue, time zone, units; only open_ids are attendees', () => {
    const d = desiredEvent(base);
    expect(d.body!.summary).toBe('接访：林启航、周庭远 县群众来访接待中心');
    expect(d.body!.location).toEqual({ name: '县群众来访接待中心', address: '县城人民路 88 号' });
    expect(d.body!.start_time.timezone).toBe('Asia/Shanghai');
    expect(d.body!.description).toContain('陪同单位：县自然资源局');
    expect(d.attendees).toEqual(['ou_lin1']);
  });

  test('a cancelled session wants no event; any change of what Lark shows changes the key', () => {
    expect(desiredEvent({ ...base, status: 'cancelled' }).body).toBeNull();
    const k = desiredEvent(base).key;
    expect(desiredEvent({ ...base, date: '2026-03-03' }).key).not.toBe(k);
    expect(desiredEvent({ ...base, leaders: [{ id: 'ou_zhou', name: '周庭远' }] }).key).not.toBe(k);
    expect(desiredEvent({ ...base }).key).toBe(k);
  });

  test('attendee changes and the back-off', () => {
    expect(attendeeChanges(['a', 'b'], ['b', 'c'])).toEqual({ add: ['c'], remove: ['a'] });
    expect([1, 2, 3].map(retryDelayMs)).toEqual([5_000, 10_000, 20_000]);
    expect(retryDelayMs(30)).toBe(600_000);
  });
});
