import { addDays, HolidayCalendar, IsoDate, weekday } from '../../platform/calendar/domain';
import { sessionsOverlap, SessionLike } from './conflicts';
import { joinThinEdgeWeeks, PeriodKind, periodsOfYear } from './periods';
import { usableDays, YearDays, yearDays } from './plan-year';
import type { RosterRule, RosterRules } from './rules';
import type { Unavailability } from './types';

/** A session as the plan sees it when the calendar changes. */
export interface FollowSession extends SessionLike {
  id: number;
  ruleId: string | null;
  status: string;
}

export interface FollowInput {
  /** The live sessions of the years concerned, held ones too: they keep their leaders and venues busy. */
  sessions: FollowSession[];
  /** The days whose answer changed with the import. */
  changedDays: IsoDate[];
  /** The calendar the import makes. */
  calendar: HolidayCalendar;
  /** Shanghai date today: nothing moves into the past, nor to today (too late to tell anyone). */
  today: IsoDate;
  /** The roster rules; null when they cannot be read (every session is then moved as one without a rule). */
  rules: RosterRules | null;
  unavailability: Unavailability[];
}

export interface FollowMove {
  session: FollowSession;
  to: IsoDate;
}

export interface FollowStuck {
  session: FollowSession;
  /** 'no-day': the period the session may move within has no other working day (the rule asks nothing of it); 'busy': every one is taken. */
  kind: 'no-day' | 'busy';
  /** Why no day was found, in Chinese: 同一周内没有其他可用的工作日 … */
  reason: string;
}

export interface FollowResult {
  moved: FollowMove[];
  stuck: FollowStuck[];
}

/** The stretch a session may move within, and its name in a sentence. */
interface Window {
  days: IsoDate[];
  label: string;
}

const PERIOD_WORDS: Record<PeriodKind, string> = { week: '同一周', month: '同一月', quarter: '同一季度', year: '同一年' };

/**
 * The plan follows the calendar: each coming session (not held, not cancelled) on a day that became
 * a rest day moves to the nearest working day its rule allows — the rule's period (its week, month,
 * quarter or year, with the rule's weekdays), or for a session without a rule the same week, else
 * the same month — where none of its leaders is busy or away and its venue is free at that time.
 * What finds no day stays where it is, with the reason, for the admin. Moves are made in date
 * order, each seeing the ones before.
 */
export function followCalendar(input: FollowInput): FollowResult {
  const changed = new Set(input.changedDays);
  const affected = input.sessions
    .filter((s) => changed.has(s.date) && s.date >= input.today && s.status !== 'held' && s.status !== 'cancelled')
    .filter((s) => !input.calendar.isWorkingDayOrEstimate(s.date))
    .sort((a, b) => a.date.localeCompare(b.date) || a.startTime.localeCompare(b.startTime) || a.id - b.id);
  const board = new Board(input.sessions.filter((s) => s.status !== 'cancelled'));
  const windows = new Windows(input.calendar, addDays(input.today, 1));
  const rules = new Map((input.rules?.rules ?? []).map((r) => [r.id, r]));
  const result: FollowResult = { moved: [], stuck: [] };
  for (const s of affected) {
    const rule = s.ruleId ? rules.get(s.ruleId) : undefined;
    const tries = rule ? [windows.ofRule(s.date, rule)] : [windows.ofPeriod(s.date, 'week'), windows.ofPeriod(s.date, 'month')];
    let to: IsoDate | undefined;
    // A day with the venue free first; else the least shared: as the generator does when a short
    // week leaves too few days for a town's leaders, a venue may hold one session more than
    // alone, or as many as it holds on its fullest day of the plan; and last, as the generator's
    // soft venue load allows, any day the leaders are free (a leader is never double-booked).
    const shares = [...Array.from({ length: Math.max(2, board.fullest(s.venueId)) }, (_, i) => i), Infinity];
    for (const share of shares) {
      for (const w of tries) to ??= nearestFirst(s.date, w.days).find((d) => board.free(s, d, input.unavailability, share));
      if (to) break;
    }
    if (to) {
      board.move(s, to);
      result.moved.push({ session: s, to });
      continue;
    }
    const last = tries[tries.length - 1];
    const none = tries.every((w) => !w.days.some((d) => d !== s.date));
    result.stuck.push({
      session: s, kind: none ? 'no-day' : 'busy',
      reason: none ? `${last.label}内没有其他可用的工作日` : `${tries.map((w) => w.label).join('及')}内的工作日，领导或接访地点都已有安排，或领导不在岗`,
    });
  }
  return result;
}

/** Days sorted by distance from `from`, the later first when two are as near. */
function nearestFirst(from: IsoDate, days: IsoDate[]): IsoDate[] {
  const t = Date.parse(from);
  const dist = (d: IsoDate) => Math.abs(Date.parse(d) - t);
  return days.filter((d) => d !== from).sort((a, b) => dist(a) - dist(b) || b.localeCompare(a));
}

