import fs from 'node:fs';
import fc from 'fast-check';
import { addDays, chineseDaysData, HolidayCalendar, UnknownYearError } from '../../../src/platform/calendar/domain';
import {
  findDoubleBookings, generatePlan, joinThinEdgeWeeks, parseRosterRules, periodsOfYear, PlanResult, PlanSession, RosterLeader, RosterRules, Unavailability,
} from '../../../src/roster/domain';
import { buildDemoCounty } from '../../../src/demo/demo-county';

const cal = new HolidayCalendar(chineseDaysData());
const ref = JSON.parse(fs.readFileSync('config/reference.json', 'utf8'));
const county = buildDemoCounty(ref);
const rules = parseRosterRules(JSON.parse(fs.readFileSync('config/roster-rules.json', 'utf8')));

const owner = (s: PlanSession) => s.substituteFor ?? s.leaderIds[0];

/** Days each leader owes under a rule, counted from the sessions themselves. */
function dutyCounts(plan: PlanResult, ruleId: string, leaders: RosterLeader[]): Map<string, number> {
  const m = new Map(leaders.map((l) => [l.id, 0]));
  for (const s of plan.sessions) if (s.ruleId === ruleId) m.set(owner(s), (m.get(owner(s)) ?? 0) + 1);
  return m;
}

function ruleLeaders(r: RosterRules['rules'][number], leaders: RosterLeader[]) {
  return leaders.filter((l) => l.active && (Array.isArray(r.leaders) ? r.leaders.includes(l.id) : l.level === r.leaders));
}

