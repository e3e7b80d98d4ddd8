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

/** What a review's record, report or closing changes. */
export interface ReviewPatch {
  status: ReviewStatus;
  problems?: string[];
  note?: string | null;
  fixUnit?: string | null;
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
    problems: r.problems ? JSON.parse(r.problems) : [], note: r.note ?? null, fixUnit: r.fix_unit ?? null,
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

  /** Opens a review under the next number of the year; the case's open_case_id refuses a second open one. */
  async insertReview(trx: Db, r: NewReview, now: Date): Promise<ReviewRow> {
    const year = Number(r.drawnDate.slice(0, 4));
    const reviewNo = formatReviewNo(year, await nextCounterValue(trx, `review:${year}`));
    const t = toDbTime(now);
    const [id] = await trx('reviews').insert({
      review_no: reviewNo, sample_id: r.sampleId, case_id: r.caseId, open_case_id: r.caseId, case_no: r.caseNo,
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

  /** Of these cases, the ones that have been drawn into a review already (open or closed). */
  async reviewedCaseIds(caseIds: number[], db: Db = this.db): Promise<Set<number>> {
    const out = new Set<number>();
    for (let i = 0; i < caseIds.length; i += 500) {
      const rows = await db('reviews').whereIn('case_id', caseIds.slice(i, i + 500)).distinct('case_id');
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
        ...(p.problems !== undefined ? { problems: JSON.stringify(p.problems) } : {}),
        ...(p.note !== undefined ? { note: p.note } : {}),
        ...(p.fixUnit !== undefined ? { fix_unit: p.fixUnit } : {}),
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

  /** The reviews drawn or recorded in a period (all of them without one), by number. */
  async list(period: { from: IsoDate; to: IsoDate } | null, db: Db = this.db): Promise<ReviewRow[]> {
    const q = db('reviews').orderBy('review_no');
    if (period) {
      q.where((w) => w.whereBetween('drawn_date', [period.from, period.to]).orWhereBetween('reviewed_date', [period.from, period.to]));
    }
    return (await q).map(toRow);
  }

  /** The reviews recorded in a period: what the figures count. */
  async recordedBetween(from: IsoDate, to: IsoDate, db: Db = this.db): Promise<Array<{ status: ReviewStatus; problems: string[] }>> {
    const rows = await db('reviews').whereBetween('reviewed_date', [from, to]).select('status', 'problems');
    return rows.map((r: any) => ({ status: r.status, problems: r.problems ? JSON.parse(r.problems) : [] }));
  }
}
