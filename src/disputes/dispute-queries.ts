import type { Knex } from 'knex';
import { disputeFigures, DisputeFigures, DisputePeriod } from './domain/dispute-figures';
import { DisputeStore, DueDispute } from './dispute-store';

/**
 * What other capabilities read of the ledger: the open disputes a reminder scan, a holiday import
 * and the doctor must look at, the numbers the reminders list shows (reminders), and the figures of
 * a period (statistics).
 */
export class DisputeQueries {
  private readonly store: DisputeStore;

  constructor(db: Knex) {
    this.store = new DisputeStore(db);
  }

  /** Open disputes whose target date is on or before `horizon`. */
  dueOpen(horizon: string, db?: Knex | Knex.Transaction): Promise<DueDispute[]> {
    return this.store.dueOpen(horizon, db);
  }

  /** The numbers of some disputes, by id. */
  numbersById(ids: number[], db?: Knex | Knex.Transaction): Promise<Map<number, string>> {
    return this.store.numbersById(ids, db);
  }

  /** Every open dispute: its number, unit and target date. */
  openTargets(db?: Knex | Knex.Transaction): Promise<Array<{ id: number; no: string; unit: string; targetDate: string }>> {
    return this.store.openTargets(db);
  }

  /** found / resolved / escalated / in progress / overdue for the disputes found in the period. */
  async figures(period: DisputePeriod, asOf: string, db?: Knex | Knex.Transaction): Promise<DisputeFigures> {
    return disputeFigures(await this.store.figureRows(period.from, period.to, db), period, asOf);
  }
}
