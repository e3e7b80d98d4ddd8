import type { IsoDate } from '../../platform/calendar/domain';
import type { Period } from './periods';
import type { GenerateInput, PlanIssue, PlanIssueKind } from './plan-result';
import { YearDays, yearDays } from './plan-year';
import type { RosterRule, RosterRules } from './rules';
import type { RosterLeader, RosterVenue, Unavailability } from './types';

/** What every step of the generator reads, and where it reports what it could not do. */
export interface PlanSetting {
  year: number;
  rules: RosterRules;
  days: YearDays;
  /** Nothing is placed before this day. */
  fromDate: IsoDate;
  /** The active leaders, in their order. */
  leaders: RosterLeader[];
  /** Every leader given, active or not. */
  leaderById: Map<string, RosterLeader>;
  venueById: Map<string, RosterVenue>;
  /** The county centre (kind center), if any. */
  center: RosterVenue | null;
  /** Each town's first town venue. */
  townVenue: Map<string, RosterVenue>;
  /** The towns' venues a rule over each town visits (the rules' excluded towns left out). */
  townVenues: RosterVenue[];
  /** The leaders' leave (with the deputy named for it, if any). */
  leaves: Unavailability[];
  issues: PlanIssue[];
}

export function settingOf(input: GenerateInput, provisional: boolean): PlanSetting {
  const { rules } = input;
  const fromDate = input.fromDate ?? '0000-00-00';
  const townVenue = new Map<string, RosterVenue>();
  for (const v of input.venues) if (v.kind === 'town' && v.town && !townVenue.has(v.town)) townVenue.set(v.town, v);
  return {
    year: input.year,
    rules,
    days: yearDays(input.year, input.calendar, provisional, fromDate),
    fromDate,
    leaders: input.leaders.filter((l) => l.active).sort(byOrder),
    leaderById: new Map(input.leaders.map((l) => [l.id, l])),
    venueById: new Map(input.venues.map((v) => [v.id, v])),
    center: input.venues.find((v) => v.kind === 'center') ?? null,
    townVenue,
    townVenues: input.venues.filter(
      (v) => v.kind === 'town' && v.town && townVenue.get(v.town) === v && !rules.excludeTowns.includes(v.town),
    ),
    leaves: input.unavailability ?? [],
    issues: [],
  };
}

export function reportIssue(
  setting: PlanSetting, kind: PlanIssueKind, rule: RosterRule, leader: RosterLeader | null, period: Period | null, message: string,
): void {
  setting.issues.push({
    kind, ruleId: rule.id, ruleName: rule.name, leaderId: leader?.id ?? null, leaderName: leader?.name ?? null,
    period: period?.label ?? null, message,
  });
}

/** The active leaders a rule applies to: those it names, or every leader of its level. */
export function ruleLeadersOf(setting: PlanSetting, rule: RosterRule): RosterLeader[] {
  return Array.isArray(rule.leaders)
    ? rule.leaders.map((id) => setting.leaderById.get(id)).filter((l): l is RosterLeader => !!l && l.active)
    : setting.leaders.filter((l) => l.level === rule.leaders);
}

/** The pool a leader takes turns in under a rotate rule: per town for own-town venues, else one pool. */
export function poolKeyOf(rule: RosterRule, leader: RosterLeader | undefined): string {
  return `${rule.id}:${rule.venue === 'own-town' ? (leader?.towns[0] ?? '') : '*'}`;
}

/** The days placed so far: per rule and leader (a deputy's day counts for its owner), and the turns taken in each pool. */
export class Tally {
  /** ruleId -> leader -> days owed and placed. */
  readonly duty = new Map<string, Map<string, number>>();
  private readonly turns = new Map<string, number>();

  bump(ruleId: string, leaderId: string): void {
    const m = this.duty.get(ruleId) ?? new Map<string, number>();
    this.duty.set(ruleId, m);
    m.set(leaderId, (m.get(leaderId) ?? 0) + 1);
  }

  turnsOf(ruleId: string, leaderId: string): number {
    return this.turns.get(`${ruleId}|${leaderId}`) ?? 0;
  }

  takeTurn(ruleId: string, leaderId: string): void {
    this.turns.set(`${ruleId}|${leaderId}`, this.turnsOf(ruleId, leaderId) + 1);
  }
}

function byOrder(a: RosterLeader, b: RosterLeader): number {
  return a.sortOrder - b.sortOrder || a.id.localeCompare(b.id);
}
