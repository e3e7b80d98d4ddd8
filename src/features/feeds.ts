import type { CliRegistrar, FeatureFactory } from '../feature';

// Placeholder: the feeds capability wires itself in here (bot commands, HTTP routes, jobs, CLI).
export const createFeedsFeature: FeatureFactory = () => ({ name: 'feeds' });

export const registerFeedsCli: CliRegistrar = () => {};
