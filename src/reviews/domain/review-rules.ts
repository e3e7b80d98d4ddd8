import { formatChineseDate, type IsoDate } from '../../platform/calendar/domain/dates';

/**
 * A review's life: drawn (pending) → recorded 规范 (ok, closed) or with problems (rectifying) →
 * the unit reports its 整改 (reported) → the reviewer accepts it (fixed, closed) or sends it back
 * (rectifying again). A review of a sample cancelled before anything in it was recorded is
 * cancelled (kept for the audit, out of the ledger and the figures). Closed on the reviewer's acceptance, not on the unit's report: a
 * report is the unit's word, the review counts a problem as 整改 only once the bureau agrees.
 */
export const REVIEW_STATUSES = ['pending', 'ok', 'rectifying', 'reported', 'fixed', 'cancelled'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

export const REVIEW_STATUS_LABELS: Record<ReviewStatus, string> = {
  pending: '待评查',
  ok: '规范',
  rectifying: '待整改',
  reported: '整改待确认',
  fixed: '已整改',
  cancelled: '已撤销',
};

/** Still open: the case may not be drawn into another review. */
export const OPEN_REVIEW_STATUSES: readonly ReviewStatus[] = ['pending', 'rectifying', 'reported'];

/** The list the bureau uses when config/reference.json has no reviewProblems. */
export const DEFAULT_REVIEW_PROBLEMS = ['超期受理', '答复不规范', '未告知复查权利', '超期办结', '材料不全', '未按规定回访'];

/** A review's number: PC2026-0001 (评查, the year it was drawn, a sequence per year). */
export function formatReviewNo(year: number, seq: number): string {
  return `PC${year}-${String(seq).padStart(4, '0')}`;
}

/** Reads a review number as typed (pc2026-1, PC2026-0001); null when it is not one. */
export function parseReviewNo(input: string): string | null {
  const m = /^PC(\d{4})-(\d{1,6})$/i.exec(input.trim());
  return m ? formatReviewNo(Number(m[1]), Number(m[2])) : null;
}

/**
 * Reads the problems found, separated by 、，, or spaces, against the configured list; the
 * unknown ones are named so the reviewer can correct them.
 */
export function parseProblems(input: string, allowed: readonly string[]): { problems: string[]; unknown: string[] } {
  const words = input.split(/[、,，;；\s]+/).map((w) => w.trim()).filter(Boolean);
  const problems: string[] = [];
  const unknown: string[] = [];
  for (const w of words) {
    if (allowed.includes(w)) {
      if (!problems.includes(w)) problems.push(w);
    } else unknown.push(w);
  }
  return { problems, unknown };
}

export interface ReviewFigures {
  /** Reviews recorded (规范 or not) in the period. */
  reviewed: number;
  /** Of those, the ones where problems were found. */
  withProblems: number;
  /** Problems found in them (one review may find several). */
  problems: number;
  /** Problems of those reviews whose 整改 the bureau has accepted. */
  fixed: number;
}

export function computeReviewFigures(rows: Array<{ status: ReviewStatus; problems: string[] }>): ReviewFigures {
  const recorded = rows.filter((r) => r.status !== 'pending' && r.status !== 'cancelled');
  const withProblems = recorded.filter((r) => r.problems.length > 0);
  return {
    reviewed: recorded.length,
    withProblems: withProblems.length,
    problems: withProblems.reduce((s, r) => s + r.problems.length, 0),
    fixed: withProblems.filter((r) => r.status === 'fixed').reduce((s, r) => s + r.problems.length, 0),
  };
}

/** The 整改 date when the reviewer names none: this many working days after the review. */
export const DEFAULT_FIX_WORKING_DAYS = 15;

/** A 整改 date must not lie in the past; null when it is fine, otherwise why not (in Chinese). */
export function fixDueDateError(due: IsoDate, today: IsoDate): string | null {
  if (due < today) return `整改期限 ${formatChineseDate(due)} 已经过去，不能早于今天（${formatChineseDate(today)}）`;
  return null;
}

/**
 * Whether a sample may be cancelled: only while none of its reviews was recorded (a recorded one
 * has told a unit, or closed as 规范). Null when it may; otherwise why not, naming those reviews.
 */
export function sampleCancelRefusal(sample: { id: number; cancelled: boolean }, reviews: Array<{ reviewNo: string; status: ReviewStatus }>): string | null {
  if (sample.cancelled) return `抽样 ${sample.id} 已经撤销过了。`;
  const recorded = reviews.filter((r) => r.status !== 'pending' && r.status !== 'cancelled');
  if (!recorded.length) return null;
  const shown = recorded.slice(0, 5).map((r) => `${r.reviewNo}（${REVIEW_STATUS_LABELS[r.status]}）`).join('、');
  return `抽样 ${sample.id} 中已有 ${recorded.length} 件记录了评查结论：${shown}${recorded.length > 5 ? ' 等' : ''}。已记录的评查已通知整改单位或已结束，不能撤销整个抽样。`;
}

/** Reads a sample number as typed: 3, #3, 第3次, 抽样3; null when it is not one. */
export function parseSampleNo(input: string): number | null {
  const m = /^(?:#|第|抽样|编号)?\s*(\d{1,9})\s*(?:次|号)?$/.exec(input.trim());
  return m && Number(m[1]) > 0 ? Number(m[1]) : null;
}
