import type { Knex } from 'knex';
import { toDbTime } from '../platform/database/time';

/** stats_reports: which period's report was sent (one row per period key, e.g. 2026-10). */
export class StatsReportStore {
  async wasSent(trx: Knex | Knex.Transaction, key: string): Promise<boolean> {
    return Boolean(await trx('stats_reports').where({ period: key }).first('period'));
  }

  async recordSent(trx: Knex | Knex.Transaction, key: string, outboxId: number | null, now: Date): Promise<void> {
    await trx('stats_reports').insert({ period: key, outbox_id: outboxId, created_at: toDbTime(now) });
  }
}
