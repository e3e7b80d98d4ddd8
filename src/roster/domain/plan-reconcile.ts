import { sessionsOverlap } from './conflicts';
import type { Period } from './periods';
import { generatePlan } from './plan-generator';
import type { GenerateInput, PlanResult } from './plan-result';
import { poolKeyOf } from './plan-setting';
import { yearDays } from './plan-year';
import type { RosterRule } from './rules';
import type { PlanSession, RosterLeader, SessionStatus } from './types';

/** A coming session of the plan being remade: not held, not cancelled. */
export interface CurrentSession extends PlanSession {
  id: number;
  status: SessionStatus;
}

export interface ReconcileInput extends GenerateInput {
  /** Held or past sessions: never touched; they count toward their rules and keep their leaders busy. */
  fixed: PlanSession[];
  /** The coming sessions of the year. */
  current: CurrentSession[];
  /**
   * Coming sessions cancelled earlier (by a holiday import, a former --replace, an admin): a new
   * session of the same duty takes one of these back (same number and UID, SEQUENCE + 1) rather
   * than a new row, so a feed shows one event, not a cancelled one beside a new one.
   */
  revivable?: CurrentSession[];
}

/** What a regenerated plan does to the sessions already planned, in figures. */
export interface ReplanCounts {
  year: number;
  provisional: boolean;
  /** Really new sessions. */
  added: number;
  /** Sessions the new plan still holds as they are: untouched. */
  kept: number;
  /** Sessions the new plan still holds at another day, time or venue: same number and UID, SEQUENCE + 1. */
  moved: number;
  /** Sessions gone from the plan: cancelled, never deleted. */
  cancelled: number;
  /** Held or past sessions: never touched. */
  fixed: number;
}

/** A session the new plan still holds, at another day, time, venue or with other details. */
export interface PlanMove {
  from: CurrentSession;
  to: PlanSession;
}

export interface Reconciled {
  /** The generator's report (issues, fairness) over the plan as it will be. */
  plan: PlanResult;
  /** Still held by the new plan as they are: nothing is written. */
  kept: CurrentSession[];
  moved: PlanMove[];
  /** Really new. */
  added: PlanSession[];
  /** Really gone from the plan. */
  cancelled: CurrentSession[];
}

/**
 * Regenerating is reconciling. The coming sessions that the rules still hold — on a day their rule
 * may use, their leaders active and not away, nobody double-booked, and one of the demands of the
 * rules (same rule, owner or pool, venue, period) — stay as they are and the generator plans only
 * around them; a session moved by hand (status changed) stays while it is valid. The generator's new
 * sessions are then matched to the sessions that did not stay, by rule, owner (or pool) and the
 * rule's period (and the town, for visits to each town): a pair keeps the old session's id and UID
 * and takes the new day; what is left over is added or cancelled. Deterministic, no I/O.
 */
export function reconcilePlan(input: ReconcileInput): Reconciled {
  const rules = new Map(input.rules.rules.map((r) => [r.id, r]));
  const leaders = new Map(input.leaders.map((l) => [l.id, l]));
  const { valid, invalid, loose } = sortCurrent(input, rules, leaders);
  // Sessions as generated first, then those moved by hand: a demand is taken by the former.
  const ordered = [...valid.filter((s) => s.status !== 'changed'), ...valid.filter((s) => s.status === 'changed')];
  let plan = generatePlan({ ...input, existing: [...input.fixed, ...ordered] });
  const matched = new Set(plan.matchedExisting.filter((i) => i >= input.fixed.length).map((i) => ordered[i - input.fixed.length]));
  const kept = ordered.filter((s) => matched.has(s) || s.status === 'changed');
  const surplus = ordered.filter((s) => !matched.has(s) && s.status !== 'changed');
  // Surplus sessions kept their leaders busy in the first pass; plan again without them.
  if (surplus.length) plan = generatePlan({ ...input, existing: [...input.fixed, ...kept] });
  const pairing = pairUp([...invalid, ...surplus, ...loose], plan.sessions, plan.rulePeriods, rules, leaders);
  // What would be new takes back a cancelled session of the same duty first; only the rest is really new.
  const revived = pairUp(input.revivable ?? [], pairing.added, plan.rulePeriods, rules, leaders);
  const back = [...revived.same.map((from) => ({ from, to: pairing.added.find((f) => naturalKey(f) === naturalKey(from))! })), ...revived.moved];
  return {
    plan, kept: [...kept, ...pairing.same].sort(byDate), moved: [...pairing.moved, ...back], added: revived.added, cancelled: pairing.cancelled,
  };
}

