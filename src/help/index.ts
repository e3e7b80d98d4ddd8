import type { FeatureFactory } from '../platform/core/feature';
import { registerBasics } from './help-commands';

export const createHelpFeature: FeatureFactory = () => ({
  name: 'basics',
  registerBot: registerBasics,
});
