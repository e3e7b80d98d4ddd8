import type { Knex } from 'knex';
import type { IsoDate } from '../platform/calendar/domain/dates';
import { ReviewStore } from './review-store';

/** A review waiting for its 整改, as the reminder scan sees it (no petitioner data). */
export interface DueRectification {
  id: number;
  reviewNo: string;
  caseNo: string;
  caseUnit: string;
  problems: string[];
  fixUnit: string;
  fixDueDate: IsoDate;
  reviewerId: string | null;
}

/** What other capabilities read of the reviews (src/reminders: the 整改 due dates). */
export class ReviewQueries {
  private readonly store: ReviewStore;

  constructor(db: Knex) {
    this.store = new ReviewStore(db);
  }

  /** Reviews waiting for the unit's 整改 (not yet reported) whose due date is on or before `horizon`. */
  async dueRectifications(horizon: IsoDate, db?: Knex | Knex.Transaction): Promise<DueRectification[]> {
    const rows = await this.store.dueRectifications(horizon, db);
    return rows.filter((r) => r.fixUnit && r.fixDueDate).map((r) => ({
      id: r.id, reviewNo: r.reviewNo, caseNo: r.caseNo, caseUnit: r.caseUnit, problems: r.problems, fixUnit: r.fixUnit!, fixDueDate: r.fixDueDate!, reviewerId: r.reviewerId,
    }));
  }
}
