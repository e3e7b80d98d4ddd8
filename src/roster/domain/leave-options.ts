import { addDays, daysBetween, formatChineseDate, IsoDate, weekday } from '../../platform/calendar/domain';
import { ChangeContext, checkMove, SessionLike, sessionsOverlap } from './conflicts';
import { PeriodKind, periodsOfYear } from './periods';
import type { Unavailability } from './types';

/**
 * What the admin may do with a session planned in a leader's leave (plan leave, 请假登记): let the
 * deputy receive instead, or move it to a free working day its rule allows. Pure: the caller
 * brings the calendar, the sessions and the leave in a ChangeContext.
 */

/** Where a session may move: the days of its rule's period holding its date, on the rule's weekdays. */
export interface MoveWindow {
  start: IsoDate;
  end: IsoDate;
  /** 1 = Monday … 7 = Sunday; undefined: any working day. */
  weekdays?: number[];
  /** 同一周, 同一月…: what a person reads. */
  label: string;
  /** 3月9日—3月15日. */
  span: string;
}

const md = (d: IsoDate) => `${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`;

const WINDOW_LABELS: Record<PeriodKind, string> = { week: '同一周', month: '同一月', quarter: '同一季度', year: '同一年' };

/**
 * The window of a session's rule (`per`, `weekdays`); a session without a rule (imported from a
 * workbook, added by hand) may move within its month.
 */
export function moveWindow(date: IsoDate, rule: { per: PeriodKind; weekdays?: number[] } | null): MoveWindow {
  const per = rule?.per ?? 'month';
  const period = periodsOfYear(Number(date.slice(0, 4)), per).find((p) => p.start <= date && date <= p.end)!;
  return { start: period.start, end: period.end, weekdays: rule?.weekdays, label: WINDOW_LABELS[per], span: `${md(period.start)}—${md(period.end)}` };
}

const isoWeekday = (d: IsoDate) => weekday(d) || 7;

/**
 * The days a session may move to inside its window: after today, on an allowed weekday, and where
 * checkMove finds nothing in the way (a working day, every leader free and on duty). The nearest to
 * the session's own day first; of two as near, the later (after the leave rather than before it).
 */
export function moveCandidates(session: SessionLike, window: MoveWindow, ctx: ChangeContext): IsoDate[] {
  const out: IsoDate[] = [];
  const from = window.start > ctx.today ? window.start : addDays(ctx.today, 1);
  for (let d = from; d <= window.end; d = addDays(d, 1)) {
    if (d === session.date) continue;
    if (window.weekdays && !window.weekdays.includes(isoWeekday(d))) continue;
    if (checkMove(session, { date: d, slot: session.slot, startTime: session.startTime, endTime: session.endTime }, ctx).length) continue;
    out.push(d);
  }
  const distance = (d: IsoDate) => Math.abs(daysBetween(session.date, d));
  return out.sort((a, b) => distance(a) - distance(b) || (a < b ? 1 : -1));
}

/** The leave of `leaderId` that covers `date`, if any. */
export function leaveOn(unavailability: Unavailability[], leaderId: string, date: IsoDate): Unavailability | undefined {
  return unavailability.find((u) => u.leaderId === leaderId && u.from <= date && date <= u.to);
}

/** What stands in the way of `deputyId` receiving in `leaderId`'s place at `session`; empty when nothing does. */
export function deputyProblems(session: SessionLike, leaderId: string, deputyId: string, ctx: ChangeContext): string[] {
  const name = ctx.leaderName;
  const when = `${formatChineseDate(session.date)}${session.slot}`;
  if (session.status === 'cancelled') return [`${when}的接访已取消`];
  if (session.status === 'held') return [`${when}的接访已举行`];
  if (session.date < ctx.today) return [`${when}的接访已过去`];
  const problems: string[] = [];
  if (!session.leaderIds.includes(leaderId)) problems.push(`${name(leaderId)}已不在${when}的接访安排中`);
  if (session.leaderIds.includes(deputyId)) problems.push(`${name(deputyId)}已在${when}的接访安排中`);
  const clash = ctx.sessions.find(
    (s) => s.status !== 'cancelled' && s.id !== session.id && s.leaderIds.includes(deputyId) && sessionsOverlap(s, session),
  );
  if (clash) problems.push(`${name(deputyId)}在${formatChineseDate(clash.date)}${clash.slot}${clash.id ? `（编号 ${clash.id}）` : ''}已有接访安排`);
  const away = leaveOn(ctx.unavailability, deputyId, session.date);
  if (away) problems.push(`${name(deputyId)}${formatChineseDate(session.date)}也不在岗（${away.reason ?? '请假'}）`);
  return problems;
}
