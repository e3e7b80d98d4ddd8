import { addDays, daysBetween, IsoDate } from '../../platform/calendar/domain/dates';
import type { WorkingDays } from '../../platform/calendar/domain/lenient-working-days';
import { DEFAULT_ESCALATION, EscalationLevel, escalationLevel, EscalationPolicy, flagsLetter } from './escalation';

/**
 * When each deadline's reminders go out (its reminder steps); to whom they escalate is
 * escalation.ts. Pure: the working-day calendar comes in, nothing is read or written here.
 *
 * The steps of one deadline, in working days relative to its due date: the `before` steps
 * (3 and 1 working days before by default), the day itself (the last working day on or before
 * the due date), then every `overdueEvery` working day after it. On a given day only the latest
 * step reached is due, so a scan that missed days (a restart, a holiday) sends one reminder that
 * tells the present state, not a backlog.
 */
export interface ReminderPolicy extends EscalationPolicy {
  /** Working days before the due date, e.g. [3, 1]. */
  beforeSteps: number[];
  /** The tighter steps of 挂牌督办 cases, e.g. [5, 3, 1]. */
  supervisedBeforeSteps: number[];
  /** An overdue reminder every this many working days (1 = each working day). */
  overdueEvery: number;
}

export const DEFAULT_POLICY: ReminderPolicy = {
  beforeSteps: [3, 1],
  supervisedBeforeSteps: [5, 3, 1],
  overdueEvery: 1,
  ...DEFAULT_ESCALATION,
};

/** Parses "3,1" into [3, 1] (descending, no duplicates, no zero: the day itself is always a step). */
export function parseSteps(s: string): number[] {
  const list = s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean)
    .map(Number);
  if (list.some((n) => !Number.isInteger(n) || n < 0 || n > 30)) throw new Error(`提醒步骤“${s}”无效，应为 0–30 的工作日数，用逗号分隔`);
  return [...new Set(list.filter((n) => n > 0))].sort((a, b) => b - a);
}

export type StepPhase = 'before' | 'due' | 'overdue';

export interface ReminderStep {
  /** The step's part of the exactly-once key: 'before-3', 'due', 'overdue-2'. */
  code: string;
  phase: StepPhase;
  /** Working days before (phase before) or after (phase overdue) the due date; 0 on the day. */
  workingDays: number;
  /** The working day the step belongs to. */
  date: IsoDate;
  level: EscalationLevel;
  /** This step flags the case for a 督办函. */
  flagsLetter: boolean;
}

export function stepCode(phase: StepPhase, n: number): string {
  return phase === 'due' ? 'due' : `${phase}-${n}`;
}

/** Reads a step code back; null for anything else. */
export function parseStepCode(code: string): { phase: StepPhase; workingDays: number } | null {
  if (code === 'due') return { phase: 'due', workingDays: 0 };
  const m = /^(before|overdue)-(\d{1,4})$/.exec(code);
  return m ? { phase: m[1] as StepPhase, workingDays: Number(m[2]) } : null;
}

/** How a step reads on a card or in a list. */
export function stepLabel(code: string): string {
  const p = parseStepCode(code);
  if (!p) return code;
  if (p.phase === 'due') return '到期当日';
  return p.phase === 'before' ? `到期前 ${p.workingDays} 个工作日` : `逾期 ${p.workingDays} 个工作日`;
}

/**
 * Where `today` stands against the due date, in working days: negative before it, 0 on the day
 * (when the due date is not a working day, the last working day before it counts as the day),
 * positive after it.
 */
export function workingOffset(today: IsoDate, due: IsoDate, days: WorkingDays): number {
  if (today === due) return 0;
  if (today < due) return -days.workingDaysBetween(today, due);
  return days.workingDaysBetween(due, today);
}

function beforeStepsOf(policy: ReminderPolicy, supervised: boolean): number[] {
  return [...(supervised ? policy.supervisedBeforeSteps : policy.beforeSteps)].filter((n) => n > 0).sort((a, b) => b - a);
}

