import type { CliRegistrar, FeatureFactory } from '../feature';
import { createBasicsFeature } from './basics';
import { createLarkFeature, registerLarkCli } from './lark';
import { createIntakeFeature, registerIntakeCli } from './intake';
import { createCasesFeature, registerCasesCli } from './cases';
import { createRosterFeature, registerRosterCli } from './roster';
import { createRemindersFeature, registerRemindersCli } from './reminders';
import { createFeedsFeature, registerFeedsCli } from './feeds';
import { createStatsFeature, registerStatsCli } from './stats';

/** Every capability of the bot, in the order their commands are registered. */
export const featureFactories: FeatureFactory[] = [
  createBasicsFeature,
  createLarkFeature,
  createIntakeFeature,
  createCasesFeature,
  createRosterFeature,
  createRemindersFeature,
  createFeedsFeature,
  createStatsFeature,
];

export const cliRegistrars: CliRegistrar[] = [
  registerLarkCli,
  registerIntakeCli,
  registerCasesCli,
  registerRosterCli,
  registerRemindersCli,
  registerFeedsCli,
  registerStatsCli,
];