/** The coming sessions: valid under the rules and the calendar, not valid, and without a rule the file knows. */
function sortCurrent(input: ReconcileInput, rules: Map<string, RosterRule>, leaders: Map<string, RosterLeader>) {
  const provisional = !input.calendar.isKnown(`${input.year}-01-01`);
  const days = yearDays(input.year, input.calendar, provisional, input.fromDate ?? '0000-00-00');
  const away = input.unavailability ?? [];
  const busy = new Map<string, PlanSession[]>();
  const occupy = (s: PlanSession) => s.leaderIds.forEach((l) => busy.set(`${l}|${s.date}`, [...(busy.get(`${l}|${s.date}`) ?? []), s]));
  input.fixed.forEach(occupy);
  const valid: CurrentSession[] = [];
  const invalid: CurrentSession[] = [];
  const loose: CurrentSession[] = [];
  for (const s of [...input.current].sort(byDate)) {
    const rule = s.ruleId ? rules.get(s.ruleId) : undefined;
    if (!rule) {
      loose.push(s);
      continue;
    }
    const i = days.index.get(s.date);
    const ok =
      i !== undefined && days.working[i] && (!rule.weekdays || rule.weekdays.includes(days.isoWeekday[i])) &&
      s.leaderIds.every((l) => leaders.get(l)?.active && !away.some((u) => u.leaderId === l && u.from <= s.date && u.to >= s.date)) &&
      !s.leaderIds.some((l) => (busy.get(`${l}|${s.date}`) ?? []).some((o) => sessionsOverlap(o, s)));
    if (ok) occupy(s);
    (ok ? valid : invalid).push(s);
  }
  return { valid, invalid, loose };
}

/**
 * Pairs the sessions that did not stay with the generator's new ones: first the very same
 * session (day, hours, venue, type, leaders), then by rule, owner or pool, period (and venue for
 * visits to each town), the nearest day first.
 */
function pairUp(
  old: CurrentSession[], fresh: PlanSession[], rulePeriods: Map<string, Period[]>, rules: Map<string, RosterRule>, leaders: Map<string, RosterLeader>,
) {
  const pool = [...fresh];
  const same: CurrentSession[] = [];
  const moved: PlanMove[] = [];
  const cancelled: CurrentSession[] = [];
  const take = (i: number) => pool.splice(i, 1)[0];
  const rest: CurrentSession[] = [];
  for (const s of [...old].sort(byDate)) {
    const i = pool.findIndex((f) => naturalKey(f) === naturalKey(s));
    if (i >= 0) {
      take(i);
      same.push(s);
    } else rest.push(s);
  }
  const keyOf = (s: PlanSession) => matchKey(s, rulePeriods, rules, leaders);
  for (const s of rest) {
    const k = keyOf(s);
    const t = Date.parse(s.date);
    let best = -1;
    if (k !== null) {
      pool.forEach((f, i) => {
        if (keyOf(f) !== k) return;
        if (best < 0 || Math.abs(Date.parse(f.date) - t) < Math.abs(Date.parse(pool[best].date) - t)) best = i;
      });
    }
    if (best >= 0) moved.push({ from: s, to: take(best) });
    else cancelled.push(s);
  }
  return { same, moved, added: pool, cancelled };
}

/** What makes two sessions the same duty: rule, owner (or the pool taking turns), the rule's period, the town visited. */
function matchKey(s: PlanSession, rulePeriods: Map<string, Period[]>, rules: Map<string, RosterRule>, leaders: Map<string, RosterLeader>): string | null {
  const rule = s.ruleId ? rules.get(s.ruleId) : undefined;
  const periods = rule ? rulePeriods.get(rule.id) : undefined;
  if (!rule || !periods) return null;
  const period = periods.findIndex((p) => p.start <= s.date && s.date <= p.end);
  const owner = s.substituteFor ?? s.leaderIds[0];
  const who = rule.mode === 'each' ? owner : poolKeyOf(rule, leaders.get(owner));
  return `${rule.id}|${who}|${period}|${rule.venue === 'each-town' ? s.venueId : ''}`;
}

/** A session's natural key: day, hours, venue, type, leaders. */
export function naturalKey(s: Pick<PlanSession, 'date' | 'startTime' | 'endTime' | 'venueId' | 'type' | 'leaderIds'>): string {
  return [s.date, s.startTime, s.endTime, s.venueId, s.type, [...s.leaderIds].sort().join(',')].join('|');
}

function byDate(a: PlanSession, b: PlanSession): number {
  return a.date.localeCompare(b.date) || a.startTime.localeCompare(b.startTime) || a.venueId.localeCompare(b.venueId);
}
