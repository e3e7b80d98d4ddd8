import type { IsoDate } from '../../platform/calendar/domain/dates';
import { addDays } from '../../platform/calendar/domain/dates';
import { CaseStatus, DEADLINE_KINDS, DeadlineKind } from './case-status';
import { PETITIONER_DEADLINES, petitionerReachable } from './anonymous-petition';

/**
 * The legal deadlines of one case, from its dates and its status (《信访工作条例》 arts. 22, 23,
 * 34–36). Pure: the calendar arrives as a function, so this module never reads holiday data itself.
 */

/** Periods in days, per article. */
export const PERIOD_DAYS = {
  decision: 15, // art. 22
  acceptance_notice: 15, // art. 23
  conclusion: 60, // art. 34
  review_request: 30, // art. 35
  review_decision: 30, // art. 35
  recheck_request: 30, // art. 36
  recheck_decision: 30, // art. 36
} as const satisfies Record<DeadlineKind, number>;

/** The longest extension art. 34 allows, in days. */
export const MAX_EXTENSION_DAYS = 30;

/** The shown warning when a deadline was counted without a year's holiday data. */
export const PROVISIONAL_NOTE = '（该年节假日安排未导入，期限暂按周末推算）';

/** What the calendar says about a period: its last day, and whether that is only an estimate. */
export interface PeriodAnswer {
  lastDay: IsoDate;
  provisional: boolean;
}
export type PeriodFn = (trigger: IsoDate, days: number) => PeriodAnswer;

/** The dates of a case that start its periods. */
export interface CaseDates {
  status: CaseStatus;
  /** The Shanghai date of registration (登记). */
  receivedDate: IsoDate;
  /** When the bureau decided (受理/不予受理/转送/交办); null while registered. */
  decidedDate: IsoDate | null;
  /** When the case was handed to a unit (交办): the unit's receipt. */
  assignedDate: IsoDate | null;
  /** The unit handling it, if any (who must meet the unit's deadlines). */
  unit: string | null;
  /** 受理 by the bureau or by the unit. */
  acceptedDate: IsoDate | null;
  extensionDays: number | null;
  /** The written reply (办结). */
  repliedDate: IsoDate | null;
  reviewRequestedDate: IsoDate | null;
  reviewRepliedDate: IsoDate | null;
  recheckRequestedDate: IsoDate | null;
  recheckRepliedDate: IsoDate | null;
  /**
   * 匿名/身份不明 (cases.anonymous), with the petitioner's phone and address: a petitioner who
   * cannot be reached is owed no notice (see anonymous-petition.ts). Absent: an identified petitioner.
   */
  anonymous?: boolean;
  phone?: string | null;
  address?: string | null;
}

export type DeadlineStatus = 'open' | 'met' | 'void';

export interface ComputedDeadline {
  kind: DeadlineKind;
  dueDate: IsoDate;
  status: DeadlineStatus;
  provisional: boolean;
  /** Who must act: the unit for the unit's deadlines, null for the bureau or the petitioner. */
  unit: string | null;
  /**
   * The case's date that met it (see MET_DATE), whatever the status says: the statistics rate a
   * deadline by it (met by the last day or later) without reading the case. Null: not met yet, or a
   * kind with no date of its own (the acceptance notice).
   */
  metDate: IsoDate | null;
}

/**
 * Which date of the case meets each deadline. Migration 030 backfills case_deadlines.met_date with
 * the same mapping (decided_date, replied_date, …): change both together.
 */
export const MET_DATE: Record<DeadlineKind, keyof CaseDates | null> = {
  decision: 'decidedDate',
  acceptance_notice: null,
  conclusion: 'repliedDate',
  review_request: 'reviewRequestedDate',
  review_decision: 'reviewRepliedDate',
  recheck_request: 'recheckRequestedDate',
  recheck_decision: 'recheckRepliedDate',
};

/** The case's date that met a deadline of this kind, or null. */
export function metDateOf(kind: DeadlineKind, c: CaseDates): IsoDate | null {
  const field = MET_DATE[kind];
  const v = field ? c[field] : null;
  return typeof v === 'string' ? v : null;
}

/** Statuses reached only after the case was accepted for handling. */
const AFTER_ACCEPTANCE: readonly CaseStatus[] = ['handling', 'concluded', 'review', 'reviewed', 'recheck', 'closed'];
const AFTER_REPLY: readonly CaseStatus[] = ['concluded', 'review', 'reviewed', 'recheck', 'closed'];
const AFTER_REVIEW_REQUEST: readonly CaseStatus[] = ['review', 'reviewed', 'recheck', 'closed'];
const AFTER_REVIEW_REPLY: readonly CaseStatus[] = ['reviewed', 'recheck', 'closed'];
const AFTER_RECHECK_REQUEST: readonly CaseStatus[] = ['recheck', 'closed'];

