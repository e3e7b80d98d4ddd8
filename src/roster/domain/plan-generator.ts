import { addDays, HolidayCalendar, IsoDate, UnknownYearError, weekday } from '../../platform/calendar/domain';
import { joinThinEdgeWeeks, Period, periodsOfYear } from './periods';
import type { RosterRule, RosterRules } from './rules';
import type { PlanSession, RosterLeader, RosterVenue, Unavailability } from './types';

export interface GenerateInput {
  year: number;
  rules: RosterRules;
  leaders: RosterLeader[];
  venues: RosterVenue[];
  unavailability?: Unavailability[];
  calendar: HolidayCalendar;
  /**
   * Plan a year the calendar has no holiday data for, from weekends alone. The result says
   * provisional: the caller must tell the person, and the plan must be remade once the State
   * Council notice is imported.
   */
  allowProvisional?: boolean;
  /** Place nothing before this day (a plan remade in the course of the year). */
  fromDate?: IsoDate;
  /** Sessions that stay (held, past): they keep their leaders busy and count toward their rules. */
  existing?: PlanSession[];
}

export type PlanIssueKind = 'unplaced' | 'deputy' | 'empty-period' | 'no-venue' | 'no-leaders';

/** Something the plan could not do as the rules say, in words the bureau reads. */
export interface PlanIssue {
  kind: PlanIssueKind;
  ruleId: string;
  ruleName: string;
  leaderId: string | null;
  leaderName: string | null;
  period: string | null;
  message: string;
}

export interface RuleFairness {
  ruleId: string;
  ruleName: string;
  mode: 'each' | 'rotate';
  /** Days each leader owes under the rule (a day a deputy covers still counts for its owner). */
  counts: Record<string, number>;
  /** Per group that shares the load (every leader of an `each` rule; each pool of a `rotate` rule). */
  groups: Array<{ key: string; min: number; max: number }>;
  /** The largest max − min over the groups. */
  spread: number;
}

export interface PlanResult {
  year: number;
  provisional: boolean;
  sessions: PlanSession[];
  issues: PlanIssue[];
  fairness: RuleFairness[];
}

interface Demand {
  order: number;
  ruleIndex: number;
  rule: RosterRule;
  /** `each`: the leader who owes the day. */
  leader: RosterLeader | null;
  /** `rotate`: the leaders taking turns. */
  pool: RosterLeader[] | null;
  poolKey: string;
  venue: RosterVenue;
  period: Period;
  periodIndex: number;
  /** Preferred days (a share of the period, to spread several days over it), then the whole period. */
  window: number[];
  full: number[];
  leaderIndex: number;
  satisfied: boolean;
}

/**
 * Days off fixed by date in 《全国年节及纪念日放假办法》 (元旦, 劳动节, 国庆节). In a year without the
 * State Council's notice these at least are known; the lunar holidays and 调休 are not.
 */
const FIXED_DATE_HOLIDAYS = ['01-01', '05-01', '05-02', '10-01', '10-02', '10-03'];

const W_VENUE = 1000;
/** A visit (several venues shared over a period) minds spacing more than a venue already in use. */
const W_VENUE_SPACED = 100;
const W_POSITION = 300;
const W_NEAR = 50;
const W_DAY = 2;

/**
 * Makes a year's reception plan from the rules. Greedy and deterministic: demands with the
 * fewest possible days go first; each takes the day that keeps venues, leaders and the year
 * least crowded. A leader has at most one session a day, never on a day off, never while away.
 * Work grows with (demands × days in their window): linear in the number of leaders.
 */
