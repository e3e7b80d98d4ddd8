import type { CliRegistrar, FeatureFactory } from '../platform/core/feature';
import { registerIntake } from './intake-commands';
import { FormRunner } from '../platform/forms/form-runner';
import { petitionForm, PETITION_START_WORDS } from './petition-form';
import { CaseService } from '../cases';
import { DraftStore } from '../platform/forms/draft-store';

/** 信访登记: the forms engine with its drafts, the petition form, 登记 and the control words. */
export const createIntakeFeature: FeatureFactory = (core) => {
  const drafts = new DraftStore(core.db);
  const cases = new CaseService(core);
  const runner = new FormRunner(core, drafts).register(petitionForm(core, cases), PETITION_START_WORDS);
  return {
    name: 'intake',
    registerBot: (router) => registerIntake(router, runner, cases),
    jobs: () => [
      {
        name: 'drafts-purge',
        cron: '30 3 * * *',
        description: '每天 3:30 删除已过期的登记草稿（草稿含个人信息，不留存）',
        // Expired drafts hold ID numbers and phones: they are deleted, not kept until the user returns.
        run: async (now) => `删除过期草稿 ${await drafts.purgeExpired(now)} 份`,
      },
    ],
  };
};

export const registerIntakeCli: CliRegistrar = () => {};
