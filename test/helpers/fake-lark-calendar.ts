import { randomBytes } from 'node:crypto';

/**
 * The calendar.v4 part of the fake Lark (fake-lark-server.ts routes to it), as strict as the
 * documentation and the SDK's request types say:
 *  - POST   /open-apis/calendar/v4/calendars: summary at most 255 characters, permissions one of
 *    private | show_only_free_busy | public; answers data.calendar.calendar_id;
 *  - POST   /open-apis/calendar/v4/calendars/:calendar_id/events (?idempotency_key): start_time and
 *    end_time each with a timestamp (seconds, digits) or a date, end not before start, summary at
 *    most 1,000 characters; a known idempotency key returns the event it made; answers data.event;
 *  - PATCH  …/events/:event_id, DELETE …/events/:event_id (193001 for an unknown or deleted event);
 *  - POST   …/events/:event_id/attendees (?user_id_type=open_id): attendees[] of type user with a
 *    user_id that is an open_id (ou_…), at most 1,000; POST …/attendees/batch_delete;
 *  - 191001 for a calendar it never made; 190002 for a body that breaks a rule.
 * Every refusal is kept in `refusals`.
 */
export interface FakeCalendarEvent {
  event_id: string;
  calendar_id: string;
  summary: string;
  description: string;
  location: { name?: string; address?: string } | null;
  start_time: { timestamp?: string; date?: string; timezone?: string };
  end_time: { timestamp?: string; date?: string; timezone?: string };
  attendees: string[];
  deleted: boolean;
  idempotency_key: string | null;
}

export interface CalendarAnswer {
  status: number;
  payload: Record<string, unknown>;
}

const PERMISSIONS = new Set(['private', 'show_only_free_busy', 'public']);
const ATTENDEE_TYPES = new Set(['user', 'chat', 'resource', 'third_party']);

export class FakeLarkCalendar {
  readonly calendars: Array<{ calendar_id: string; summary: string; permissions: string }> = [];
  readonly events = new Map<string, FakeCalendarEvent>();
  readonly refusals: Array<{ path: string; code: number; msg: string }> = [];
  /** Calls by kind: createCalendar, createEvent, patchEvent, deleteEvent, addAttendees, removeAttendees. */
  readonly calls: Record<string, number> = {};
  private readonly byKey = new Map<string, string>();

  /** Live events (not deleted) of the calendar, or of every calendar. */
  liveEvents(calendarId?: string): FakeCalendarEvent[] {
    return [...this.events.values()].filter((e) => !e.deleted && (!calendarId || e.calendar_id === calendarId));
  }

  /** The answer to a calendar.v4 request, or null when the path is not one of these. */
  handle(method: string, path: string, query: URLSearchParams, body: any): CalendarAnswer | null {
    if (!path.startsWith('/open-apis/calendar/v4/calendars')) return null;
    const m = /^\/open-apis\/calendar\/v4\/calendars(?:\/([^/]+)(?:\/events(?:\/([^/]+)(?:\/attendees(\/batch_delete)?)?)?)?)?$/.exec(path);
    if (!m) return { status: 404, payload: { code: 404, msg: `no route ${method} ${path}` } };
    const [, cal, ev, batchDelete] = m.map((x) => (x === undefined ? undefined : decodeURIComponent(x)));
    const b = body ?? {};
    if (!cal) return method === 'POST' ? this.createCalendar(path, b) : null;
    if (!this.calendars.some((c) => c.calendar_id === cal)) return this.refuse(path, 191001, 'invalid calendar_id');
    if (!ev) return method === 'POST' ? this.createEvent(path, cal, query, b) : null;
    const event = this.events.get(ev);
    if (!event || event.deleted || event.calendar_id !== cal) return this.refuse(path, 193001, 'event not found');
    if (path.endsWith('/attendees') && method === 'POST') return this.addAttendees(path, event, query, b);
    if (batchDelete && method === 'POST') return this.removeAttendees(path, event, query, b);
    if (method === 'PATCH') return this.patchEvent(path, event, b);
    if (method === 'DELETE') {
      this.count('deleteEvent');
      event.deleted = true;
      return ok({});
    }
    return { status: 404, payload: { code: 404, msg: `no route ${method} ${path}` } };
  }

  private createCalendar(path: string, b: any): CalendarAnswer {
    if (b.summary !== undefined && (typeof b.summary !== 'string' || [...b.summary].length > 255)) return this.refuse(path, 190002, 'invalid parameters in request: summary');
    if (b.permissions !== undefined && !PERMISSIONS.has(b.permissions)) return this.refuse(path, 190002, 'invalid parameters in request: permissions');
    this.count('createCalendar');
    const calendar_id = `feishu.cn_${randomBytes(10).toString('hex')}@group.calendar.feishu.cn`;
    this.calendars.push({ calendar_id, summary: b.summary ?? '', permissions: b.permissions ?? 'private' });
    return ok({ calendar: { calendar_id, summary: b.summary ?? '', permissions: b.permissions ?? 'private', type: 'shared', role: 'owner' } });
  }

