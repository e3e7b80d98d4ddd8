import type { Core } from '../platform/core/feature';
import { shanghaiDate } from '../platform/calendar/domain';
import { ConsultationCalendarQueries } from '../consultations';
import { desiredMeetingEvent, type DesiredEvent } from './domain';
import { LarkCalendarStore, MEETING_EVENTS } from './lark-calendar-store';
import type { LarkCalendarApi } from './lark-calendar-api';
import type { CallPacer } from './call-pacer';
import { EventWriter, wantHash, type WriteOutcome } from './event-writer';

/**
 * 会商 and 联席会议 → the same shared Lark calendar as the reception days, through the same
 * machinery: a mapping row per meeting (lark_calendar_meetings) that is also the queue, each
 * compared with what Lark should show, the differences written under a lease with back-off.
 * A moved meeting is patched (same event), a cancelled one deleted, the invitees who did not
 * decline are its attendees. Meetings are few: every round reads them all from today on.
 */
export class MeetingSync {
  readonly store: LarkCalendarStore;
  private readonly meetings: ConsultationCalendarQueries;
  private readonly writer: EventWriter;

  constructor(
    private readonly core: Core,
    api: LarkCalendarApi,
    pacer: CallPacer,
    private readonly owner: string,
    private readonly leaseMs: number,
    private readonly batch: number,
  ) {
    this.store = new LarkCalendarStore(core.db, MEETING_EVENTS);
    this.meetings = new ConsultationCalendarQueries(core.db);
    this.writer = new EventWriter(this.store, api, pacer, owner, () => this.core.now(), 'xinfang-meeting');
  }

  /** One round on the calendar: the scan, then the due rows written; the outcomes added to `counts`. */
  async round(calendarId: string, counts: Record<WriteOutcome, number>): Promise<number> {
    const { wants, sequences } = await this.scan();
    for (;;) {
      const rows = await this.store.claimDue(this.owner, this.core.now(), this.leaseMs, this.batch);
      if (!rows.length) break;
      for (const row of rows) counts[await this.writer.write(calendarId, row, wants.get(row.itemId) ?? null, sequences.get(row.itemId) ?? row.wantSequence)]++;
    }
    return wants.size;
  }

  private async scan(): Promise<{ wants: Map<number, DesiredEvent>; sequences: Map<number, number> }> {
    const today = shanghaiDate(this.core.now());
    const list = await this.meetings.meetings(today, await this.core.users.list());
    const mapped = await this.store.mappings(list.map((m) => m.id));
    const wants = new Map<number, DesiredEvent>();
    const sequences = new Map<number, number>();
    for (const m of list) {
      const want = desiredMeetingEvent(m);
      wants.set(m.id, want);
      sequences.set(m.id, m.sequence);
      const row = mapped.get(m.id);
      if (!row && !want.body) continue; // cancelled before it was ever written
      const hash = wantHash(want);
      if (row && row.wantHash === hash) continue;
      await this.store.want(m.id, hash, m.sequence, this.core.now(), Boolean(row));
    }
    return { wants, sequences };
  }
}