/** The last day of the conclusion period: 60 days from acceptance, then the extension counted from that end. */
export function conclusionDue(acceptedDate: IsoDate, extensionDays: number | null, period: PeriodFn): PeriodAnswer {
  const base = period(acceptedDate, PERIOD_DAYS.conclusion);
  if (!extensionDays) return base;
  const ext = period(base.lastDay, extensionDays);
  return { lastDay: ext.lastDay, provisional: base.provisional || ext.provisional };
}

/**
 * Every deadline that applies to the case in its present status, open (running), met (the step
 * was taken) or void (no longer owed: the case left that road). Kinds that never started are
 * absent; a store marks a previously stored kind that is now absent as void.
 */
export function computeDeadlines(c: CaseDates, period: PeriodFn): ComputedDeadline[] {
  const out: ComputedDeadline[] = [];
  const push = (kind: DeadlineKind, p: PeriodAnswer, status: DeadlineStatus, unit: string | null = null) =>
    out.push({ kind, dueDate: p.lastDay, status, provisional: p.provisional, unit, metDate: metDateOf(kind, c) });

  // art. 22: the bureau decides within 15 days of registration.
  push('decision', period(c.receivedDate, PERIOD_DAYS.decision), c.status === 'registered' ? 'open' : 'met');

  // art. 23: whoever handles it tells the petitioner within 15 days of receiving it whether it is accepted.
  // For a 交办 case that is the unit, from the 交办 date; for a case the bureau decides itself, from registration.
  if (c.status === 'assigned' && c.assignedDate) {
    push('acceptance_notice', period(c.assignedDate, PERIOD_DAYS.acceptance_notice), 'open', c.unit);
  } else if (c.status === 'not_accepted' || AFTER_ACCEPTANCE.includes(c.status)) {
    const trigger = c.assignedDate ?? c.receivedDate;
    push('acceptance_notice', period(trigger, PERIOD_DAYS.acceptance_notice), 'met', c.assignedDate ? c.unit : null);
  }

  // art. 34: conclude within 60 days of acceptance, + one approved extension.
  if (AFTER_ACCEPTANCE.includes(c.status) && c.acceptedDate) {
    push('conclusion', conclusionDue(c.acceptedDate, c.extensionDays, period), c.status === 'handling' ? 'open' : 'met', c.unit);
  }

  // art. 35: the petitioner may ask for 复查 within 30 days of the reply; it is decided within 30 days.
  if (AFTER_REPLY.includes(c.status) && c.repliedDate) {
    const requested = AFTER_REVIEW_REQUEST.includes(c.status);
    // A case closed without review (the window ran out) keeps the window as met history.
    push('review_request', period(c.repliedDate, PERIOD_DAYS.review_request), c.status === 'concluded' ? 'open' : requested ? 'met' : 'void');
  }
  if (AFTER_REVIEW_REQUEST.includes(c.status) && c.reviewRequestedDate) {
    push('review_decision', period(c.reviewRequestedDate, PERIOD_DAYS.review_decision), c.status === 'review' ? 'open' : 'met');
  }

  // art. 36: 复核 likewise, 30 + 30.
  if (AFTER_REVIEW_REPLY.includes(c.status) && c.reviewRepliedDate) {
    const requested = AFTER_RECHECK_REQUEST.includes(c.status);
    push('recheck_request', period(c.reviewRepliedDate, PERIOD_DAYS.recheck_request), c.status === 'reviewed' ? 'open' : requested ? 'met' : 'void');
  }
  if (AFTER_RECHECK_REQUEST.includes(c.status) && c.recheckRequestedDate) {
    push('recheck_decision', period(c.recheckRequestedDate, PERIOD_DAYS.recheck_decision), c.status === 'recheck' ? 'open' : 'met');
  }

  // An anonymous petitioner who left neither phone nor address cannot be told anything (arts. 23, 35, 36
  // run towards the petitioner); the bureau's and the unit's own periods (arts. 22, 34) still run.
  const kept = petitionerReachable(c) ? out : out.filter((d) => !PETITIONER_DEADLINES.includes(d.kind));
  return kept.sort((a, b) => DEADLINE_KINDS.indexOf(a.kind) - DEADLINE_KINDS.indexOf(b.kind));
}

/**
 * Working days left until a due date (the due day itself counts as the last day): 0 on the due
 * day, 1 when the next working day is the due day, negative once it has passed (working days late,
 * at least -1). isWorkingDay must answer for any date (estimating outside the known years).
 */
export function workingDaysLeft(today: IsoDate, due: IsoDate, isWorkingDay: (d: IsoDate) => boolean): number {
  if (today === due) return 0;
  if (due > today) {
    let n = 0;
    for (let d = addDays(today, 1); d <= due; d = addDays(d, 1)) if (isWorkingDay(d)) n++;
    return n;
  }
  let n = 0;
  for (let d = addDays(due, 1); d <= today; d = addDays(d, 1)) if (isWorkingDay(d)) n++;
  return -Math.max(n, 1);
}