describe('the year plan of the demo county (2026)', () => {
  const leaves: Unavailability[] = [
    // Two whole weeks away, with a deputy: the deputy receives for them.
    { leaderId: 'yangcheng2', from: '2026-03-16', to: '2026-03-29', reason: '休假', deputyId: 'yangcheng3' },
    // A whole month away, nobody named and no standing deputy: the plan must say it could not place that day.
    { leaderId: 'county07', from: '2026-06-01', to: '2026-06-30', reason: '挂职学习', deputyId: null },
    // Away a whole month with no deputy on the leave: the standing deputy (county09) receives.
    { leaderId: 'county08', from: '2026-08-01', to: '2026-08-31', reason: '援疆' },
    // A few days: the day simply moves within the month.
    { leaderId: 'county01', from: '2026-04-01', to: '2026-04-10', reason: '出差' },
  ];
  const leaders = county.leaders.map((l) => (l.id === 'county07' ? { ...l, deputyId: null } : l));
  const input = { year: 2026, rules, leaders, venues: county.venues, unavailability: leaves, calendar: cal };
  const plan = generatePlan(input);

  test('places a realistic number of sessions', () => {
    // 20 county leaders × (12 months + 12 towns) + 47 town leaders × 52 weeks (one week is all holiday).
    expect(plan.sessions.length).toBeGreaterThan(2800);
    expect(plan.sessions.length).toBeLessThanOrEqual(20 * 24 + 47 * 53);
  });

  test('never puts a leader in two places at once, nor twice on one day', () => {
    expect(findDoubleBookings(plan.sessions)).toEqual([]);
    const seen = new Set<string>();
    for (const s of plan.sessions) {
      for (const l of s.leaderIds) {
        const k = `${l}|${s.date}`;
        expect(seen.has(k)).toBe(false);
        seen.add(k);
      }
    }
  });

  test('uses only working days of the legal calendar: 调休 days yes, holidays and weekends no', () => {
    for (const s of plan.sessions) expect([s.date, cal.isWorkingDay(s.date)]).toEqual([s.date, true]);
    const dates = new Set(plan.sessions.map((s) => s.date));
    // 2026-01-04 (Sunday) and 2026-02-14 (Saturday) are make-up working days.
    expect(dates.has('2026-01-04')).toBe(true);
    expect(dates.has('2026-02-14')).toBe(true);
    for (const d of ['2026-01-01', '2026-02-17', '2026-10-01', '2026-10-07', '2026-03-07']) expect(dates.has(d)).toBe(false);
  });

  test('keeps every leader away on leave, and lets the named deputy receive instead', () => {
    for (const u of leaves) {
      const during = plan.sessions.filter((s) => s.leaderIds.includes(u.leaderId) && s.date >= u.from && s.date <= u.to);
      expect(during).toEqual([]);
    }
    const covered = plan.sessions.filter((s) => s.substituteFor === 'yangcheng2');
    expect(covered.map((s) => s.leaderIds[0])).toEqual(['yangcheng3', 'yangcheng3']);
    expect(covered.every((s) => s.date >= '2026-03-16' && s.date <= '2026-03-29')).toBe(true);
    const standing = plan.sessions.filter((s) => s.substituteFor === 'county08' && s.ruleId === 'county-center-monthly');
    expect(standing.map((s) => [s.leaderIds[0], s.date.slice(0, 7)])).toEqual([['county09', '2026-08']]);
    expect(plan.issues.filter((i) => i.kind === 'deputy' && i.leaderId === 'yangcheng2')).toHaveLength(2);
    // county01's April day moved past the trip instead of being lost.
    const april = plan.sessions.filter((s) => s.ruleId === 'county-center-monthly' && s.leaderIds[0] === 'county01' && s.date.startsWith('2026-04'));
    expect(april).toHaveLength(1);
    expect(april[0].date > '2026-04-10').toBe(true);
  });

  test('explains what it could not place', () => {
    const june = plan.issues.filter((i) => i.kind === 'unplaced' && i.leaderId === 'county07' && i.period === '2026年6月');
    expect(june).toHaveLength(1);
    expect(june[0].message).toContain('未指定代班');
    // The spring festival week has no working day at all.
    expect(plan.issues.some((i) => i.kind === 'empty-period' && i.ruleId === 'town-weekly' && i.period!.includes('第8周'))).toBe(true);
  });

  test('spreads the load: max − min days per leader under each rule ≤ 1, or the gap is explained', () => {
    for (const r of rules.rules) {
      const counts = dutyCounts(plan, r.id, ruleLeaders(r, county.leaders));
      const max = Math.max(...counts.values());
      for (const [leader, n] of counts) {
        if (max - n <= 1) continue;
        const explained = plan.issues.filter((i) => i.ruleId === r.id && i.leaderId === leader && i.kind === 'unplaced').length;
        expect([r.id, leader, max - n]).toEqual([r.id, leader, explained]);
      }
      // And the generator's own report agrees with the sessions.
      expect(plan.fairness.find((f) => f.ruleId === r.id)!.counts).toEqual(Object.fromEntries(counts));
    }
    // Without the unexplained June gap, every rule is exactly even.
    const clean = generatePlan({ ...input, unavailability: [] });
    expect(clean.fairness.map((f) => f.spread)).toEqual([0, 0, 0]);
  });

  test('meets every rule or explains each missing day', () => {
    const explained = (ruleId: string, leaderId: string | null, period: string) =>
      plan.issues.some((i) => i.ruleId === ruleId && (i.leaderId === leaderId || i.kind === 'empty-period') && i.period === period);
    for (const r of rules.rules) {
      // The rule's periods as the generator counts them: a thin first or last week joined to its neighbour.
      const yearPeriods = periodsOfYear(2026, r.per);
      const usable = yearPeriods.map((p) => {
        const out: string[] = [];
        for (let d = p.start; d <= p.end; d = addDays(d, 1)) if (cal.dayKind(d) !== 'holiday' && cal.dayKind(d) !== 'weekend') out.push(d);
        return out;
      });
      const periods = joinThinEdgeWeeks(yearPeriods, usable, 2026).periods;
      for (const l of ruleLeaders(r, county.leaders)) {
        const venues = r.venue === 'each-town' ? county.venues.filter((v) => v.kind === 'town').map((v) => v.id) : [null];
        for (const p of periods) {
          for (const v of venues) {
            const got = plan.sessions.filter(
              (s) => s.ruleId === r.id && owner(s) === l.id && s.date >= p.start && s.date <= p.end && (v === null || s.venueId === v),
            ).length;
            if (got < r.count) expect([r.id, l.id, p.label, explained(r.id, l.id, p.label)]).toEqual([r.id, l.id, p.label, true]);
          }
        }
      }
    }
  });

  test('spreads each leader across the year: one centre day a month, the twelve towns over the twelve months', () => {
    for (const l of county.leaders.filter((x) => x.level === 'county' && x.id !== 'county07')) {
      const center = plan.sessions.filter((s) => s.ruleId === 'county-center-monthly' && owner(s) === l.id).map((s) => s.date.slice(5, 7));
      expect(new Set(center).size).toBe(12);
      const visits = plan.sessions.filter((s) => s.ruleId === 'county-visit-towns' && owner(s) === l.id);
      expect(new Set(visits.map((s) => s.venueId)).size).toBe(12);
      expect(new Set(visits.map((s) => s.date.slice(5, 7))).size).toBeGreaterThanOrEqual(10);
      const days = visits.map((s) => Date.parse(s.date) / 86_400_000).sort((a, b) => a - b);
      const gaps = days.slice(1).map((d, i) => d - days[i]);
      expect(Math.min(...gaps)).toBeGreaterThanOrEqual(10);
      expect(Math.max(...gaps)).toBeLessThanOrEqual(60);
      expect(visits.every((s) => s.type === '下访' && s.accompanyUnits.some((u) => u.endsWith('人民政府')))).toBe(true);
    }
    // The centre is not crowded: at most two county leaders on one day.
    const perDay = new Map<string, number>();
    for (const s of plan.sessions) if (s.venueId === 'county-center') perDay.set(s.date, (perDay.get(s.date) ?? 0) + 1);
    expect(Math.max(...perDay.values())).toBeLessThanOrEqual(2);
  });

  test('is deterministic for the same input', () => {
    expect(generatePlan(input)).toEqual(plan);
  });
});

