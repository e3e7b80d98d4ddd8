import type { CliRegistrar, FeatureFactory } from '../feature';

// Placeholder: the reminders capability wires itself in here (bot commands, HTTP routes, jobs, CLI).
export const createRemindersFeature: FeatureFactory = () => ({ name: 'reminders' });

export const registerRemindersCli: CliRegistrar = () => {};
