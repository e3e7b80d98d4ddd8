import { formatChineseDate, HolidayCalendar, IsoDate } from '../../platform/calendar/domain';
import type { Slot, Unavailability } from './types';

/** What the conflict checks need of a session. */
export interface SessionLike {
  id?: number;
  date: IsoDate;
  slot: Slot;
  startTime: string;
  endTime: string;
  venueId: string;
  leaderIds: string[];
  status?: string;
}

const live = (s: SessionLike) => s.status !== 'cancelled';

/** Two sessions overlap when they share a date and their times intersect (全天 overlaps both halves). */
export function sessionsOverlap(a: SessionLike, b: SessionLike): boolean {
  return a.date === b.date && a.startTime < b.endTime && b.startTime < a.endTime;
}

export interface DoubleBooking {
  leaderId: string;
  a: SessionLike;
  b: SessionLike;
}

/** Every leader booked into two overlapping sessions (cancelled ones aside). */
export function findDoubleBookings(sessions: SessionLike[]): DoubleBooking[] {
  const byLeaderDay = new Map<string, SessionLike[]>();
  for (const s of sessions) {
    if (!live(s)) continue;
    for (const l of s.leaderIds) {
      const k = `${l}|${s.date}`;
      const list = byLeaderDay.get(k);
      if (list) list.push(s);
      else byLeaderDay.set(k, [s]);
    }
  }
  const out: DoubleBooking[] = [];
  for (const [k, list] of byLeaderDay) {
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        if (sessionsOverlap(list[i], list[j])) out.push({ leaderId: k.slice(0, k.lastIndexOf('|')), a: list[i], b: list[j] });
      }
    }
  }
  return out;
}

/**
 * Whether a day may hold a session: a working day of the legal calendar. For a year without
 * holiday data only weekends can be judged; `provisional` says so.
 */
export function receptionDayCheck(date: IsoDate, cal: HolidayCalendar): { ok: boolean; provisional: boolean; reason?: string } {
  const provisional = !cal.isKnown(date);
  if (cal.isWorkingDayOrEstimate(date)) return { ok: true, provisional };
  const kind = cal.dayKindAssumingWeekends(date);
  const name = cal.holidayName(date);
  const why = kind === 'holiday' ? `法定节假日${name ? `（${name}）` : ''}` : '周末';
  return { ok: false, provisional, reason: `${formatChineseDate(date)}是${why}，不安排接访` };
}

export interface ChangeContext {
  calendar: HolidayCalendar;
  /** Shanghai date today: nothing moves into the past. */
  today: IsoDate;
  /** Shanghai wall-clock time now ('HH:MM'): a session of today that has begun is under way. */
  nowTime?: string;
  /** Live sessions of the leaders involved (others may be there too). */
  sessions: SessionLike[];
  unavailability: Unavailability[];
  leaderName: (id: string) => string;
}

function awayOn(ctx: ChangeContext, leaderId: string, date: IsoDate): Unavailability | undefined {
  return ctx.unavailability.find((u) => u.leaderId === leaderId && u.from <= date && u.to >= date);
}

function clashes(ctx: ChangeContext, leaderId: string, at: SessionLike, ignore: Array<number | undefined>): SessionLike | undefined {
  return ctx.sessions.find(
    (s) => live(s) && !ignore.includes(s.id) && s.leaderIds.includes(leaderId) && sessionsOverlap(s, at),
  );
}

function describe(s: SessionLike): string {
  return `${formatChineseDate(s.date)}${s.slot}${s.id ? `（编号 ${s.id}）` : ''}`;
}

function changeable(s: SessionLike, today: IsoDate, problems: string[], nowTime?: string): void {
  if (s.status === 'cancelled') problems.push(`${describe(s)}的接访已取消，不能再调整`);
  else if (s.status === 'held') problems.push(`${describe(s)}的接访已举行，不能再调整`);
  else if (s.date < today) problems.push(`${describe(s)}的接访已过去，不能再调整`);
  else if (s.date === today && nowTime !== undefined && s.startTime <= nowTime) problems.push(`${describe(s)}的接访已经开始，不能再调整`);
}

/** What stands in the way of moving a session to another day or half-day; empty when nothing does. */
export function checkMove(session: SessionLike, target: Pick<SessionLike, 'date' | 'slot' | 'startTime' | 'endTime'>, ctx: ChangeContext): string[] {
  const problems: string[] = [];
  changeable(session, ctx.today, problems, ctx.nowTime);
  const moved: SessionLike = { ...session, ...target };
  if (target.date < ctx.today) problems.push(`不能改到已经过去的日期（${formatChineseDate(target.date)}）`);
  if (target.date === session.date && target.startTime === session.startTime && target.endTime === session.endTime) {
    problems.push('新的时间与原安排相同');
  }
  const day = receptionDayCheck(target.date, ctx.calendar);
  if (!day.ok) problems.push(day.reason!);
  for (const l of session.leaderIds) {
    const c = clashes(ctx, l, moved, [session.id]);
    if (c) problems.push(`${ctx.leaderName(l)}在${describe(c)}已有接访安排`);
    const u = awayOn(ctx, l, target.date);
    if (u) problems.push(`${ctx.leaderName(l)}${formatChineseDate(target.date)}不在岗（${u.reason ?? '请假'}）`);
  }
  return problems;
}

/**
 * What stands in the way of two leaders trading sessions: `leaderA` takes `b`, `leaderB`
 * takes `a`. Each must be free (apart from the two sessions traded) and on duty that day.
 */
export function checkSwap(a: SessionLike, leaderA: string, b: SessionLike, leaderB: string, ctx: ChangeContext): string[] {
  const problems: string[] = [];
  if (a.id !== undefined && a.id === b.id) return ['不能与同一场接访对调'];
  if (leaderA === leaderB) return ['不能与自己对调'];
  if (!a.leaderIds.includes(leaderA)) problems.push(`${ctx.leaderName(leaderA)}不在${describe(a)}的接访安排中`);
  if (!b.leaderIds.includes(leaderB)) problems.push(`${ctx.leaderName(leaderB)}不在${describe(b)}的接访安排中`);
  if (b.leaderIds.includes(leaderA)) problems.push(`${ctx.leaderName(leaderA)}已在${describe(b)}的接访安排中`);
  if (a.leaderIds.includes(leaderB)) problems.push(`${ctx.leaderName(leaderB)}已在${describe(a)}的接访安排中`);
  changeable(a, ctx.today, problems, ctx.nowTime);
  changeable(b, ctx.today, problems, ctx.nowTime);
  const check = (leader: string, takes: SessionLike) => {
    const c = clashes(ctx, leader, takes, [a.id, b.id]);
    if (c) problems.push(`${ctx.leaderName(leader)}在${describe(c)}已有接访安排，与${describe(takes)}冲突`);
    const u = awayOn(ctx, leader, takes.date);
    if (u) problems.push(`${ctx.leaderName(leader)}${formatChineseDate(takes.date)}不在岗（${u.reason ?? '请假'}）`);
  };
  check(leaderA, b);
  check(leaderB, a);
  return problems;
}