export function generatePlan(input: GenerateInput): PlanResult {
  const { year, rules, calendar } = input;
  const provisional = !calendar.isKnown(`${year}-01-01`);
  if (provisional && !input.allowProvisional) throw new UnknownYearError(year);

  // Days of the year as indexes, so the hot loop touches typed arrays, not strings.
  const dates: IsoDate[] = [];
  for (let d = `${year}-01-01`; d.startsWith(String(year)); d = addDays(d, 1)) dates.push(d);
  const nDays = dates.length;
  const fromDate = input.fromDate ?? '0000-00-00';
  const working = dates.map((d) => {
    if (d < fromDate) return false;
    if (provisional && FIXED_DATE_HOLIDAYS.includes(d.slice(5))) return false;
    return calendar.isWorkingDayOrEstimate(d);
  });
  const isoWeekday = dates.map((d) => weekday(d) || 7);
  const doyMap = new Map(dates.map((d, i) => [d, i]));
  const doyOf = (d: IsoDate) => doyMap.get(d)!;

  const leaders = input.leaders.filter((l) => l.active).sort(byOrder);
  const leaderById = new Map(input.leaders.map((l) => [l.id, l]));
  const venueById = new Map(input.venues.map((v) => [v.id, v]));
  const center = input.venues.find((v) => v.kind === 'center') ?? null;
  const townVenue = new Map<string, RosterVenue>();
  for (const v of input.venues) if (v.kind === 'town' && v.town && !townVenue.has(v.town)) townVenue.set(v.town, v);
  const townVenues = input.venues.filter(
    (v) => v.kind === 'town' && v.town && townVenue.get(v.town) === v && !rules.excludeTowns.includes(v.town),
  );

  const busy = new Map<string, Uint8Array>();
  const busyOf = (id: string) => {
    let a = busy.get(id);
    if (!a) busy.set(id, (a = new Uint8Array(nDays)));
    return a;
  };
  const away = new Map<string, Uint8Array>();
  const leaves = input.unavailability ?? [];
  for (const u of leaves) {
    const a = away.get(u.leaderId) ?? new Uint8Array(nDays);
    away.set(u.leaderId, a);
    for (let i = 0; i < nDays; i++) if (dates[i] >= u.from && dates[i] <= u.to) a[i] = 1;
  }
  const NONE = new Uint8Array(nDays);
  const awayOf = (id: string) => away.get(id) ?? NONE;
  const venueLoad = new Map<string, Uint16Array>();
  const venueLoadOf = (id: string) => {
    let a = venueLoad.get(id);
    if (!a) venueLoad.set(id, (a = new Uint16Array(nDays)));
    return a;
  };
  const dayLoad = new Uint16Array(nDays);

  const issues: PlanIssue[] = [];
  const sessions: PlanSession[] = [];
  const duty = new Map<string, Map<string, number>>(); // ruleId -> leader -> days owed and placed
  const bump = (ruleId: string, leaderId: string) => {
    const m = duty.get(ruleId) ?? new Map<string, number>();
    duty.set(ruleId, m);
    m.set(leaderId, (m.get(leaderId) ?? 0) + 1);
  };
  const issue = (kind: PlanIssueKind, rule: RosterRule, leader: RosterLeader | null, period: Period | null, message: string) =>
    issues.push({
      kind, ruleId: rule.id, ruleName: rule.name, leaderId: leader?.id ?? null, leaderName: leader?.name ?? null,
      period: period?.label ?? null, message,
    });

  // Sessions that stay occupy their leaders first.
  const existing = (input.existing ?? []).filter((s) => s.date.startsWith(String(year)));
  for (const s of existing) {
    const i = doyMap.get(s.date);
    if (i === undefined) continue;
    for (const l of s.leaderIds) busyOf(l)[i] = 1;
    venueLoadOf(s.venueId)[i]++;
    dayLoad[i]++;
  }

  // Demands: one per day a rule asks for.
  const periodCache = new Map<string, Period[]>();
  /** Each rule's periods, thin edge weeks joined (see joinThinEdgeWeeks). */
  const rulePeriods = new Map<string, Period[]>();
  const demands: Demand[] = [];
  let order = 0;
  rules.rules.forEach((rule, ruleIndex) => {
    const ruleLeaders = Array.isArray(rule.leaders)
      ? rule.leaders.map((id) => leaderById.get(id)).filter((l): l is RosterLeader => !!l && l.active)
      : leaders.filter((l) => l.level === rule.leaders);
    if (Array.isArray(rule.leaders)) {
      for (const id of rule.leaders) {
        if (!leaderById.get(id)?.active) issue('no-leaders', rule, null, null, `规则中的领导“${id}”不存在或已停用，未为其排班`);
      }
    }
    if (!ruleLeaders.length) {
      issue('no-leaders', rule, null, null, '没有适用这条规则的在任领导，本规则未排班');
      return;
    }
    let yearPeriods = periodCache.get(rule.per);
    if (!yearPeriods) periodCache.set(rule.per, (yearPeriods = periodsOfYear(year, rule.per)));
    const joined = joinThinEdgeWeeks(
      yearPeriods,
      yearPeriods.map((p) => {
        const out: number[] = [];
        for (let i = doyOf(p.start); i < nDays && dates[i] <= p.end; i++) {
          if (working[i] && (!rule.weekdays || rule.weekdays.includes(isoWeekday[i]))) out.push(i);
        }
        return out;
      }),
      year,
    );
    const periods = joined.periods;
    const daysOf = joined.days;
    rulePeriods.set(rule.id, periods);
    periods.forEach((p, pi) => {
      if (!daysOf[pi].length && p.end >= fromDate) {
        issue('empty-period', rule, null, p, `${p.label}没有可用的工作日${rule.weekdays ? '（按规则限定的星期）' : ''}，本期不安排`);
      }
    });

    const venuesFor = (l: RosterLeader | null, poolTown: string | null): RosterVenue[] | string => {
      const v = rule.venue;
      if (v === 'center') return center ? [center] : '没有县群众来访接待中心（kind=center）的接访地点';
      if (v === 'each-town') return townVenues.length ? townVenues : '没有乡镇接访地点';
      if (v === 'own-town') {
        const town = poolTown ?? l?.towns[0] ?? null;
        if (!town) return `${l?.name ?? ''}没有所属乡镇，无法安排到本乡镇接访`;
        return townVenue.get(town) ? [townVenue.get(town)!] : `${town}没有接访地点（综治中心）`;
      }
      const byId = venueById.get(v.id);
      return byId ? [byId] : `接访地点“${v.id}”不存在`;
    };

    const addDemands = (leader: RosterLeader | null, pool: RosterLeader[] | null, poolKey: string, venues: RosterVenue[], leaderIndex: number) => {
      periods.forEach((period, periodIndex) => {
        const full = daysOf[periodIndex];
        if (!full.length) return;
        const items: RosterVenue[] = [];
        for (let c = 0; c < rule.count; c++) items.push(...venues);
        const k = items.length;
        for (let s = 0; s < k; s++) {
          // Segment s of the period; rotated by leader so that leaders visit different towns at a time.
          const venue = items[(s + leaderIndex) % k];
          const from = Math.floor((s * full.length) / k);
          const to = Math.max(from + 1, Math.floor(((s + 1) * full.length) / k));
          demands.push({
            order: order++, ruleIndex, rule, leader, pool, poolKey, venue, period, periodIndex,
            window: k > 1 ? full.slice(from, Math.min(to, full.length)) : full, full, leaderIndex, satisfied: false,
          });
        }
      });
    };

    if (rule.mode === 'each') {
      ruleLeaders.forEach((l, li) => {
        const vs = venuesFor(l, null);
        if (typeof vs === 'string') return void issue('no-venue', rule, l, null, vs);
        addDemands(l, null, l.id, vs, li);
      });
    } else {
      const pools = new Map<string, RosterLeader[]>();
      for (const l of ruleLeaders) {
        const key = rule.venue === 'own-town' ? (l.towns[0] ?? '') : '*';
        pools.set(key, [...(pools.get(key) ?? []), l]);
      }
      [...pools.entries()].forEach(([key, pool], pi) => {
        const vs = venuesFor(pool[0], key === '*' ? null : key || null);
        if (typeof vs === 'string') return void issue('no-venue', rule, null, null, vs);
        addDemands(null, pool, poolKeyOf(rule, pool[0]), vs, pi);
      });
    }
  });

  // Sessions that stay satisfy the demands they match (same rule, owner or pool, venue, period).
  const demandKey = (ruleId: string, who: string, venueId: string, periodIndex: number) => `${ruleId}|${who}|${venueId}|${periodIndex}`;
  const poolLoad = new Map<string, number>();
  if (existing.length) {
    const open = new Map<string, Demand[]>();
    for (const d of demands) {
      const k = demandKey(d.rule.id, d.leader?.id ?? d.poolKey, d.venue.id, d.periodIndex);
      open.set(k, [...(open.get(k) ?? []), d]);
    }
    const ruleById = new Map(rules.rules.map((r) => [r.id, r]));
    for (const s of existing) {
      const rule = s.ruleId ? ruleById.get(s.ruleId) : undefined;
      if (!rule) continue;
      const pi = (rulePeriods.get(rule.id) ?? []).findIndex((p) => s.date >= p.start && s.date <= p.end);
      const owner = s.substituteFor ?? s.leaderIds[0];
      const who = rule.mode === 'each' ? owner : poolKeyOf(rule, leaderById.get(owner));
      const d = open.get(demandKey(rule.id, who, s.venueId, pi))?.find((x) => !x.satisfied);
      if (!d) continue;
      d.satisfied = true;
      bump(rule.id, owner);
      if (rule.mode === 'rotate') poolLoad.set(`${rule.id}|${owner}`, (poolLoad.get(`${rule.id}|${owner}`) ?? 0) + 1);
    }
  }

  // Tightest first, then the order of the rules, the year and the leaders.
  demands.sort((a, b) => a.window.length - b.window.length || a.ruleIndex - b.ruleIndex || a.period.start.localeCompare(b.period.start) || a.order - b.order);

  /**
   * The cheapest free day for the leader among `days`. A whole period rotates its preferred day
   * (pref) so leaders do not all start on Monday; a share of a longer period prefers its middle,
   * so that a leader's visits keep their distance across the year.
   */
  const best = (leaderId: string, days: number[], venueId: string, pref: number, spaced: boolean): number => {
    const b = busyOf(leaderId);
    const aw = awayOf(leaderId);
    const vl = venueLoadOf(venueId);
    const wVenue = spaced ? W_VENUE_SPACED : W_VENUE;
    let bestDay = -1;
    let bestCost = Infinity;
    const n = days.length;
    const mid = (n - 1) / 2;
    for (let j = 0; j < n; j++) {
      const i = days[j];
      if (b[i] || aw[i]) continue;
      let near = 0;
      if (i > 0 && b[i - 1]) near++;
      if (i > 1 && b[i - 2]) near++;
      if (i + 1 < nDays && b[i + 1]) near++;
      if (i + 2 < nDays && b[i + 2]) near++;
      const position = spaced ? (Math.abs(j - mid) / n) * W_POSITION : ((j - pref + n) % n) / n;
      const cost = vl[i] * wVenue + near * W_NEAR + dayLoad[i] * W_DAY + position;
      if (cost < bestCost) {
        bestCost = cost;
        bestDay = i;
      }
    }
    return bestDay;
  };
  const tryPlace = (leaderId: string, d: Demand): number => {
    const spaced = d.window !== d.full;
    const pref = (d.leaderIndex * 5 + d.periodIndex * 2) % Math.max(d.window.length, 1);
    const day = best(leaderId, d.window, d.venue.id, pref, spaced);
    if (day >= 0 || !spaced) return day;
    return best(leaderId, d.full, d.venue.id, (d.leaderIndex * 5 + d.periodIndex * 2) % d.full.length, false);
  };
  const place = (d: Demand, day: number, leader: RosterLeader, substituteFor: RosterLeader | null) => {
    const times = rules.slots[d.rule.slot];
    busyOf(leader.id)[day] = 1;
    venueLoadOf(d.venue.id)[day]++;
    dayLoad[day]++;
    sessions.push({
      date: dates[day],
      slot: d.rule.slot,
      startTime: times.start,
      endTime: times.end,
      type: d.rule.type,
      venueId: d.venue.id,
      leaderIds: [leader.id],
      accompanyUnits: d.rule.accompany
        .filter((a) => !a.includes('{town}') || d.venue.town)
        .map((a) => a.replaceAll('{town}', d.venue.town ?? '')),
      focus: d.rule.focus,
      capacity: d.rule.capacity,
      ruleId: d.rule.id,
      substituteFor: substituteFor?.id ?? null,
      note: substituteFor ? `${leader.name}代${substituteFor.name}接访（${substituteFor.name}当期不在岗）` : null,
    });
    bump(d.rule.id, (substituteFor ?? leader).id);
  };

  for (const d of demands) {
    if (d.satisfied) continue;
    if (d.leader) {
      const l = d.leader;
      const day = tryPlace(l.id, d);
      if (day >= 0) {
        place(d, day, l, null);
        continue;
      }
      const aw = awayOf(l.id);
      const awayDays = d.full.filter((i) => aw[i]);
      if (awayDays.length) {
        const leave = leaves.find((u) => u.leaderId === l.id && u.deputyId && u.from <= d.period.end && u.to >= d.period.start);
        const deputy = leaderById.get(leave?.deputyId ?? l.deputyId ?? '');
        if (deputy?.active && deputy.id !== l.id) {
          const dd = best(deputy.id, awayDays, d.venue.id, 0, false);
          if (dd >= 0) {
            place(d, dd, deputy, l);
            issue('deputy', d.rule, l, d.period, `${l.name}${d.period.label}不在岗（${leave?.reason ?? '请假'}），由${deputy.name}代为接访（${dates[dd]}，${d.venue.name}）`);
            continue;
          }
          issue('unplaced', d.rule, l, d.period, `${l.name}${d.period.label}在${d.venue.name}的接访未能安排：本人不在岗，代班领导${deputy.name}也没有空闲的工作日`);
          continue;
        }
        const allAway = awayDays.length === d.full.length;
        issue('unplaced', d.rule, l, d.period,
          `${l.name}${d.period.label}在${d.venue.name}的接访未能安排：${allAway ? '本期全部工作日不在岗' : '在岗的工作日都已有其他安排'}，且未指定代班领导`);
        continue;
      }
      issue('unplaced', d.rule, l, d.period, `${l.name}${d.period.label}在${d.venue.name}的接访未能安排：本期可用的工作日都已有其他接访安排`);
      continue;
    }
    // rotate: the least loaded leader of the pool who has a free day, turns rotating by period.
    const pool = d.pool!;
    const n = pool.length;
    const ranked = pool
      .map((l, i) => ({ l, load: poolLoad.get(`${d.rule.id}|${l.id}`) ?? 0, turn: (i - d.periodIndex + n * 1000) % n }))
      .sort((a, b) => a.load - b.load || a.turn - b.turn);
    let placed = false;
    for (const { l } of ranked) {
      const day = tryPlace(l.id, d);
      if (day >= 0) {
        place(d, day, l, null);
        poolLoad.set(`${d.rule.id}|${l.id}`, (poolLoad.get(`${d.rule.id}|${l.id}`) ?? 0) + 1);
        placed = true;
        break;
      }
    }
    if (!placed) {
      issue('unplaced', d.rule, null, d.period, `${d.period.label}${d.venue.name}的轮值接访未能安排：该组领导当期均不在岗或已有其他安排`);
    }
  }

  sessions.sort((a, b) => a.date.localeCompare(b.date) || a.startTime.localeCompare(b.startTime) || a.venueId.localeCompare(b.venueId) || a.leaderIds[0].localeCompare(b.leaderIds[0]));
  return { year, provisional, sessions, issues, fairness: fairnessOf(rules, leaders, leaderById, duty) };
}