/** Who and where is taken, by leader and day and by venue and day; moves update it. */
class Board {
  private readonly byLeader = new Map<string, FollowSession[]>();
  private readonly byVenue = new Map<string, FollowSession[]>();
  private readonly dateOf = new Map<number, IsoDate>();

  /** The most sessions each venue holds on one day, as planned. */
  private readonly most = new Map<string, number>();

  constructor(sessions: FollowSession[]) {
    for (const s of sessions) this.add(s, s.date);
    for (const [k, list] of this.byVenue) {
      const v = k.slice(0, k.lastIndexOf('|'));
      this.most.set(v, Math.max(this.most.get(v) ?? 0, list.length));
    }
  }

  fullest(venueId: string): number {
    return this.most.get(venueId) ?? 0;
  }

  /** Whether `s` may be on `date`: none of its leaders busy at that time or away, its venue holding at most `venueShare` other sessions then. */
  free(s: FollowSession, date: IsoDate, away: Unavailability[], venueShare: number): boolean {
    const at = { ...s, date };
    const clashes = (list: FollowSession[] | undefined) => (list ?? []).filter((o) => o.id !== s.id && sessionsOverlap({ ...o, date }, at)).length;
    if (clashes(this.byVenue.get(`${s.venueId}|${date}`)) > venueShare) return false;
    return s.leaderIds.every(
      (l) => !clashes(this.byLeader.get(`${l}|${date}`)) && !away.some((u) => u.leaderId === l && u.from <= date && u.to >= date),
    );
  }

  move(s: FollowSession, to: IsoDate): void {
    const from = this.dateOf.get(s.id) ?? s.date;
    const drop = (m: Map<string, FollowSession[]>, k: string) => m.set(k, (m.get(k) ?? []).filter((o) => o.id !== s.id));
    drop(this.byVenue, `${s.venueId}|${from}`);
    for (const l of s.leaderIds) drop(this.byLeader, `${l}|${from}`);
    this.add(s, to);
  }

  private add(s: FollowSession, date: IsoDate): void {
    this.dateOf.set(s.id, date);
    const push = (m: Map<string, FollowSession[]>, k: string) => m.set(k, [...(m.get(k) ?? []), s]);
    push(this.byVenue, `${s.venueId}|${date}`);
    for (const l of s.leaderIds) push(this.byLeader, `${l}|${date}`);
  }
}

/** The working days a session may move to: the new calendar's, from `fromDate` on, year by year. */
class Windows {
  private readonly years = new Map<number, YearDays>();

  constructor(private readonly calendar: HolidayCalendar, private readonly fromDate: IsoDate) {}

  private days(year: number): YearDays {
    let d = this.years.get(year);
    if (!d) this.years.set(year, (d = yearDays(year, this.calendar, !this.calendar.isKnown(`${year}-01-01`), this.fromDate)));
    return d;
  }

  /** The rule's period holding `date` (the generator's periods: thin edge weeks joined), on the rule's weekdays. */
  ofRule(date: IsoDate, rule: RosterRule): Window {
    const year = Number(date.slice(0, 4));
    const days = this.days(year);
    const periods = periodsOfYear(year, rule.per);
    const joined = joinThinEdgeWeeks(periods, periods.map((p) => usableDays(days, p, rule.weekdays)), year);
    const i = joined.periods.findIndex((p) => p.start <= date && date <= p.end);
    return { days: (joined.days[i] ?? []).map((j) => days.dates[j]), label: PERIOD_WORDS[rule.per] };
  }

  /** The week (Monday to Sunday) or the month holding `date`, within its year. */
  ofPeriod(date: IsoDate, kind: 'week' | 'month'): Window {
    const year = Number(date.slice(0, 4));
    const days = this.days(year);
    const start = kind === 'week' ? addDays(date, -((weekday(date) + 6) % 7)) : `${date.slice(0, 7)}-01`;
    const end = kind === 'week' ? addDays(start, 6) : `${date.slice(0, 7)}-31`;
    const out: IsoDate[] = [];
    days.dates.forEach((d, i) => {
      if (d >= start && d <= end && days.working[i]) out.push(d);
    });
    return { days: out, label: PERIOD_WORDS[kind] };
  }
}

/** Why a day no longer holds a session, as the report says it: 2月8日为春节假日. */
export function restDayWhy(date: IsoDate, calendar: HolidayCalendar): string {
  const md = `${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日`;
  if (calendar.dayKindAssumingWeekends(date) !== 'holiday') return `${md}为休息日`;
  const name = calendar.holidayName(date);
  return `${md}为${name ? `${name}假日` : '法定节假日'}`;
}
