import { IsoDate, shanghaiDate, shanghaiTime } from '../platform/calendar/domain';
import type { Core } from '../platform/core/feature';
import type { ChangeContext, SessionLike } from './domain';
import type { RosterStore } from './roster-store';
import { toLike } from './session-view';
import type { Db } from './store-rows';

/** What the conflict checks need: the leaders' coming sessions, leave and names, and the calendar. */
export async function loadChangeContext(core: Core, store: RosterStore, today: IsoDate, db: Db, leaderIds: string[]): Promise<ChangeContext> {
  const lists = await Promise.all(leaderIds.map((id) => store.sessions.listSessions({ leaderId: id, from: today }, db)));
  const seen = new Set<number>();
  const sessions: SessionLike[] = [];
  for (const s of lists.flat()) if (!seen.has(s.id) && seen.add(s.id)) sessions.push(toLike(s));
  const leaders = await store.leaders.listLeaders({}, db);
  const names = new Map(leaders.map((l) => [l.id, l.name]));
  return {
    calendar: core.calendar.calendar,
    today,
    // Only meaningful when today is the real today (not a date handed in for a check).
    nowTime: today === shanghaiDate(core.now()) ? shanghaiTime(core.now()) : undefined,
    sessions,
    unavailability: await store.leaders.listUnavailability({ from: today }, db),
    leaderName: (id) => names.get(id) ?? id,
  };
}

/** The live sessions at a venue on a day (the venue check of a move or a restore). */
export async function venueSessionsOn(store: RosterStore, venueId: string, date: IsoDate, db: Db): Promise<SessionLike[]> {
  return (await store.sessions.listSessions({ venueIds: [venueId], from: date, to: date }, db)).map(toLike);
}
