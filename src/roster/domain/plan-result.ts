import type { HolidayCalendar, IsoDate } from '../../platform/calendar/domain';
import type { Period } from './periods';
import type { RosterRules } from './rules';
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
  /** Indexes into `existing` of the sessions that satisfied a demand of the rules (the others only kept their leaders busy). */
  matchedExisting: number[];
  /** Each rule's periods (thin edge weeks joined), by rule id: the periods a rule's sessions are counted in. */
  rulePeriods: Map<string, Period[]>;
}
