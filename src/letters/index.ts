import type { FeatureFactory } from '../platform/core/feature';
import { registerLetterCommands } from './letter-commands';
import { LetterService } from './letter-service';

/** 督办函 and 提醒函: the letters a deadline calls for, numbered per year (chat: 督办函/提醒函). */
export const createLettersFeature: FeatureFactory = (core) => {
  const letters = new LetterService(core);
  return {
    name: 'letters',
    registerBot: (router) => registerLetterCommands(router, letters),
  };
};
