import type { CliRegistrar, FeatureFactory } from '../feature';
import { registerIntake } from '../bot/commands/intake';
import { FormRunner } from '../bot/forms/form-runner';
import { petitionForm, PETITION_START_WORDS } from '../bot/forms/petition-form';
import { DraftStore } from '../store/draft-store';

/** 信访登记: the forms engine with its drafts, the petition form, 登记 and the control words. */
export const createIntakeFeature: FeatureFactory = (core) => {
  const runner = new FormRunner(core, new DraftStore(core.db)).register(petitionForm(core), PETITION_START_WORDS);
  return {
    name: 'intake',
    registerBot: (router) => registerIntake(router, runner),
  };
};

export const registerIntakeCli: CliRegistrar = () => {};
