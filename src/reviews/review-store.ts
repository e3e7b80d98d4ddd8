import type { Knex } from 'knex';
import type { IsoDate } from '../platform/calendar/domain/dates';
import { toDbTime } from '../platform/database/time';
import { nextCounterValue } from '../platform/database/counter-store';
import { formatReviewNo, OPEN_REVIEW_STATUSES, ReviewStatus } from './domain/review-rules';

type Db = Knex | Knex.Transaction;

export interface ReviewRow {
  id: number;
  reviewNo: string;
  sampleId: number | null;
  caseId: number;
  caseNo: string;
  caseUnit: string;
  concludedDate: IsoDate | null;
  status: ReviewStatus;
  problems: string[];
  note: string | null;
  fixUnit: string | null;
  /** The date by which fixUnit must fix the problems (null: 规范, or recorded before it was asked). */
  fixDueDate: IsoDate | null;
  reviewerId: string | null;
  reviewedDate: IsoDate | null;
  rectification: string | null;
  reportedBy: string | null;
  closedBy: string | null;
  drawnDate: IsoDate;
}

export interface NewSample {
  periodLabel: string;
  from: IsoDate;
  to: IsoDate;
  asked: string;
  seed: string;
  population: number;
  drawn: number;
  by: string;
}

export interface NewReview {
  sampleId: number | null;
  caseId: number;
  caseNo: string;
  caseUnit: string;
  concludedDate: IsoDate | null;
  drawnDate: IsoDate;
}

export interface SampleRow {
  id: number;
  periodLabel: string;
  asked: string;
  drawn: number;
  drawnBy: string;
  cancelledBy: string | null;
}

/** What a review's record, report or closing changes. */
export interface ReviewPatch {
  status: ReviewStatus;
  problems?: string[];
  note?: string | null;
  fixUnit?: string | null;
  fixDueDate?: IsoDate | null;
  reviewerId?: string;
  reviewedDate?: IsoDate;
  rectification?: string;
  reportedBy?: string;
  closedBy?: string;
}

function toRow(r: any): ReviewRow {
  return {
    id: Number(r.id), reviewNo: r.review_no, sampleId: r.sample_id === null ? null : Number(r.sample_id), caseId: Number(r.case_id),
    caseNo: r.case_no, caseUnit: r.case_unit, concludedDate: r.concluded_date ?? null, status: r.status,
    problems: r.problems ? JSON.parse(r.problems) : [], note: r.note ?? null, fixUnit: r.fix_unit ?? null, fixDueDate: r.fix_due_date ?? null,
    reviewerId: r.reviewer_id ?? null, reviewedDate: r.reviewed_date ?? null, rectification: r.rectification ?? null,
    reportedBy: r.reported_by ?? null, closedBy: r.closed_by ?? null, drawnDate: r.drawn_date,
  };
}

const isOpen = (s: ReviewStatus) => OPEN_REVIEW_STATUSES.includes(s);

/** The only SQL of review_samples, reviews and review_events. */
export class ReviewStore {
  constructor(private readonly db: Knex) {}

  async insertSample(trx: Db, s: NewSample, now: Date): Promise<number> {
    const [id] = await trx('review_samples').insert({
      period_label: s.periodLabel, period_from: s.from, period_to: s.to, asked: s.asked, seed: s.seed,
      population: s.population, drawn: s.drawn, drawn_by: s.by, created_at: toDbTime(now),
    });
    return Number(id);
  }

  /**
   * Opens a review under the next number of the year; the case's open_case_id refuses a second open
   * one, its live_case_id a second review of any kind but cancelled (the insert fails).
   */
  async insertReview(trx: Db, r: NewReview, now: Date): Promise<ReviewRow> {
    const year = Number(r.drawnDate.slice(0, 4));
    const reviewNo = formatReviewNo(year, await nextCounterValue(trx, `review:${year}`));
    const t = toDbTime(now);
    const [id] = await trx('reviews').insert({
      review_no: reviewNo, sample_id: r.sampleId, case_id: r.caseId, open_case_id: r.caseId, live_case_id: r.caseId, case_no: r.caseNo,
      case_unit: r.caseUnit, concluded_date: r.concludedDate, status: 'pending', drawn_date: r.drawnDate, created_at: t, updated_at: t,
    });
    return (await this.byId(Number(id), trx))!;
  }

  async byId(id: number, db: Db = this.db): Promise<ReviewRow | null> {
    const r = await db('reviews').where({ id }).first();
    return r ? toRow(r) : null;
  }

  async byNo(reviewNo: string, db: Db = this.db): Promise<ReviewRow | null> {
    const r = await db('reviews').where({ review_no: reviewNo }).first();
    return r ? toRow(r) : null;
  }

  async openForCase(caseId: number, db: Db = this.db): Promise<ReviewRow | null> {
    const r = await db('reviews').where({ open_case_id: caseId }).first();
    return r ? toRow(r) : null;
  }

  /** The case's review that is not cancelled (open or closed): a case is reviewed once. */
  async liveForCase(caseId: number, db: Db = this.db): Promise<ReviewRow | null> {
    const r = await db('reviews').where({ case_id: caseId }).whereNot('status', 'cancelled').orderBy('id').first();
    return r ? toRow(r) : null;
  }

