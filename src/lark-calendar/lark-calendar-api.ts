import type * as lark from '@larksuiteoapi/node-sdk';
import type { EventBody } from './domain';

/** A calendar call Lark refused or never answered: its HTTP status and Lark's code and message. */
export class CalendarCallError extends Error {
  constructor(readonly status: number | null, readonly code: number | null, msg: string) {
    super(msg);
  }
  /** Lark says the event is gone (deleted in Lark, or never there). */
  get eventGone(): boolean {
    return this.code === EVENT_NOT_FOUND || this.code === EVENT_DELETED;
  }
  /** What the queue keeps of the failure: no body, no personal data. */
  describe(): string {
    return `HTTP ${this.status ?? '—'} code ${this.code ?? '—'}: ${this.message}`.slice(0, 200);
  }
}

/** calendar.v4's "event not found" and "event deleted". */
const EVENT_NOT_FOUND = 193001;
const EVENT_DELETED = 193002;

/** Lark's answer: the data on code 0, else a CalendarCallError (an HTTP error's body read too). */
async function call<T>(fn: () => Promise<{ code?: number; msg?: string; data?: T }>): Promise<T> {
  let res: { code?: number; msg?: string; data?: T };
  try {
    res = await fn();
  } catch (err: any) {
    const body = err?.response?.data;
    throw new CalendarCallError(err?.response?.status ?? null, typeof body?.code === 'number' ? body.code : null, String(body?.msg ?? err?.message ?? 'no answer'));
  }
  if (typeof res?.code === 'number' && res.code !== 0) throw new CalendarCallError(200, res.code, String(res.msg ?? ''));
  return (res?.data ?? {}) as T;
}

/** The calendar.v4 calls the sync makes, through the SDK client (tenant token, the app's identity). */
export class LarkCalendarApi {
  constructor(private readonly client: lark.Client) {}

  async createCalendar(summary: string, description: string): Promise<string> {
    const data: any = await call(() => this.client.calendar.v4.calendar.create({ data: { summary, description, permissions: 'private' } }));
    const id = data?.calendar?.calendar_id;
    if (typeof id !== 'string' || !id) throw new CalendarCallError(200, null, 'no calendar_id in the answer');
    return id;
  }

  async createEvent(calendarId: string, body: EventBody, idempotencyKey: string): Promise<string> {
    const data: any = await call(() =>
      this.client.calendar.v4.calendarEvent.create({ path: { calendar_id: calendarId }, params: { idempotency_key: idempotencyKey }, data: { ...body, need_notification: false } }),
    );
    const id = data?.event?.event_id;
    if (typeof id !== 'string' || !id) throw new CalendarCallError(200, null, 'no event_id in the answer');
    return id;
  }

  async patchEvent(calendarId: string, eventId: string, body: EventBody): Promise<void> {
    await call(() => this.client.calendar.v4.calendarEvent.patch({ path: { calendar_id: calendarId, event_id: eventId }, data: { ...body, need_notification: false } as any }));
  }

  /** Deletes the event; one Lark no longer has counts as deleted. */
  async deleteEvent(calendarId: string, eventId: string): Promise<void> {
    try {
      await call(() => this.client.calendar.v4.calendarEvent.delete({ path: { calendar_id: calendarId, event_id: eventId }, params: { need_notification: 'false' } }));
    } catch (err) {
      if (err instanceof CalendarCallError && err.eventGone) return;
      throw err;
    }
  }

  async addAttendees(calendarId: string, eventId: string, openIds: string[]): Promise<void> {
    if (!openIds.length) return;
    await call(() =>
      this.client.calendar.v4.calendarEventAttendee.create({
        path: { calendar_id: calendarId, event_id: eventId },
        params: { user_id_type: 'open_id' },
        data: { attendees: openIds.map((user_id) => ({ type: 'user' as const, user_id, is_optional: false })), need_notification: false },
      }),
    );
  }

  async removeAttendees(calendarId: string, eventId: string, openIds: string[]): Promise<void> {
    if (!openIds.length) return;
    await call(() =>
      this.client.calendar.v4.calendarEventAttendee.batchDelete({
        path: { calendar_id: calendarId, event_id: eventId },
        params: { user_id_type: 'open_id' },
        data: { delete_ids: openIds.map((user_id) => ({ type: 'user' as const, user_id })), need_notification: false },
      }),
    );
  }
}
