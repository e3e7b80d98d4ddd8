import type { CliRegistrar, FeatureFactory } from '../feature';

// Placeholder: the cases capability wires itself in here (bot commands, HTTP routes, jobs, CLI).
export const createCasesFeature: FeatureFactory = () => ({ name: 'cases' });

export const registerCasesCli: CliRegistrar = () => {};
