/**
 * The vocabulary of a case's legal life, shared by intake, reminders, feeds and statistics.
 * Codes are stored in the database; labels are what people read.
 */
export const CASE_STATUSES = [
  'registered', // 已登记: the bureau must 受理/不予受理/转送/交办 within 15 days (条例 art. 22)
  'not_accepted', // 不予受理 (closed, with a written notice)
  'transferred', // 已转送 to another organ (closed here)
  'assigned', // 已交办 to a unit, which must tell the petitioner within 15 days whether it accepts (art. 23)
  'handling', // 办理中: accepted; conclude within 60 days (+ one extension of ≤ 30, art. 34)
  'concluded', // 已办结/已答复: the petitioner may ask for 复查 within 30 days (art. 35)
  'review', // 复查中: decide within 30 days
  'reviewed', // 复查已答复: 复核 may be asked within 30 days (art. 36)
  'recheck', // 复核中: decide within 30 days
  'closed', // 终结: no further review; the same matter is not accepted again
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const CASE_STATUS_LABELS: Record<CaseStatus, string> = {
  registered: '已登记',
  not_accepted: '不予受理',
  transferred: '已转送',
  assigned: '已交办',
  handling: '办理中',
  concluded: '已办结',
  review: '复查中',
  reviewed: '复查已答复',
  recheck: '复核中',
  closed: '已终结',
};

/** Statuses in which the bureau or a unit still owes the petitioner something. */
export const OPEN_STATUSES: readonly CaseStatus[] = ['registered', 'assigned', 'handling', 'review', 'recheck'];

export const DEADLINE_KINDS = [
  'decision', // 15 days from registration: 受理/不予受理/转送/交办 (art. 22)
  'acceptance_notice', // 15 days from receipt by the unit: written notice of acceptance (art. 23)
  'conclusion', // 60 days from acceptance, + extension (art. 34)
  'review_request', // 30 days from the reply: the petitioner's window to ask 复查 (art. 35)
  'review_decision', // 30 days from the 复查 request
  'recheck_request', // 30 days from the 复查 answer: window to ask 复核 (art. 36)
  'recheck_decision', // 30 days from the 复核 request
] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];

export const DEADLINE_LABELS: Record<DeadlineKind, string> = {
  decision: '受理/交办期限',
  acceptance_notice: '告知受理期限',
  conclusion: '办结期限',
  review_request: '申请复查期限',
  review_decision: '复查答复期限',
  recheck_request: '申请复核期限',
  recheck_decision: '复核答复期限',
};

/** Deadlines that someone in the government must meet (reminders go out for these only). */
export const DUTY_DEADLINES: readonly DeadlineKind[] = ['decision', 'acceptance_notice', 'conclusion', 'review_decision', 'recheck_decision'];

export const CHANNELS = ['来信', '来访', '网上信访', '电话', '领导接访'] as const;
export type PetitionChannel = (typeof CHANNELS)[number];