  /** Of these cases, the ones that have been drawn into a review already (open or closed; a cancelled sample's do not count). */
  async reviewedCaseIds(caseIds: number[], db: Db = this.db): Promise<Set<number>> {
    const out = new Set<number>();
    for (let i = 0; i < caseIds.length; i += 500) {
      const rows = await db('reviews').whereIn('case_id', caseIds.slice(i, i + 500)).whereNot('status', 'cancelled').distinct('case_id');
      rows.forEach((r: any) => out.add(Number(r.case_id)));
    }
    return out;
  }

  /** Applies a change under the status it was read in (a compare-and-set): false when someone else changed it first. */
  async update(trx: Db, id: number, from: ReviewStatus, p: ReviewPatch, now: Date): Promise<boolean> {
    const t = toDbTime(now);
    const n = await trx('reviews')
      .where({ id, status: from })
      .update({
        status: p.status,
        open_case_id: isOpen(p.status) ? trx.ref('case_id') : null,
        ...(p.status === 'cancelled' ? { live_case_id: null } : {}),
        ...(p.problems !== undefined ? { problems: JSON.stringify(p.problems) } : {}),
        ...(p.note !== undefined ? { note: p.note } : {}),
        ...(p.fixUnit !== undefined ? { fix_unit: p.fixUnit } : {}),
        ...(p.fixDueDate !== undefined ? { fix_due_date: p.fixDueDate } : {}),
        ...(p.reviewerId ? { reviewer_id: p.reviewerId, reviewed_at: t, reviewed_date: p.reviewedDate } : {}),
        ...(p.rectification !== undefined ? { rectification: p.rectification, reported_by: p.reportedBy, reported_at: t } : {}),
        ...(p.closedBy ? { closed_by: p.closedBy, closed_at: t } : {}),
        updated_at: t,
      });
    return n === 1;
  }

  async logEvent(trx: Db, reviewId: number, action: string, actorId: string, data: Record<string, unknown>, now: Date): Promise<void> {
    await trx('review_events').insert({ review_id: reviewId, action, actor_id: actorId, data: JSON.stringify(data), at: toDbTime(now) });
  }

  async events(reviewId: number, db: Db = this.db): Promise<Array<{ action: string; actorId: string; data: Record<string, unknown>; at: string }>> {
    const rows = await db('review_events').where({ review_id: reviewId }).orderBy('id');
    return rows.map((r: any) => ({ action: r.action, actorId: r.actor_id, data: JSON.parse(r.data ?? '{}'), at: r.at }));
  }

  /**
   * The reviews of a period (all of them without one), by number; a cancelled sample's are left out.
   * A review belongs to the period its case was 办结 in: for a sampled case that is the period the
   * sample was drawn for (a sample draws the cases concluded in its period), for a case reviewed on
   * its own its 办结 date — never the day it was drawn or recorded (评查抽样 2026Q3 done in October
   * shows under 2026Q3).
   */
  async list(period: { from: IsoDate; to: IsoDate } | null, db: Db = this.db): Promise<ReviewRow[]> {
    const q = db('reviews').whereNot('status', 'cancelled').orderBy('review_no');
    if (period) q.whereBetween('concluded_date', [period.from, period.to]);
    return (await q).map(toRow);
  }

  async sampleById(id: number, db: Db = this.db): Promise<SampleRow | null> {
    const r = await db('review_samples').where({ id }).first();
    return r ? { id: Number(r.id), periodLabel: r.period_label, asked: r.asked, drawn: Number(r.drawn), drawnBy: r.drawn_by, cancelledBy: r.cancelled_by ?? null } : null;
  }

  async ofSample(sampleId: number, db: Db = this.db): Promise<ReviewRow[]> {
    return (await db('reviews').where({ sample_id: sampleId }).orderBy('review_no')).map(toRow);
  }

  /**
   * Cancels a sample whose reviews are all still pending: each becomes cancelled (the case free to
   * be drawn again), in one statement under that condition. False, and nothing changed, when one of
   * them was recorded meanwhile (the caller rolls back) or the sample was cancelled already.
   */
  async cancelSample(trx: Db, sampleId: number, by: string, now: Date): Promise<boolean> {
    const t = toDbTime(now);
    const marked = await trx('review_samples').where({ id: sampleId }).whereNull('cancelled_at').update({ cancelled_by: by, cancelled_at: t });
    if (marked !== 1) return false;
    const total = Number(((await trx('reviews').where({ sample_id: sampleId }).count({ n: '*' }).first()) as any)?.n ?? 0);
    const n = await trx('reviews').where({ sample_id: sampleId, status: 'pending' }).update({ status: 'cancelled', open_case_id: null, live_case_id: null, closed_by: by, closed_at: t, updated_at: t });
    return n === total;
  }

  /** The reviews waiting for their 整改 with a due date on or before `horizon`: what the reminder scan reads. */
  async dueRectifications(horizon: IsoDate, db: Db = this.db): Promise<ReviewRow[]> {
    return (await db('reviews').where({ status: 'rectifying' }).whereNotNull('fix_due_date').where('fix_due_date', '<=', horizon).orderBy('id')).map(toRow);
  }

  /** The reviews recorded in a period: what the figures count. */
  async recordedBetween(from: IsoDate, to: IsoDate, db: Db = this.db): Promise<Array<{ status: ReviewStatus; problems: string[] }>> {
    const rows = await db('reviews').whereBetween('reviewed_date', [from, to]).select('status', 'problems');
    return rows.map((r: any) => ({ status: r.status, problems: r.problems ? JSON.parse(r.problems) : [] }));
  }
}
