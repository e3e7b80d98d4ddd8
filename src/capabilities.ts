import type { CliRegistrar, FeatureFactory } from './platform/core/feature';
import { createHelpFeature } from './help';
import { createLarkFeature } from './platform/lark/lark-feature';
import { registerOutboxCli } from './platform/cli/outbox-cli';
import { registerInboundCli } from './platform/cli/inbound-cli';
import { createIntakeFeature, registerIntakeCli } from './intake';
import { createCasesFeature, registerCasesCli } from './cases';
import { createRosterFeature, registerRosterCli } from './roster';
import { createRemindersFeature, registerRemindersCli } from './reminders';
import { createLettersFeature, registerLettersCli } from './letters';
import { createFeedsFeature, registerFeedsCli } from './feeds';
import { createLarkCalendarFeature } from './lark-calendar';
import { createStatsFeature, registerStatsCli } from './stats';
import { registerDemoCli } from './demo';
import { createReviewsFeature, registerReviewsCli } from './reviews';
import { createDisputesFeature, registerDisputesCli } from './disputes';
import { createConsultationsFeature, registerConsultationsCli } from './consultations';

/** Every capability of the bot, in the order their commands are registered. */
export const featureFactories: FeatureFactory[] = [
  createHelpFeature,
  createLarkFeature,
  createIntakeFeature,
  createCasesFeature,
  createRosterFeature,
  createRemindersFeature,
  createLettersFeature,
  createFeedsFeature,
  createLarkCalendarFeature,
  createStatsFeature,
  createReviewsFeature,
  createDisputesFeature,
  createConsultationsFeature,
];

export const cliRegistrars: CliRegistrar[] = [
  registerOutboxCli,
  registerInboundCli,
  registerIntakeCli,
  registerCasesCli,
  registerRosterCli,
  registerRemindersCli,
  registerFeedsCli,
  registerStatsCli,
  registerDemoCli,
  registerReviewsCli,
  registerDisputesCli,
  registerLettersCli,
  registerConsultationsCli,
];
