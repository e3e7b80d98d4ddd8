import type { CliRegistrar, FeatureFactory } from '../feature';

// Placeholder: the lark capability wires itself in here (bot commands, HTTP routes, jobs, CLI).
export const createLarkFeature: FeatureFactory = () => ({ name: 'lark' });

export const registerLarkCli: CliRegistrar = () => {};
