import type { CliRegistrar, FeatureFactory } from '../feature';

// Placeholder: the intake capability wires itself in here (bot commands, HTTP routes, jobs, CLI).
export const createIntakeFeature: FeatureFactory = () => ({ name: 'intake' });

export const registerIntakeCli: CliRegistrar = () => {};
