/**
 * A 会商 or 联席会议 as an event of the shared Lark calendar: pure, no I/O. The event says what
 * kind of meeting, its number, the subject as the consultations capability masked it, when,
 * where and which units come; the case by its number only.
 */
import { EVENT_TIMEZONE, isOpenId, shanghaiTimestamp, type DesiredEvent, type EventBody } from './session-event';

/** What the mapping needs of a meeting (the consultations capability's CalendarMeeting). */
export interface MeetingForEvent {
  no: string;
  kindLabel: string;
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
  attendeeIds: string[];
}

/** The title: “会商 HS2026-001：七拱镇自然资源问题（案件 2026-000001）”. */
export function meetingSummary(m: MeetingForEvent): string {
  return `${m.kindLabel} ${m.no}：${m.subject}`;
}

export function meetingDescription(m: MeetingForEvent): string {
  const lines = [`${m.kindLabel}事项：${m.subject}`];
  if (m.caseNo) lines.push(`关联案件：${m.caseNo}`);
  if (m.disputeNo) lines.push(`关联纠纷：${m.disputeNo}`);
  lines.push(`参会单位：${m.units.length ? m.units.join('、') : '无'}`);
  if (m.thirdParties.length) lines.push(`第三方力量：${m.thirdParties.join('、')}`);
  lines.push(`参会回复和会商意见：在飞书向信访助手发送“会商详情 ${m.no}”`);
  lines.push('由信访助手根据会商安排自动同步，请勿在此修改。');
  return lines.join('\n');
}

/** What Lark should hold for the meeting: nothing once it is cancelled. */
export function desiredMeetingEvent(m: MeetingForEvent): DesiredEvent {
  if (m.cancelled) return { body: null, attendees: [], key: 'cancelled' };
  const body: EventBody = {
    summary: meetingSummary(m),
    description: meetingDescription(m),
    location: { name: m.place },
    start_time: { timestamp: shanghaiTimestamp(m.date, m.startTime), timezone: EVENT_TIMEZONE },
    end_time: { timestamp: shanghaiTimestamp(m.date, m.endTime), timezone: EVENT_TIMEZONE },
    attendee_ability: 'can_see_others',
    visibility: 'default',
    free_busy_status: 'busy',
  };
  const attendees = [...new Set(m.attendeeIds.filter(isOpenId))].sort();
  return { body, attendees, key: JSON.stringify([body, attendees]) };
}
