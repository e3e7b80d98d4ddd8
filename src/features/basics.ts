import type { FeatureFactory } from '../feature';
import { registerBasics } from '../bot/commands/basics';

export const createBasicsFeature: FeatureFactory = () => ({
  name: 'basics',
  registerBot: registerBasics,
});
