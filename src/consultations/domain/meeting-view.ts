/** A meeting as the cards show it: every name looked up, every date written out, nothing personal. */
export interface MeetingView {
  no: string;
  kindLabel: string;
  /** 会商事项, with ID and phone numbers masked. */
  subject: string;
  /** 案件 2026-000123（王**，自然资源）: case number, masked name, category only. */
  caseLine: string | null;
  disputeNo: string | null;
  /** 2026年12月8日（周二）下午 14:30—17:00 */
  when: string;
  date: string;
  place: string;
  thirdParties: string[];
  statusLabel: string;
  organiser: string;
  invitees: InviteeView[];
  minutes: string | null;
  tasks: TaskView[];
}

export interface InviteeView {
  kind: 'leader' | 'unit';
  /** 李国强（县委副书记）, or the unit's name. */
  label: string;
  replyLabel: string;
  reason: string | null;
}

export interface TaskView {
  id: number;
  ownerLabel: string;
  content: string;
  dueText: string;
  dueDate: string;
  statusLabel: string;
  done: boolean;
}

/** What a leader has that half-day: a reception session, a leave, another meeting. */
export interface Conflict {
  leader: string;
  /** 12月8日（周二）下午 14:30—17:00 在县群众来访接待中心接访 */
  what: string;
}
