import { UnknownYearError } from '../../platform/calendar/domain';
import { buildDemands, matchExisting, tightestFirst } from './plan-demands';
import { Placer } from './plan-placement';
import type { GenerateInput, PlanResult, RuleFairness } from './plan-result';
import { PlanSetting, ruleLeadersOf, settingOf, Tally } from './plan-setting';
import { Occupancy } from './plan-year';
import type { PlanSession } from './types';

export type { GenerateInput, PlanIssue, PlanIssueKind, PlanResult, RuleFairness } from './plan-result';

/**
 * Makes a year's reception plan from the rules. Greedy and deterministic: demands with the
 * fewest possible days go first; each takes the day that keeps venues, leaders and the year
 * least crowded. A leader has at most one session a day, never on a day off, never while away.
 * Work grows with (demands × days in their window): linear in the number of leaders.
 *
 * The steps: the year's days and who is away (plan-year), the setting (plan-setting), one demand
 * per day a rule asks for (plan-demands), the sessions that stay taking their demands and their
 * days, then each open demand placed, tightest first (plan-placement).
 */
export function generatePlan(input: GenerateInput): PlanResult {
  const { year, calendar } = input;
  const provisional = !calendar.isKnown(`${year}-01-01`);
  if (provisional && !input.allowProvisional) throw new UnknownYearError(year);
  const setting = settingOf(input, provisional);
  const occupancy = new Occupancy(setting.days, setting.leaves);
  const tally = new Tally();

  // Sessions that stay occupy their leaders first.
  const given = input.existing ?? [];
  const inYear = given.map((_, i) => i).filter((i) => given[i].date.startsWith(String(year)));
  const existing = inYear.map((i) => given[i]);
  for (const s of existing) {
    const i = setting.days.index.get(s.date);
    if (i !== undefined) occupancy.occupy(s.leaderIds, s.venueId, i);
  }

  const demands = buildDemands(setting);
  const matchedExisting = matchExisting(setting, demands, existing, tally).map((i) => inYear[i]);
  demands.demands.sort(tightestFirst);
  const placer = new Placer(setting, occupancy, tally);
  for (const d of demands.demands) placer.placeDemand(d);

  const sessions = placer.sessions.sort(byDayTimeVenueLeader);
  return {
    year, provisional, sessions, issues: setting.issues, fairness: fairnessOf(setting, tally), matchedExisting, rulePeriods: demands.rulePeriods,
  };
}

function byDayTimeVenueLeader(a: PlanSession, b: PlanSession): number {
  return a.date.localeCompare(b.date) || a.startTime.localeCompare(b.startTime) || a.venueId.localeCompare(b.venueId) || a.leaderIds[0].localeCompare(b.leaderIds[0]);
}

/** How evenly each rule's days fell: per leader, and the spread within each group sharing the load. */
function fairnessOf(setting: PlanSetting, tally: Tally): RuleFairness[] {
  return setting.rules.rules.map((rule) => {
    const ruleLeaders = ruleLeadersOf(setting, rule);
    const m = tally.duty.get(rule.id) ?? new Map<string, number>();
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
