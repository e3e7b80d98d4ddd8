/**
 * A reception session as an event of the shared Lark calendar (calendar.v4): pure, no I/O.
 * The event says who receives, where and when, and which units come along — never anything of
 * a petitioner (no focus, no notes, no outcome, no cases).
 */
/** What the mapping needs of a session, its venue and its leaders. */
export interface SessionForEvent {
  id: number;
  date: string;
  startTime: string;
  endTime: string;
  type: string;
  status: string;
  accompanyUnits: string[];
  venue: { name: string; address: string | null } | null;
  /** In the leaders' order: the id is the users.id, Lark's open_id in production. */
  leaders: Array<{ id: string; name: string }>;
}

/** The event's body for create and patch, and its attendees (open_ids). */
export interface EventBody {
  summary: string;
  description: string;
  location: { name: string; address?: string };
  start_time: { timestamp: string; timezone: string };
  end_time: { timestamp: string; timezone: string };
  attendee_ability: 'can_see_others';
  visibility: 'default';
  free_busy_status: 'busy';
}

export interface DesiredEvent {
  /** null: the session should have no event (cancelled). */
  body: EventBody | null;
  attendees: string[];
  /** Changes whenever what Lark should show changes (the service stores a hash of it). */
  key: string;
}

export const EVENT_TIMEZONE = 'Asia/Shanghai';
/** Shanghai keeps no daylight saving: UTC+8 all year. */
const SHANGHAI_OFFSET_MS = 8 * 3600 * 1000;

/** Seconds since the epoch of a Shanghai wall-clock date and HH:MM, as Lark's timestamp string. */
export function shanghaiTimestamp(date: string, hhmm: string): string {
  const [y, m, d] = date.split('-').map(Number);
  const [h, min] = hhmm.split(':').map(Number);
  return String((Date.UTC(y, m - 1, d, h, min) - SHANGHAI_OFFSET_MS) / 1000);
}

/** A Lark user id: only open_ids (ou_…) are attendees; console names are left out. */
export function isOpenId(id: string): boolean {
  return /^ou_[0-9a-zA-Z]+$/.test(id);
}

/** The title: “接访：林启航、周庭远 县群众来访接待中心”. */
export function eventSummary(s: SessionForEvent): string {
  const who = s.leaders.map((l) => l.name).join('、') || '（待定）';
  return `${s.type}：${who} ${s.venue?.name ?? ''}`.trim();
}

export function eventDescription(s: SessionForEvent): string {
  const lines = [`${s.type}领导：${s.leaders.map((l) => l.name).join('、') || '（待定）'}`];
  lines.push(`陪同单位：${s.accompanyUnits.length ? s.accompanyUnits.join('、') : '无'}`);
  if (s.status === 'changed') lines.push('（本场次已调整）');
  lines.push('由信访助手根据接访安排自动同步，请勿在此修改。');
  return lines.join('\n');
}

/** What Lark should hold for the session. */
export function desiredEvent(s: SessionForEvent): DesiredEvent {
  if (s.status === 'cancelled') return { body: null, attendees: [], key: 'cancelled' };
  const location: EventBody['location'] = { name: s.venue?.name ?? '' };
  if (s.venue?.address) location.address = s.venue.address;
  const body: EventBody = {
    summary: eventSummary(s),
    description: eventDescription(s),
    location,
    start_time: { timestamp: shanghaiTimestamp(s.date, s.startTime), timezone: EVENT_TIMEZONE },
    end_time: { timestamp: shanghaiTimestamp(s.date, s.endTime), timezone: EVENT_TIMEZONE },
    attendee_ability: 'can_see_others',
    visibility: 'default',
    free_busy_status: 'busy',
  };
  const attendees = [...new Set(s.leaders.map((l) => l.id).filter(isOpenId))].sort();
  return { body, attendees, key: JSON.stringify([body, attendees]) };
}

/** The attendees to add and to remove, from what Lark has to what the session wants. */
export function attendeeChanges(had: string[], want: string[]): { add: string[]; remove: string[] } {
  const h = new Set(had);
  const w = new Set(want);
  return { add: want.filter((x) => !h.has(x)), remove: had.filter((x) => !w.has(x)) };
}

/** Back-off after a failed call: 5 s, 10 s, 20 s … at most 10 minutes. */
export function retryDelayMs(attempts: number): number {
  return Math.min(5_000 * 2 ** Math.max(0, attempts - 1), 600_000);
}
