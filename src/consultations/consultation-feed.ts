import type { Knex } from 'knex';
import { fromDbTime } from '../platform/database/time';
import { maskPersonalDataInText } from '../platform/personal-data/masking';
import { MEETING_KIND_LABELS, REPLY_LABELS, type InviteeKind } from './domain/consultation-labels';
import { ConsultationStore, type InviteeRow, type MeetingRow } from './consultation-store';

/** A meeting as a leader's calendar feed shows it (the feeds capability writes the VEVENT). */
export interface FeedMeeting {
  /** Stable per meeting: consultation-<no>@xinfang. */
  uid: string;
  sequence: number;
  date: string;
  startTime: string;
  endTime: string;
  summary: string;
  description: string;
  place: string;
  cancelled: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/** What the leader feeds (and a unit's feed) read of the meetings a leader (or the unit) is invited to. */
export class ConsultationFeedQueries {
  private readonly store: ConsultationStore;

  constructor(db: Knex) {
    this.store = new ConsultationStore(db);
  }

  /** Changes whenever one of the leader's meetings from `fromDate` on changes: part of the feed's ETag. */
  version(leaderId: string, fromDate: string): Promise<string> {
    return this.store.inviteeVersion('leader', leaderId, fromDate);
  }

  async meetings(leaderId: string, fromDate: string): Promise<FeedMeeting[]> {
    return this.feedMeetings(await this.store.list({ leaderId, from: fromDate }), 'leader', leaderId);
  }

  /** The same for a unit's feed: the meetings the unit is invited to. */
  unitVersion(unit: string, fromDate: string): Promise<string> {
    return this.store.inviteeVersion('unit', unit, fromDate);
  }

  async unitMeetings(unit: string, fromDate: string): Promise<FeedMeeting[]> {
    return this.feedMeetings(await this.store.list({ unit, from: fromDate }), 'unit', unit);
  }

  private async feedMeetings(list: MeetingRow[], kind: InviteeKind, who: string): Promise<FeedMeeting[]> {
    const invitees = await this.store.invitees(list.map((m) => m.id));
    return list.map((m) => feedMeeting(m, invitees.filter((i) => i.consultationId === m.id), kind, who));
  }
}

function feedMeeting(m: MeetingRow, invitees: InviteeRow[], kind: InviteeKind, who: string): FeedMeeting {
  const label = MEETING_KIND_LABELS[m.kind];
  const mine = invitees.find((i) => i.kind === kind && i.invitee === who);
  const units = invitees.filter((i) => i.kind === 'unit').map((i) => i.invitee);
  const lines = [
    `类型：${label}（${m.no}）`,
    `事项：${maskPersonalDataInText(m.subject)}`,
    m.caseNo ? `关联案件：${m.caseNo}` : null,
    units.length ? `参会单位：${units.join('、')}` : null,
    m.thirdParties.length ? `第三方力量：${m.thirdParties.join('、')}` : null,
    mine ? `${kind === 'unit' ? '本单位' : '我'}的回复：${REPLY_LABELS[mine.reply]}` : null,
    `详情：在飞书向信访助手发送“会商详情 ${m.no}”`,
  ];
  return {
    uid: `consultation-${m.no}@xinfang`,
    sequence: m.sequence,
    date: m.date,
    startTime: m.startTime,
    endTime: m.endTime,
    summary: `${m.status === 'cancelled' ? '【已取消】' : ''}${label}：${maskPersonalDataInText(m.subject).slice(0, 40)}`,
    description: lines.filter((l): l is string => Boolean(l)).join('\n'),
    place: m.place,
    cancelled: m.status === 'cancelled',
    createdAt: fromDbTime(m.createdAt)!,
    updatedAt: fromDbTime(m.updatedAt)!,
  };
}
