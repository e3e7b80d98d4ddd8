import type { Core } from '../platform/core/feature';
import type { User } from '../platform/directory/user-store';
import { formatChineseDate, type IsoDate } from '../platform/calendar/domain/dates';
import { RosterService } from '../roster';
import { clashesWithSession, type MeetingTime } from './domain/meeting-time';
import type { Conflict } from './domain/meeting-view';
import type { ConsultationStore } from './consultation-store';

/**
 * What the leaders invited already have that half-day: a reception session (read through the
 * roster's index), a leave (请假), or another meeting of this capability.
 */
export async function leaderConflicts(
  core: Core, store: ConsultationStore, leaders: User[], date: IsoDate, time: MeetingTime, exceptNo?: string,
): Promise<Conflict[]> {
  if (!leaders.length) return [];
  const roster = new RosterService(core).store;
  const out: Conflict[] = [];
  const day = formatChineseDate(date);
  const leave = await roster.leaders.listUnavailability({ from: date, to: date });
  const meetings = (await store.onDate(date)).filter((m) => m.no !== exceptNo && m.startTime < time.end && time.start < m.endTime);
  const invited = await store.invitees(meetings.map((m) => m.id));
  for (const l of leaders) {
    const name = l.title ? `${l.name}（${l.title}）` : l.name;
    for (const s of await roster.sessions.listSessions({ from: date, to: date, leaderId: l.id })) {
      if (!clashesWithSession(time, s)) continue;
      out.push({ leader: name, what: `${day}${s.slot} ${s.startTime}—${s.endTime} 在${s.venueName}${s.type}` });
    }
    for (const u of leave.filter((x) => x.leaderId === l.id)) {
      out.push({ leader: name, what: `${formatChineseDate(u.from, false)}至${formatChineseDate(u.to, false)}请假${u.reason ? `（${u.reason}）` : ''}` });
    }
    for (const m of meetings.filter((x) => invited.some((i) => i.consultationId === x.id && i.kind === 'leader' && i.invitee === l.id))) {
      out.push({ leader: name, what: `${day} ${m.startTime}—${m.endTime} 已有会商 ${m.no}` });
    }
  }
  return out;
}
