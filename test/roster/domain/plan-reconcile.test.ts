import fs from 'node:fs';
import { chineseDaysData, HolidayCalendar } from '../../../src/platform/calendar/domain';
import {
  CurrentSession, findDoubleBookings, generatePlan, naturalKey, parseRosterRules, PlanSession, reconcilePlan, RosterLeader,
} from '../../../src/roster/domain';
import { buildDemoCounty } from '../../../src/demo/demo-county';
import { calendarWith, holidayFileOf } from '../holiday-fixture';

const before = new HolidayCalendar(chineseDaysData());
const after = calendarWith(holidayFileOf(2027));
const county = buildDemoCounty(JSON.parse(fs.readFileSync('config/reference.json', 'utf8')));
const rules = parseRosterRules(JSON.parse(fs.readFileSync('config/roster-rules.json', 'utf8')));
const base = { year: 2027, rules, leaders: county.leaders, venues: county.venues, unavailability: [] };

// The provisional 2027 plan as saved: ids 1…n.
const provisional = generatePlan({ ...base, calendar: before, allowProvisional: true });
const saved: CurrentSession[] = provisional.sessions.map((s, i) => ({ ...s, id: i + 1, status: 'planned' }));

const owner = (s: PlanSession) => s.substituteFor ?? s.leaderIds[0];
function dutyCounts(sessions: PlanSession[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const s of sessions) m.set(`${s.ruleId}|${owner(s)}`, (m.get(`${s.ruleId}|${owner(s)}`) ?? 0) + 1);
  return m;
}

describe('regenerating is reconciling', () => {
  test('the same rules and calendar change nothing: every session kept, nothing added, moved or cancelled', () => {
    const r = reconcilePlan({ ...base, calendar: before, allowProvisional: true, fixed: [], current: saved });
    expect(r.kept).toHaveLength(saved.length);
    expect([r.moved.length, r.added.length, r.cancelled.length]).toEqual([0, 0, 0]);
  });

  test('after the holidays are known: sessions on new rest days move (same id), the rest stay, nobody doubled', () => {
    const r = reconcilePlan({ ...base, calendar: after, fixed: [], current: saved });
    const live = [...r.kept, ...r.moved.map((m) => ({ ...m.to, id: m.from.id })), ...r.added];
    expect(findDoubleBookings(live)).toEqual([]);
    for (const s of live) expect(after.isWorkingDay(s.date)).toBe(true);
    // Moved: the ones that were on a day now off; kept: the ones that were not.
    for (const m of r.moved) expect(after.isWorkingDay(m.from.date)).toBe(false);
    for (const s of r.kept) expect(after.isWorkingDay(s.date)).toBe(true);
    expect(r.kept.length).toBeGreaterThan(saved.length - 200);
    // Nothing counted twice; each old session is in exactly one place.
    const ids = [...r.kept.map((s) => s.id), ...r.moved.map((m) => m.from.id), ...r.cancelled.map((s) => s.id)];
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(saved.length);
    // The week of 8–14 February is all 春节: the weekly town days there are gone, not added elsewhere.
    expect(r.cancelled.length).toBeGreaterThan(0);
    for (const s of r.cancelled) expect(s.date >= '2027-02-08' && s.date <= '2027-02-14').toBe(true);
    expect(r.added).toEqual([]);
    // Every leader owes what a fresh plan on the new calendar would give.
    expect(dutyCounts(live)).toEqual(dutyCounts(generatePlan({ ...base, calendar: after }).sessions));
  });

  test('a second run over the reconciled plan keeps everything', () => {
    const r = reconcilePlan({ ...base, calendar: after, fixed: [], current: saved });
    const now: CurrentSession[] = [...r.kept, ...r.moved.map((m) => ({ ...m.to, id: m.from.id, status: 'changed' as const }))];
    const again = reconcilePlan({ ...base, calendar: after, fixed: [], current: now });
    expect(again.kept).toHaveLength(now.length);
    expect([again.moved.length, again.added.length, again.cancelled.length]).toEqual([0, 0, 0]);
  });

  test('held sessions stay where they are and count: no second session is added in their period', () => {
    const onHoliday = saved.filter((s) => s.date === '2027-02-09');
    expect(onHoliday.length).toBeGreaterThan(0);
    const fixed = onHoliday.map(({ id: _id, status: _status, ...s }) => s);
    const r = reconcilePlan({ ...base, calendar: after, fixed, current: saved.filter((s) => s.date !== '2027-02-09') });
    const touched = new Set([...r.moved.map((m) => m.from.id), ...r.cancelled.map((s) => s.id), ...r.kept.map((s) => s.id)]);
    for (const s of onHoliday) expect(touched.has(s.id)).toBe(false);
    expect(r.added).toEqual([]);
  });

  test('only real removals are cancelled and only real additions are new', () => {
    const fewer = { ...rules, rules: rules.rules.filter((x) => x.id !== 'county-visit-towns') };
    const r = reconcilePlan({ ...base, rules: fewer, calendar: before, allowProvisional: true, fixed: [], current: saved });
    expect(r.cancelled.length).toBe(saved.filter((s) => s.ruleId === 'county-visit-towns').length);
    expect(r.cancelled.every((s) => s.ruleId === 'county-visit-towns')).toBe(true);
    expect([r.moved.length, r.added.length]).toEqual([0, 0]);

    const newcomer: RosterLeader = { ...county.leaders.find((l) => l.level === 'county')!, id: 'county99', name: '新领导', sortOrder: 999 };
    const more = reconcilePlan({ ...base, leaders: [...county.leaders, newcomer], calendar: before, allowProvisional: true, fixed: [], current: saved });
    expect(more.kept).toHaveLength(saved.length);
    expect(more.cancelled).toEqual([]);
    expect(more.added.length).toBeGreaterThan(20);
    expect(more.added.every((s) => s.leaderIds[0] === 'county99')).toBe(true);
  });

  test('a session moved by hand to another month stays while it is valid', () => {
    const s = saved.find((x) => x.ruleId === 'county-center-monthly' && x.date.startsWith('2027-03'))!;
    const moved: CurrentSession = { ...s, date: '2027-04-28', status: 'changed' };
    const busy = saved.some((x) => x.date === moved.date && x.leaderIds.includes(s.leaderIds[0]));
    expect(busy).toBe(false);
    const r = reconcilePlan({ ...base, calendar: before, allowProvisional: true, fixed: [], current: saved.map((x) => (x.id === s.id ? moved : x)) });
    expect(r.kept.find((x) => x.id === s.id)?.date).toBe('2027-04-28');
    expect(r.cancelled).toEqual([]);
  });

  test('a session identical to one the new plan makes is kept, even one written without a rule', () => {
    const s = saved[10];
    const handMade: CurrentSession = { ...s, ruleId: null };
    const r = reconcilePlan({ ...base, calendar: before, allowProvisional: true, fixed: [], current: saved.map((x) => (x.id === s.id ? handMade : x)) });
    expect(r.kept.map((x) => x.id)).toContain(s.id);
    expect(r.added.some((x) => naturalKey(x) === naturalKey(s))).toBe(false);
  });
});
