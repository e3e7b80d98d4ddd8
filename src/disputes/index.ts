import type { FeatureFactory } from '../platform/core/feature';
import { FormRunner } from '../platform/forms/form-runner';
import { registerDisputeCommands } from './dispute-commands';
import { DisputeDraftStore, disputeForm } from './dispute-form';
import { DisputeService } from './dispute-service';
import { DISPUTE_START_WORDS } from './domain/dispute-block';

/**
 * 矛盾纠纷排查化解台账: 排查登记 (form and pasted block), 排查台账, 销号 and the dispute card's
 * buttons; `xinfang disputes` (disputes-cli.ts). Reminders of the target dates are the reminders
 * capability's (it reads DisputeQueries).
 */
export const createDisputesFeature: FeatureFactory = (core) => {
  const service = new DisputeService(core);
  const runner = new FormRunner(core, new DisputeDraftStore(core.db)).register(disputeForm(core, service), DISPUTE_START_WORDS);
  return {
    name: 'disputes',
    label: '矛盾纠纷排查化解台账',
    registerBot: (router) => registerDisputeCommands(router, runner, service),
  };
};

export { registerDisputesCli } from './disputes-cli';

// The public face other capabilities use.
export { DisputeService } from './dispute-service';
export type { NewDisputeInput } from './dispute-service';
export { DisputeQueries } from './dispute-queries';
export type { DisputeRecord, DueDispute } from './dispute-store';
export { disputeFigures } from './domain/dispute-figures';
export type { DisputeFigureRow, DisputeFigures, DisputePeriod } from './domain/dispute-figures';
export { DISPUTE_ACTIONS } from './dispute-cards';
export { DISPUTE_STATUS_LABELS, formatDisputeNo } from './domain/dispute-rules';
export type { DisputeParty, DisputeStatus } from './domain/dispute-rules';