describe('years and rules at the edges', () => {
  test('a year without holiday data is refused, or planned provisionally around the fixed holidays when asked', () => {
    const input = { year: 2027, rules, leaders: county.leaders, venues: county.venues, calendar: cal };
    expect(() => generatePlan(input)).toThrow(UnknownYearError);
    const p = generatePlan({ ...input, allowProvisional: true });
    expect(p.provisional).toBe(true);
    const dates = new Set(p.sessions.map((s) => s.date));
    for (const d of ['2027-01-01', '2027-05-01', '2027-10-01', '2027-10-02']) expect(dates.has(d)).toBe(false);
    expect(p.sessions.length).toBeGreaterThan(2800);
  });

  test('a plan remade mid-year keeps the sessions that stay and places nothing before the day', () => {
    const full = generatePlan({ year: 2026, rules, leaders: county.leaders, venues: county.venues, calendar: cal });
    const kept = full.sessions.filter((s) => s.date < '2026-07-01');
    const again = generatePlan({
      year: 2026, rules, leaders: county.leaders, venues: county.venues, calendar: cal, fromDate: '2026-07-01', existing: kept,
    });
    expect(again.sessions.every((s) => s.date >= '2026-07-01')).toBe(true);
    expect(findDoubleBookings([...kept, ...again.sessions])).toEqual([]);
    // Together they still give each leader exactly the rule's days.
    expect(kept.length + again.sessions.length).toBe(full.sessions.length);
    expect(again.fairness.map((f) => f.spread)).toEqual([0, 0, 0]);
  });

  test('a rotating duty shares a town venue among its leaders within one day of each other', () => {
    const rotate = parseRosterRules({
      rules: [{ id: 'duty', name: '每个工作日一名乡镇领导值班接访', type: '接访', leaders: 'town', mode: 'rotate', venue: 'own-town', per: 'week', count: 5 }],
    });
    const leaves: Unavailability[] = [{ leaderId: 'taiping1', from: '2026-05-06', to: '2026-05-22', reason: '培训' }];
    const p = generatePlan({ year: 2026, rules: rotate, leaders: county.leaders, venues: county.venues, calendar: cal, unavailability: leaves });
    expect(findDoubleBookings(p.sessions)).toEqual([]);
    expect(p.fairness[0].groups).toHaveLength(12);
    expect(p.fairness[0].spread).toBeLessThanOrEqual(1);
    expect(p.sessions.some((s) => s.leaderIds[0] === 'taiping1' && s.date >= '2026-05-06' && s.date <= '2026-05-22')).toBe(false);
  });

  test('a rule whose leaders or venue do not exist is explained, not silently skipped', () => {
    const odd = parseRosterRules({
      rules: [
        { id: 'ghost', name: '指定领导', type: '约访', leaders: ['nobody'], venue: 'center', per: 'month' },
        { id: 'far', name: '到某村下访', type: '下访', leaders: 'county', venue: { id: 'no-such-village' }, per: 'quarter' },
      ],
    });
    const p = generatePlan({ year: 2026, rules: odd, leaders: county.leaders, venues: county.venues, calendar: cal });
    expect(p.sessions).toEqual([]);
    expect(p.issues.map((i) => i.kind)).toEqual(expect.arrayContaining(['no-leaders', 'no-venue']));
  });

  test('bad rules files are refused with a Chinese message naming the field', () => {
    expect(() => parseRosterRules({ rules: [{ id: 'x', name: 'x', type: '巡访', leaders: 'county', venue: 'center', per: 'month' }] })).toThrow(/rules\.0\.type/);
    expect(() => parseRosterRules({ rules: [] })).toThrow(/排班规则有误/);
    const dup = { id: 'a', name: 'a', type: '接访', leaders: 'county', venue: 'center', per: 'month' };
    expect(() => parseRosterRules({ rules: [dup, dup] })).toThrow(/重复/);
  });

  test('weeks are Monday to Sunday, clipped to the year', () => {
    const w = periodsOfYear(2026, 'week');
    expect(w[0]).toMatchObject({ start: '2026-01-01', end: '2026-01-04' });
    expect(w[1]).toMatchObject({ start: '2026-01-05', end: '2026-01-11' });
    expect(w.at(-1)!.end).toBe('2026-12-31');
    expect(periodsOfYear(2026, 'quarter').map((p) => p.end)).toEqual(['2026-03-31', '2026-06-30', '2026-09-30', '2026-12-31']);
  });

  test('a week cut by New Year with a single usable day is joined to the next (or previous) week', () => {
    const w = periodsOfYear(2026, 'week');
    // 2026: 1–3 January are holidays; Sunday 4 January is the one working day of week 1.
    // A usual week has five working days (Monday to Friday).
    const weekdays = (p: { start: string }) => [0, 1, 2, 3, 4].map((k) => addDays(p.start, k));
    const days = w.map((p, i) => (i === 0 ? ['2026-01-04'] : i === w.length - 1 ? ['2026-12-28', '2026-12-29', '2026-12-30', '2026-12-31'] : weekdays(p)));
    const j = joinThinEdgeWeeks(w, days, 2026);
    expect(j.periods).toHaveLength(w.length - 1);
    expect(j.periods[0]).toMatchObject({ start: '2026-01-01', end: '2026-01-11', index: 0, label: '2026年第1—2周（1月1日—1月11日）' });
    expect(j.days[0]).toEqual(['2026-01-04', '2026-01-05', '2026-01-06', '2026-01-07', '2026-01-08', '2026-01-09']);
    expect(j.periods[1]).toMatchObject({ index: 1, label: '2026年第3周（1月12日—1月18日）' });
    expect(j.periods.at(-1)).toMatchObject({ start: '2026-12-28', end: '2026-12-31' });
    // At the end of the year too, and a full week or a month is never joined.
    const end = joinThinEdgeWeeks(w, w.map((p, i) => (i === w.length - 1 ? ['2026-12-31'] : weekdays(p))), 2026);
    expect(end.periods.at(-1)).toMatchObject({ start: '2026-12-21', end: '2026-12-31', label: '2026年第52—53周（12月21日—12月31日）' });
    expect(end.periods[0]).toMatchObject({ start: '2026-01-01', end: '2026-01-04' });
    // A rule that uses Wednesdays only has one usable day every week: nothing is joined.
    const wednesdays = w.map(() => ['a-wednesday']);
    expect(joinThinEdgeWeeks(w, wednesdays, 2026).periods).toHaveLength(w.length);
    const months = periodsOfYear(2026, 'month');
    expect(joinThinEdgeWeeks(months, months.map(() => ['x']), 2026).periods).toHaveLength(12);
  });

  test('the 调休 Sunday that opens 2026 does not get every town leader at once', () => {
    const plan = generatePlan({ year: 2026, rules, leaders: county.leaders, venues: county.venues, unavailability: [], calendar: cal });
    const perDay = new Map<string, number>();
    for (const s of plan.sessions) perDay.set(s.date, (perDay.get(s.date) ?? 0) + 1);
    // Before the change, 48 of the 47 town leaders' weekly days and a county day fell on 4 January.
    expect(perDay.get('2026-01-04') ?? 0).toBeLessThan(15);
    expect(Math.max(...perDay.values())).toBeLessThan(30);
  });
});

