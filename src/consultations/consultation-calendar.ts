import type { Knex } from 'knex';
import type { User } from '../platform/directory/user-store';
import { maskPersonalDataInText } from '../platform/personal-data/masking';
import { MEETING_KIND_LABELS } from './domain/consultation-labels';
import { ConsultationStore } from './consultation-store';

/** A meeting as the shared Lark calendar shows it (the lark-calendar capability writes the event). */
export interface CalendarMeeting {
  id: number;
  no: string;
  kindLabel: string;
  /** Masked (ID and phone numbers), at most 60 characters. */
  subject: string;
  caseNo: string | null;
  disputeNo: string | null;
  date: string;
  startTime: string;
  endTime: string;
  place: string;
  units: string[];
  thirdParties: string[];
  cancelled: boolean;
  sequence: number;
  /**
   * Who should have it in their own calendar: the leaders invited and the users of the units
   * invited, leaving out those (or the units) that answered 不参加. users.id, an open_id in Lark.
   */
  attendeeIds: string[];
}

/** What the shared Lark calendar reads of the meetings: every meeting from a date on, cancelled ones too. */
export class ConsultationCalendarQueries {
  private readonly store: ConsultationStore;

  constructor(db: Knex) {
    this.store = new ConsultationStore(db);
  }

  async meetings(fromDate: string, users: readonly User[]): Promise<CalendarMeeting[]> {
    const list = await this.store.list({ from: fromDate });
    const invitees = await this.store.invitees(list.map((m) => m.id));
    return list.map((m) => {
      const mine = invitees.filter((i) => i.consultationId === m.id);
      const going = mine.filter((i) => i.reply !== 'declined');
      const attendeeIds = [
        ...going.filter((i) => i.kind === 'leader').map((i) => i.invitee),
        ...going.filter((i) => i.kind === 'unit').flatMap((i) => users.filter((u) => u.role === 'unit' && u.unit === i.invitee).map((u) => u.id)),
      ];
      return {
        id: m.id, no: m.no, kindLabel: MEETING_KIND_LABELS[m.kind], subject: maskPersonalDataInText(m.subject).slice(0, 60),
        caseNo: m.caseNo, disputeNo: m.disputeNo, date: m.date, startTime: m.startTime, endTime: m.endTime, place: m.place,
        units: mine.filter((i) => i.kind === 'unit').map((i) => i.invitee), thirdParties: m.thirdParties,
        cancelled: m.status === 'cancelled', sequence: m.sequence, attendeeIds: [...new Set(attendeeIds)],
      };
    });
  }
}
