import type { CliRegistrar, FeatureFactory } from '../feature';
import { createBasicsFeature } from './basics';
import { createLarkFeature, registerLarkCli } from './lark';
import { createIntakeFeature, registerIntakeCli } from './intake';
import { createRosterFeature, registerRosterCli } from './roster';
import { createRemindersFeature, registerRemindersCli } from './reminders';
import { createFeedsFeature, registerFeedsCli } from './feeds';

/** Every capability of the bot, in the order their commands are registered. */
export const featureFactories: FeatureFactory[] = [
  createBasicsFeature,
  createLarkFeature,
  createIntakeFeature,
  createRosterFeature,
  createRemindersFeature,
  createFeedsFeature,
];

export const cliRegistrars: CliRegistrar[] = [
  registerLarkCli,
  registerIntakeCli,
  registerRosterCli,
  registerRemindersCli,
  registerFeedsCli,
];