function makeStep(phase: StepPhase, n: number, due: IsoDate, days: WorkingDays, policy: ReminderPolicy): ReminderStep {
  const anchor = days.workingDayOnOrBefore(due);
  const date = phase === 'before' ? days.addWorkingDays(anchor, -n) : phase === 'due' ? anchor : days.addWorkingDays(due, n);
  const level = phase === 'overdue' ? escalationLevel(n, policy) : 0;
  return { code: stepCode(phase, n), phase, workingDays: n, date, level, flagsLetter: flagsLetter(level) };
}

/** The step a code names for a due date ('before-3' of 2027-01-04: its day, its level); null for an unknown code. */
export function stepOf(code: string, due: IsoDate, days: WorkingDays, policy: ReminderPolicy): ReminderStep | null {
  const p = parseStepCode(code);
  return p ? makeStep(p.phase, p.workingDays, due, days, policy) : null;
}

/**
 * The step due on `today` for a deadline: the latest step whose day has come, or null when the
 * first reminder is still ahead. Call it on working days only (quiet hours are the caller's).
 */
export function currentStep(
  today: IsoDate,
  due: IsoDate,
  supervised: boolean,
  days: WorkingDays,
  policy: ReminderPolicy,
): ReminderStep | null {
  const w = workingOffset(today, due, days);
  if (w === 0) return makeStep('due', 0, due, days, policy);
  if (w > 0) {
    const every = Math.max(1, policy.overdueEvery);
    const n = w - ((w - 1) % every);
    return makeStep('overdue', n, due, days, policy);
  }
  const reached = beforeStepsOf(policy, supervised).filter((n) => n >= -w);
  if (!reached.length) return null;
  return makeStep('before', Math.min(...reached), due, days, policy);
}

/** All the steps of a deadline up to `overdueSteps` overdue reminders (for display and tests). */
export function stepsOf(due: IsoDate, supervised: boolean, days: WorkingDays, policy: ReminderPolicy, overdueSteps = 3): ReminderStep[] {
  const steps = beforeStepsOf(policy, supervised).map((n) => makeStep('before', n, due, days, policy));
  steps.push(makeStep('due', 0, due, days, policy));
  const every = Math.max(1, policy.overdueEvery);
  for (let i = 0; i < overdueSteps; i++) steps.push(makeStep('overdue', 1 + i * every, due, days, policy));
  return steps;
}

/** What a card says about the time left, from `today`. */
export interface TimeLeft {
  /** Calendar days to the due date (negative when past). */
  calendarDays: number;
  /** Working days: before (positive), overdue (negative), 0 on the day. */
  workingDays: number;
  text: string;
}

export function timeLeft(today: IsoDate, due: IsoDate, days: WorkingDays): TimeLeft {
  const w = workingOffset(today, due, days);
  const cal = daysBetween(today, due);
  let text: string;
  if (w < 0) text = `剩余 ${-w} 个工作日（${cal} 天）`;
  else if (w === 0) text = cal > 0 ? `今天是期限前最后一个工作日（还有 ${cal} 天）` : '今天到期';
  else text = `已逾期 ${w} 个工作日`;
  return { calendarDays: cal, workingDays: -w, text };
}

/**
 * The last date whose deadlines may have a step due on `today`: the scan reads open deadlines
 * due on or before it, so it touches only rows that are due.
 */
export function scanHorizon(today: IsoDate, days: WorkingDays, policy: ReminderPolicy): IsoDate {
  const maxBefore = Math.max(0, ...policy.beforeSteps, ...policy.supervisedBeforeSteps);
  // A due date d has offset -k for k working days in (today, d]; the last d with k ≤ maxBefore
  // is the day before the (maxBefore+1)-th working day after today.
  return addDays(days.addWorkingDays(today, maxBefore + 1), -1);
}
