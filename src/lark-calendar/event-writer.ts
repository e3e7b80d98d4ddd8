import { createHash } from 'node:crypto';
import { attendeeChanges, retryDelayMs, type DesiredEvent } from './domain';
import type { EventMapping, LarkCalendarStore } from './lark-calendar-store';
import { CalendarCallError, type LarkCalendarApi } from './lark-calendar-api';
import type { CallPacer } from './call-pacer';

/** What one claimed row's work came to. */
export type WriteOutcome = 'created' | 'patched' | 'deleted' | 'unchanged' | 'failed';

/** The hash a mapping row stores of a desired event. */
export function wantHash(d: DesiredEvent): string {
  return createHash('sha256').update(d.key).digest('hex').slice(0, 40);
}

/**
 * Brings one session's (or meeting's) event in line with what it should be, under the row's lease: create (with
 * an idempotency key, so a retry after a lost answer finds the same event), patch, or delete; then
 * the attendees. Each answer is saved as it comes, so a crash in between repeats nothing done.
 */
export class EventWriter {
  constructor(
    private readonly store: LarkCalendarStore,
    private readonly api: LarkCalendarApi,
    private readonly pacer: CallPacer,
    private readonly owner: string,
    private readonly now: () => Date,
    /** Starts every create's idempotency key: xinfang-session, xinfang-meeting. */
    private readonly keyPrefix = 'xinfang-session',
  ) {}

  async write(calendarId: string, row: EventMapping, want: DesiredEvent | null, sequence: number): Promise<WriteOutcome> {
    if (!want) {
      // The session or meeting left the window (moved into the past): its event stays as it is.
      await this.store.saveProgress(row.itemId, this.owner, { eventId: row.eventId, attendees: row.attendees, syncedHash: row.wantHash, syncedSequence: sequence }, this.now());
      return 'unchanged';
    }
    try {
      const outcome = await this.apply(calendarId, row, want, sequence);
      const done = { eventId: want.body ? row.eventId : null, attendees: want.body ? want.attendees : [], syncedHash: wantHash(want), syncedSequence: sequence };
      await this.store.saveProgress(row.itemId, this.owner, done, this.now());
      return outcome;
    } catch (err) {
      const attempts = row.attempts + 1;
      const why = err instanceof CalendarCallError ? err.describe() : String((err as Error)?.message ?? err).slice(0, 200);
      await this.store.fail(row.itemId, this.owner, attempts, new Date(this.now().getTime() + retryDelayMs(attempts)), why, this.now());
      return 'failed';
    }
  }

  /** The calls; `row.eventId` and `row.attendees` follow what Lark holds. */
  private async apply(calendarId: string, row: EventMapping, want: DesiredEvent, sequence: number): Promise<WriteOutcome> {
    if (!want.body) {
      if (!row.eventId) return 'unchanged';
      await this.pacer.take();
      await this.api.deleteEvent(calendarId, row.eventId);
      row.eventId = null;
      return 'deleted';
    }
    let outcome: WriteOutcome = 'patched';
    if (row.eventId) {
      await this.pacer.take();
      try {
        await this.api.patchEvent(calendarId, row.eventId, want.body);
      } catch (err) {
        if (!(err instanceof CalendarCallError && err.eventGone)) throw err;
        row.eventId = null; // deleted in Lark by hand: made again
        row.attendees = [];
      }
    }
    if (!row.eventId) {
      await this.pacer.take();
      const key = `${this.keyPrefix}-${row.itemId}-${sequence}-${wantHash(want).slice(0, 12)}`;
      row.eventId = await this.api.createEvent(calendarId, want.body, key);
      row.attendees = [];
      await this.store.saveProgress(row.itemId, this.owner, { eventId: row.eventId, attendees: [] }, this.now());
      outcome = 'created';
    }
    const { add, remove } = attendeeChanges(row.attendees, want.attendees);
    if (add.length) {
      await this.pacer.take();
      await this.api.addAttendees(calendarId, row.eventId, add);
    }
    if (remove.length) {
      await this.pacer.take();
      await this.api.removeAttendees(calendarId, row.eventId, remove);
    }
    return outcome;
  }
}
