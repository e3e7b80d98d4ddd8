import { joinThinEdgeWeeks, Period, periodsOfYear } from './periods';
import { usableDays } from './plan-year';
import { PlanSetting, poolKeyOf, reportIssue, ruleLeadersOf, Tally } from './plan-setting';
import type { RosterRule } from './rules';
import type { PlanSession, RosterLeader, RosterVenue } from './types';

/** One day a rule asks for: whose (a leader, or a pool taking turns), where, in which period, on which days. */
export interface Demand {
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

/** A rule's periods (thin edge weeks joined, see joinThinEdgeWeeks) and the days each offers. */
interface RulePeriods {
  rule: RosterRule;
  ruleIndex: number;
  periods: Period[];
  daysOf: number[][];
}

export interface Demands {
  demands: Demand[];
  /** Each rule's periods, by rule id. */
  rulePeriods: Map<string, Period[]>;
}

/** Demands: one per day a rule asks for, rule by rule; what a rule cannot ask for is reported. */
export function buildDemands(setting: PlanSetting): Demands {
  const periodCache = new Map<string, Period[]>();
  const rulePeriods = new Map<string, Period[]>();
  const demands: Demand[] = [];
  setting.rules.rules.forEach((rule, ruleIndex) => {
    const ruleLeaders = ruleLeadersOf(setting, rule);
    if (Array.isArray(rule.leaders)) {
      for (const id of rule.leaders) {
        if (!setting.leaderById.get(id)?.active) reportIssue(setting, 'no-leaders', rule, null, null, `规则中的领导“${id}”不存在或已停用，未为其排班`);
      }
    }
    if (!ruleLeaders.length) {
      reportIssue(setting, 'no-leaders', rule, null, null, '没有适用这条规则的在任领导，本规则未排班');
      return;
    }
    const rp = periodsOfRule(setting, rule, ruleIndex, periodCache);
    rulePeriods.set(rule.id, rp.periods);
    if (rule.mode === 'each') {
      ruleLeaders.forEach((l, li) => {
        const vs = venuesFor(setting, rule, l, null);
        if (typeof vs === 'string') return void reportIssue(setting, 'no-venue', rule, l, null, vs);
        addDemands(demands, rp, l, null, l.id, vs, li);
      });
    } else {
      const pools = new Map<string, RosterLeader[]>();
      for (const l of ruleLeaders) {
        const key = rule.venue === 'own-town' ? (l.towns[0] ?? '') : '*';
        pools.set(key, [...(pools.get(key) ?? []), l]);
      }
      [...pools.entries()].forEach(([key, pool], pi) => {
        const vs = venuesFor(setting, rule, pool[0], key === '*' ? null : key || null);
        if (typeof vs === 'string') return void reportIssue(setting, 'no-venue', rule, null, null, vs);
        addDemands(demands, rp, null, pool, poolKeyOf(rule, pool[0]), vs, pi);
      });
    }
  });
  return { demands, rulePeriods };
}

/** The rule's periods of the year and their usable days; a period with none (still to come) is reported. */
function periodsOfRule(setting: PlanSetting, rule: RosterRule, ruleIndex: number, cache: Map<string, Period[]>): RulePeriods {
  let yearPeriods = cache.get(rule.per);
  if (!yearPeriods) cache.set(rule.per, (yearPeriods = periodsOfYear(setting.year, rule.per)));
  const joined = joinThinEdgeWeeks(yearPeriods, yearPeriods.map((p) => usableDays(setting.days, p, rule.weekdays)), setting.year);
  joined.periods.forEach((p, pi) => {
    if (!joined.days[pi].length && p.end >= setting.fromDate) {
      reportIssue(setting, 'empty-period', rule, null, p, `${p.label}没有可用的工作日${rule.weekdays ? '（按规则限定的星期）' : ''}，本期不安排`);
    }
  });
  return { rule, ruleIndex, periods: joined.periods, daysOf: joined.days };
}

/** Where a rule sends a leader (or a pool of a town): its venues, or why there are none. */
function venuesFor(setting: PlanSetting, rule: RosterRule, l: RosterLeader | null, poolTown: string | null): RosterVenue[] | string {
  const v = rule.venue;
  if (v === 'center') return setting.center ? [setting.center] : '没有县群众来访接待中心（kind=center）的接访地点';
  if (v === 'each-town') return setting.townVenues.length ? setting.townVenues : '没有乡镇接访地点';
  if (v === 'own-town') {
    const town = poolTown ?? l?.towns[0] ?? null;
    if (!town) return `${l?.name ?? ''}没有所属乡镇，无法安排到本乡镇接访`;
    return setting.townVenue.get(town) ? [setting.townVenue.get(town)!] : `${town}没有接访地点（综治中心）`;
  }
  const byId = setting.venueById.get(v.id);
  return byId ? [byId] : `接访地点“${v.id}”不存在`;
}

/** The demands of one leader (or pool) under a rule: `count` days per venue in each period. */
function addDemands(
  demands: Demand[], rp: RulePeriods, leader: RosterLeader | null, pool: RosterLeader[] | null, poolKey: string,
  venues: RosterVenue[], leaderIndex: number,
): void {
  const { rule, ruleIndex } = rp;
  rp.periods.forEach((period, periodIndex) => {
    const full = rp.daysOf[periodIndex];
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
        order: demands.length, ruleIndex, rule, leader, pool, poolKey, venue, period, periodIndex,
        window: k > 1 ? full.slice(from, Math.min(to, full.length)) : full, full, leaderIndex, satisfied: false,
      });
    }
  });
}

/**
 * Sessions that stay satisfy the demands they match (same rule, owner or pool, venue, period), and count in the tally.
 * Returns the indexes (into `existing`) of the sessions that satisfied a demand.
 */
export function matchExisting(setting: PlanSetting, { demands, rulePeriods }: Demands, existing: PlanSession[], tally: Tally): number[] {
  const matched: number[] = [];
  if (!existing.length) return matched;
  const demandKey = (ruleId: string, who: string, venueId: string, periodIndex: number) => `${ruleId}|${who}|${venueId}|${periodIndex}`;
  const open = new Map<string, Demand[]>();
  for (const d of demands) {
    const k = demandKey(d.rule.id, d.leader?.id ?? d.poolKey, d.venue.id, d.periodIndex);
    open.set(k, [...(open.get(k) ?? []), d]);
  }
  const ruleById = new Map(setting.rules.rules.map((r) => [r.id, r]));
  existing.forEach((s, index) => {
    const rule = s.ruleId ? ruleById.get(s.ruleId) : undefined;
    if (!rule) return;
    const pi = (rulePeriods.get(rule.id) ?? []).findIndex((p) => s.date >= p.start && s.date <= p.end);
    const owner = s.substituteFor ?? s.leaderIds[0];
    const who = rule.mode === 'each' ? owner : poolKeyOf(rule, setting.leaderById.get(owner));
    const d = open.get(demandKey(rule.id, who, s.venueId, pi))?.find((x) => !x.satisfied);
    if (!d) return;
    d.satisfied = true;
    matched.push(index);
    tally.bump(rule.id, owner);
    if (rule.mode === 'rotate') tally.takeTurn(rule.id, owner);
  });
  return matched;
}

/** Tightest first, then the order of the rules, the year and the leaders. */
export function tightestFirst(a: Demand, b: Demand): number {
  return a.window.length - b.window.length || a.ruleIndex - b.ruleIndex || a.period.start.localeCompare(b.period.start) || a.order - b.order;
}