describe('plan properties under random absences', () => {
  const small = county.leaders.filter((l) => l.level === 'county' || ['阳城镇', '七拱镇', '太平镇'].includes(l.towns[0]));
  const ids = small.map((l) => l.id);
  const leave = fc.record({
    leader: fc.constantFrom(...ids),
    start: fc.integer({ min: 0, max: 330 }),
    length: fc.integer({ min: 1, max: 40 }),
    deputy: fc.option(fc.constantFrom(...ids), { nil: null }),
  });
  const day = (n: number) => new Date(Date.UTC(2026, 0, 1 + n)).toISOString().slice(0, 10);

  test('no double booking, only working days, nobody while away, and every gap explained', () => {
    fc.assert(
      fc.property(fc.array(leave, { maxLength: 6 }), (ls) => {
        const unavailability = ls.map((x) => ({ leaderId: x.leader, from: day(x.start), to: day(x.start + x.length), deputyId: x.deputy }));
        const p = generatePlan({ year: 2026, rules, leaders: small, venues: county.venues, unavailability, calendar: cal });
        if (findDoubleBookings(p.sessions).length) return false;
        for (const s of p.sessions) {
          if (!cal.isWorkingDay(s.date)) return false;
          for (const l of s.leaderIds) if (unavailability.some((u) => u.leaderId === l && u.from <= s.date && u.to >= s.date)) return false;
        }
        for (const f of p.fairness) {
          const max = Math.max(...Object.values(f.counts));
          for (const [leader, n] of Object.entries(f.counts)) {
            const unplaced = p.issues.filter((i) => i.ruleId === f.ruleId && i.leaderId === leader && i.kind !== 'deputy').length;
            if (max - n > 1 && max - n > unplaced) return false;
          }
        }
        return true;
      }),
      { numRuns: 25, seed: 20260501 },
    );
  });
});
