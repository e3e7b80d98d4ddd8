import type { FeatureFactory } from '../platform/core/feature';
import { reminderJobs } from './reminder-jobs';

/** The deadline reminders and the daily digest: their jobs, and `xinfang reminders list` (reminders-cli.ts). */
export const createRemindersFeature: FeatureFactory = (core) => {
  const jobs = reminderJobs(core);
  return {
    name: 'reminders',
    jobs: () => jobs,
  };
};

export { registerRemindersCli } from './reminders-cli';

// The public face other capabilities use.
export { timeLeft, workingOffset } from './domain/reminder-steps';