function fairnessOf(
  rules: RosterRules,
  leaders: RosterLeader[],
  leaderById: Map<string, RosterLeader>,
  duty: Map<string, Map<string, number>>,
): RuleFairness[] {
  return rules.rules.map((rule) => {
    const ruleLeaders = Array.isArray(rule.leaders)
      ? rule.leaders.map((id) => leaderById.get(id)).filter((l): l is RosterLeader => !!l && l.active)
      : leaders.filter((l) => l.level === rule.leaders);
    const m = duty.get(rule.id) ?? new Map<string, number>();
    const counts: Record<string, number> = {};
    for (const l of ruleLeaders) counts[l.id] = m.get(l.id) ?? 0;
    const groupsMap = new Map<string, number[]>();
    for (const l of ruleLeaders) {
      const key = rule.mode === 'rotate' && rule.venue === 'own-town' ? (l.towns[0] ?? '') : '*';
      groupsMap.set(key, [...(groupsMap.get(key) ?? []), counts[l.id]]);
    }
    const groups = [...groupsMap.entries()].map(([key, cs]) => ({ key, min: Math.min(...cs), max: Math.max(...cs) }));
    return {
      ruleId: rule.id, ruleName: rule.name, mode: rule.mode, counts, groups,
      spread: groups.reduce((s, g) => Math.max(s, g.max - g.min), 0),
    };
  });
}

function poolKeyOf(rule: RosterRule, leader: RosterLeader | undefined): string {
  return `${rule.id}:${rule.venue === 'own-town' ? (leader?.towns[0] ?? '') : '*'}`;
}

function byOrder(a: RosterLeader, b: RosterLeader): number {
  return a.sortOrder - b.sortOrder || a.id.localeCompare(b.id);
}
