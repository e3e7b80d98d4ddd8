import type { CliRegistrar, FeatureFactory } from '../feature';

// Placeholder: the roster capability wires itself in here (bot commands, HTTP routes, jobs, CLI).
export const createRosterFeature: FeatureFactory = () => ({ name: 'roster' });

export const registerRosterCli: CliRegistrar = () => {};
