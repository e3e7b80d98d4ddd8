import type { Core, FeatureFactory } from '../platform/core/feature';
import type { IsoDate } from '../platform/calendar/domain/dates';
import { registerReviewCommands } from './review-commands';
import { ReviewSampler } from './review-sampler';
import { ReviewService } from './review-service';
import { reviewFigures as figuresOf } from './review-figures';
import type { ReviewFigures } from './domain/review-rules';

/** 信访事项评查: 评查抽样, 评查, 评查台账, 整改 (chat), `xinfang reviews` (reviews-cli.ts). */
export const createReviewsFeature: FeatureFactory = (core) => ({
  name: 'reviews',
  label: '信访事项评查',
  registerBot: (router) => registerReviewCommands(router, new ReviewService(core), new ReviewSampler(core)),
});

export { registerReviewsCli } from './reviews-cli';

/** 评查 figures of a period (reviews recorded in it): reviewed, withProblems, problems, fixed. */
export function reviewFigures(core: Pick<Core, 'db'>, period: { from: IsoDate; to: IsoDate }): Promise<ReviewFigures> {
  return figuresOf({ db: core.db }, period);
}

export type { ReviewFigures };
export { parseReviewPeriod } from './domain/review-period';
export type { ReviewPeriod } from './domain/review-period';

// What the reminders capability reads: the reviews waiting for their 整改, and the reminder card.
export { ReviewQueries } from './review-queries';
export type { DueRectification } from './review-queries';
export { rectifyReminderCard } from './review-cards';
export type { RectifyReminderView } from './review-cards';
