import { formatChineseDate } from '../../platform/calendar/domain';
import { ChangeContext, receptionDayCheck, SessionLike, sessionsOverlap } from './conflicts';
import type { RosterLeader } from './types';

/**
 * The checks of the admin's direct changes (调整接访 … 改到 / 换成, 恢复接访) beyond those of
 * conflicts.ts: the venue taken at that time, a restored day, another leader taking a session.
 */

const live = (s: SessionLike) => s.status !== 'cancelled';

function when(s: Pick<SessionLike, 'date' | 'slot'>): string {
  return `${formatChineseDate(s.date)}${s.slot}`;
}

/** The venue already holds another live session at that time. */
export function venueProblems(session: SessionLike, at: Pick<SessionLike, 'date' | 'startTime' | 'endTime' | 'slot'>, venueSessions: SessionLike[], venueName: string): string[] {
  const moved = { ...session, ...at };
  const other = venueSessions.find((v) => live(v) && v.id !== session.id && v.venueId === session.venueId && sessionsOverlap(v, moved));
  return other ? [`${venueName}在${when(other)}已有一场接访（编号 ${other.id}）`] : [];
}

/** A session that may still change: not cancelled, not held, not past or begun. */
export function notChangeable(s: SessionLike, ctx: Pick<ChangeContext, 'today' | 'nowTime'>): string | null {
  const what = `${when(s)}（编号 ${s.id}）的接访`;
  if (s.status === 'cancelled') return `${what}已取消，不能再调整（如需恢复，请发送“恢复接访 ${s.id}”）`;
  if (s.status === 'held') return `${what}已举行，不能再调整`;
  if (s.date < ctx.today) return `${what}已过去，不能再调整`;
  if (s.date === ctx.today && ctx.nowTime !== undefined && s.startTime <= ctx.nowTime) return `${what}已经开始，不能再调整`;
  return null;
}

/** What a leader would meet at `at`: another session of theirs then, or leave that day. */
export function leaderProblems(leaderId: string, at: SessionLike, ctx: ChangeContext): string[] {
  const out: string[] = [];
  const clash = ctx.sessions.find((s) => live(s) && s.id !== at.id && s.leaderIds.includes(leaderId) && sessionsOverlap(s, at));
  if (clash) out.push(`${ctx.leaderName(leaderId)}在${when(clash)}（编号 ${clash.id}）已有接访安排`);
  const away = ctx.unavailability.find((u) => u.leaderId === leaderId && u.from <= at.date && u.to >= at.date);
  if (away) out.push(`${ctx.leaderName(leaderId)}${formatChineseDate(at.date)}不在岗（${away.reason ?? '请假'}）`);
  return out;
}

/**
 * 恢复接访: a cancelled session comes back while its day has not come, if its day is still a
 * working day, its leaders are free and on duty, and the venue is free then.
 */
export function checkRestore(s: SessionLike, ctx: ChangeContext, venueSessions: SessionLike[], venueName: string): string[] {
  if (s.status !== 'cancelled') return [`编号 ${s.id} 的接访没有取消，无需恢复`];
  if (s.date <= ctx.today) {
    return [`编号 ${s.id} 的接访在${formatChineseDate(s.date)}，${s.date === ctx.today ? '就是今天' : '已经过去'}，只能恢复尚未到来的接访；如需另行安排，请用“调整接访”或重新排定`];
  }
  const problems: string[] = [];
  const day = receptionDayCheck(s.date, ctx.calendar);
  if (!day.ok) problems.push(day.reason!);
  const back = { ...s, status: 'planned' };
  for (const l of s.leaderIds) problems.push(...leaderProblems(l, back, ctx));
  problems.push(...venueProblems(back, back, venueSessions, venueName));
  return problems;
}

/**
 * 调整接访 … 换成: `to` takes `fromId`'s place in session `s`. The new leader must be an active
 * leader of the same level (a town venue: of that town), not already there, free and on duty.
 */
export function checkReassign(s: SessionLike, fromId: string, to: RosterLeader, from: RosterLeader | null, venueTown: string | null, ctx: ChangeContext): string[] {
  const problems: string[] = [];
  const blocked = notChangeable(s, ctx);
  if (blocked) problems.push(blocked);
  if (!s.leaderIds.includes(fromId)) problems.push(`${ctx.leaderName(fromId)}不在编号 ${s.id} 的接访安排中`);
  if (to.id === fromId) return [...problems, `${to.name}本来就是这场接访的领导`];
  if (s.leaderIds.includes(to.id)) problems.push(`${to.name}已在编号 ${s.id} 的接访安排中`);
  if (!to.active) problems.push(`${to.name}已不在接访领导名单中（停用）`);
  if (from && from.level === 'county' && to.level !== 'county') problems.push(`这是县级领导的接访，${to.name}（${to.title}）不是县级领导`);
  if (from && from.level === 'town') {
    if (to.level !== 'town') problems.push(`这是乡镇领导的接访，${to.name}（${to.title}）不是乡镇领导`);
    else if (venueTown && !to.towns.includes(venueTown)) problems.push(`${to.name}（${to.title}）不是${venueTown}的领导`);
  }
  problems.push(...leaderProblems(to.id, s, ctx));
  return problems;
}
