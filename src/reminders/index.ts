import type { FeatureFactory } from '../platform/core/feature';
import { reminderJobs } from './reminder-jobs';
import { followDeadlineMoves } from './reminder-follow';
import { diagnoseReminders } from './reminder-diagnosis';
import { followDisputeSteps, withDisputeSteps } from './dispute-reminder-follow';
import { diagnoseDisputeReminders, withDisputeFindings } from './dispute-reminder-diagnosis';

/** The deadline reminders and the daily digest: their jobs, and `xinfang reminders list` (reminders-cli.ts). */
export const createRemindersFeature: FeatureFactory = (core) => {
  const jobs = reminderJobs(core);
  return {
    name: 'reminders',
    label: '期限提醒',
    jobs: () => jobs,
    // A holiday import moved deadlines: what was already said of them follows the new dates.
    onCalendarChange: async (change, trx) => withDisputeSteps(await followDeadlineMoves(core, change, trx), await followDisputeSteps(core, change, trx)),
    diagnose: async (now) => withDisputeFindings(await diagnoseReminders(core), await diagnoseDisputeReminders(core, now)),
  };
};

export { registerRemindersCli } from './reminders-cli';

// The public face other capabilities use.
export { timeLeft, workingOffset } from './domain/reminder-steps';
