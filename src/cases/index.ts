import { registerCaseCommands } from './case-commands';
import type { FeatureFactory } from '../platform/core/feature';
import { CaseService } from './case-service';
import { deadlineReport, recomputeDeadlines } from './deadline-recompute';

/**
 * The case life: chat commands and buttons, `xinfang cases` (cases-cli.ts), and the open
 * deadlines following a holiday import (deadline-recompute.ts).
 */
export const createCasesFeature: FeatureFactory = (core) => {
  const cases = new CaseService(core);
  return {
    name: 'cases',
    label: '信访件办理期限',
    registerBot: (router) => registerCaseCommands(router, cases),
    onCalendarChange: async (change, trx) => deadlineReport(await recomputeDeadlines(change, trx)),
  };
};

export { registerCasesCli } from './cases-cli';

// The public face other capabilities use.
export { CASE_STATUS_LABELS, CHANNELS, DEADLINE_LABELS, DUTY_DEADLINES, OPEN_STATUSES } from './domain/case-status';
export type { CaseStatus, DeadlineKind, PetitionChannel } from './domain/case-status';
export type { CaseCommand } from './domain/case-lifecycle';
export { CaseService } from './case-service';
export type { CaseRecord } from './case-records';
export type { NewCaseInput } from './case-registration';
export { isCaseNo } from './case-number';
export { ACTION_VALUES, VIEW_ACTION } from './case-cards';
export { CaseBriefQueries } from './queries/briefing-cases';
export type { CaseBrief } from './queries/briefing-cases';
export { LETTER_ACTION, LetterCaseQueries } from './queries/letter-cases';
export type { LetterCase, LetterDeadline } from './queries/letter-cases';
export { DueDeadlineQueries } from './queries/due-deadlines';
export type { DueDeadline } from './queries/due-deadlines';
export { FLAG_LETTER_ACTION, letterFlagKey, LetterFlagQueries } from './queries/letter-flags';
export type { LetterFlag } from './queries/letter-flags';
export { caseNumbersById } from './queries/case-numbers';
export { FeedDeadlineQueries } from './queries/feed-deadlines';
export type { FeedDeadline } from './queries/feed-deadlines';
export { StatsCaseQueries } from './queries/stats-cases';
export { recomputeDeadlines } from './deadline-recompute';
export type { DeadlineMove, DeadlineRecomputeResult } from './deadline-recompute';
export type { StatsCaseRow, StatsDayRow, StatsDueGroup, StatsDueKind, StatsNameCount, StatsRegistrations, StatsSupervisedRow } from './queries/stats-cases';
export { ReviewCaseQueries, type ReviewCase } from './queries/review-cases';
export { ANONYMOUS_CHANNELS, ANONYMOUS_NAME, anonymousKind, anonymousRefusal, isAnonymousName, isAnonymousPetition, petitionerReachable } from './domain/anonymous-petition';
export { RepeatCaseQueries } from './queries/repeat-candidates';
export type { RepeatProbe, RepeatReason } from './queries/repeat-candidates';