  private createEvent(path: string, cal: string, query: URLSearchParams, b: any): CalendarAnswer {
    const bad = timeRefusal(b, true) ?? textRefusal(b);
    if (bad) return this.refuse(path, 190002, `invalid parameters in request: ${bad}`);
    const key = query.get('idempotency_key');
    const known = key ? this.byKey.get(`${cal}\u0000${key}`) : undefined;
    if (known) return ok({ event: view(this.events.get(known)!) });
    this.count('createEvent');
    const e: FakeCalendarEvent = {
      event_id: `${randomBytes(16).toString('hex')}_0`,
      calendar_id: cal,
      summary: b.summary ?? '',
      description: b.description ?? '',
      location: b.location ?? null,
      start_time: b.start_time,
      end_time: b.end_time,
      attendees: [],
      deleted: false,
      idempotency_key: key,
    };
    this.events.set(e.event_id, e);
    if (key) this.byKey.set(`${cal}\u0000${key}`, e.event_id);
    return ok({ event: view(e) });
  }

  private patchEvent(path: string, e: FakeCalendarEvent, b: any): CalendarAnswer {
    const bad = timeRefusal(b, false) ?? textRefusal(b);
    if (bad) return this.refuse(path, 190002, `invalid parameters in request: ${bad}`);
    this.count('patchEvent');
    if (b.summary !== undefined) e.summary = b.summary;
    if (b.description !== undefined) e.description = b.description;
    if (b.location !== undefined) e.location = b.location;
    if (b.start_time !== undefined) e.start_time = b.start_time;
    if (b.end_time !== undefined) e.end_time = b.end_time;
    return ok({ event: view(e) });
  }

  private addAttendees(path: string, e: FakeCalendarEvent, query: URLSearchParams, b: any): CalendarAnswer {
    const bad = attendeeRefusal(query, b.attendees);
    if (bad) return this.refuse(path, 190002, `invalid parameters in request: ${bad}`);
    this.count('addAttendees');
    for (const a of b.attendees) if (!e.attendees.includes(a.user_id)) e.attendees.push(a.user_id);
    return ok({ attendees: b.attendees.map((a: any) => ({ type: 'user', attendee_id: `user_${a.user_id}`, user_id: a.user_id, rsvp_status: 'needs_action' })) });
  }

  private removeAttendees(path: string, e: FakeCalendarEvent, query: URLSearchParams, b: any): CalendarAnswer {
    const bad = attendeeRefusal(query, b.delete_ids);
    if (bad) return this.refuse(path, 190002, `invalid parameters in request: ${bad}`);
    this.count('removeAttendees');
    const gone = new Set(b.delete_ids.map((a: any) => a.user_id));
    e.attendees = e.attendees.filter((x) => !gone.has(x));
    return ok({});
  }

  private refuse(path: string, code: number, msg: string): CalendarAnswer {
    this.refusals.push({ path, code, msg });
    return { status: 400, payload: { code, msg } };
  }

  private count(kind: string): void {
    this.calls[kind] = (this.calls[kind] ?? 0) + 1;
  }
}

function ok(data: Record<string, unknown>): CalendarAnswer {
  return { status: 200, payload: { code: 0, msg: 'success', data } };
}

function view(e: FakeCalendarEvent): Record<string, unknown> {
  return { event_id: e.event_id, organizer_calendar_id: e.calendar_id, summary: e.summary, description: e.description, location: e.location ?? undefined, start_time: e.start_time, end_time: e.end_time, status: 'confirmed' };
}

function timeOk(t: any): boolean {
  if (!t || typeof t !== 'object') return false;
  if (t.timestamp !== undefined) return typeof t.timestamp === 'string' && /^\d{10}$/.test(t.timestamp);
  return typeof t.date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(t.date);
}

/** start_time and end_time (both needed on create), each a 10-digit timestamp or a date; end not before start. */
function timeRefusal(b: any, create: boolean): string | null {
  for (const k of ['start_time', 'end_time']) {
    if (b[k] === undefined ? create : !timeOk(b[k])) return k;
    if (b[k]?.timezone !== undefined && typeof b[k].timezone !== 'string') return `${k}.timezone`;
  }
  if (b.start_time?.timestamp && b.end_time?.timestamp && Number(b.end_time.timestamp) < Number(b.start_time.timestamp)) return 'end_time before start_time';
  return null;
}

function textRefusal(b: any): string | null {
  if (b.summary !== undefined && (typeof b.summary !== 'string' || [...b.summary].length > 1000)) return 'summary';
  if (b.description !== undefined && (typeof b.description !== 'string' || [...b.description].length > 40_960)) return 'description';
  if (b.location !== undefined && (typeof b.location !== 'object' || (b.location.name !== undefined && typeof b.location.name !== 'string'))) return 'location';
  return null;
}

function attendeeRefusal(query: URLSearchParams, list: any): string | null {
  if (!Array.isArray(list) || list.length === 0 || list.length > 1000) return 'attendees';
  const idType = query.get('user_id_type') ?? 'open_id';
  for (const a of list) {
    if (!ATTENDEE_TYPES.has(a?.type)) return 'attendees.type';
    if (a.type === 'user' && (typeof a.user_id !== 'string' || (idType === 'open_id' && !/^ou_[0-9a-zA-Z]+$/.test(a.user_id)))) return 'attendees.user_id';
  }
  return null;
}
