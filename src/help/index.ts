import type { FeatureFactory } from '../platform/feature';
import { registerBasics } from './help-commands';

export const createBasicsFeature: FeatureFactory = () => ({
  name: 'basics',
  registerBot: registerBasics,
});
