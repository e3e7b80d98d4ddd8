import type { CliRegistrar, FeatureFactory } from './platform/feature';
import { createBasicsFeature } from './help/index';
import { createLarkFeature, registerLarkCli } from './platform/lark/lark-feature';
import { createIntakeFeature, registerIntakeCli } from './intake/index';
import { createCasesFeature, registerCasesCli } from './cases/index';
import { createRosterFeature, registerRosterCli } from './roster/index';
import { createRemindersFeature, registerRemindersCli } from './reminders/index';
import { createFeedsFeature, registerFeedsCli } from './feeds/index';
import { createStatsFeature, registerStatsCli } from './stats/index';

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
