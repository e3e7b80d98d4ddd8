/** The two kinds of meeting: 疑难复杂问题会商 and 联席会议. */
export const MEETING_KINDS = ['consultation', 'joint'] as const;
export type MeetingKind = (typeof MEETING_KINDS)[number];
export const MEETING_KIND_LABELS: Record<MeetingKind, string> = { consultation: '会商', joint: '联席会议' };

export const MEETING_STATUSES = ['scheduled', 'held', 'cancelled'] as const;
export type MeetingStatus = (typeof MEETING_STATUSES)[number];
export const MEETING_STATUS_LABELS: Record<MeetingStatus, string> = { scheduled: '待召开', held: '已召开', cancelled: '已取消' };

export type InviteeKind = 'leader' | 'unit';
export type Reply = 'pending' | 'accepted' | 'declined';
export const REPLY_LABELS: Record<Reply, string> = { pending: '未回复', accepted: '参加', declined: '不参加' };

export type TaskStatus = 'open' | 'done';
export const TASK_STATUS_LABELS: Record<TaskStatus, string> = { open: '未完成', done: '已完成' };

/** consultation_events.action, and how the trail reads. */
export const EVENT_LABELS: Record<string, string> = {
  schedule: '安排会商',
  reply: '回复参会',
  minutes: '记录会商意见',
  task_done: '任务完成',
  move: '调整时间',
  cancel: '取消',
};

/** The meeting's number: HS, the year, a three-digit sequence (HS2026-001). */
export function formatMeetingNo(year: number, seq: number): string {
  return `HS${year}-${String(seq).padStart(3, '0')}`;
}

const MEETING_NO = /^HS(\d{4})-(\d{3,})$/i;

/** The number as typed (hs2026-1 too), normalised; null when it is not one. */
export function parseMeetingNo(input: string): string | null {
  const m = MEETING_NO.exec(input.trim()) ?? /^HS(\d{4})-(\d{1,2})$/i.exec(input.trim());
  return m ? formatMeetingNo(Number(m[1]), Number(m[2])) : null;
}
