import type { Knex } from 'knex';
import type { IsoDate } from '../platform/calendar/domain/dates';
import { computeReviewFigures, ReviewFigures } from './domain/review-rules';
import { ReviewStore } from './review-store';

/**
 * 评查 figures of a period (for the statistics and the annual report): reviews recorded in it,
 * those with problems, the problems found, and those of them whose 整改 was accepted. Null: all time.
 */
export async function reviewFigures(source: ReviewStore | { db: Knex }, period: { from: IsoDate; to: IsoDate } | null): Promise<ReviewFigures> {
  const store = source instanceof ReviewStore ? source : new ReviewStore(source.db);
  const p = period ?? { from: '0000-01-01', to: '9999-12-31' };
  return computeReviewFigures(await store.recordedBetween(p.from, p.to));
}
