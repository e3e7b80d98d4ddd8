import { StatsReportStore } from './stats-report-store';
import type { Knex } from 'knex';
import { StatsCaseQueries } from '../cases';
import { addDays, IsoDate, shanghaiDate } from '../platform/calendar/domain';
import { computeStats, Period, PeriodStats, StatsCaseRow } from './domain/metrics';
import type { Core, LateSend } from '../platform/core/feature';
import { markLate } from '../platform/jobs/late-send';
import { enqueueMessage } from '../platform/outbox/outbox-store';
import { buildStatsCard } from './stats-cards';

/** Longest a case can take from registration to its conclusion deadline (15 + 15 + 60 + 30 days, rolled). */
const LOOKBACK_DAYS = 150;

/** Reads the cases a period's figures need and computes them (definitions in stats/domain/metrics.ts). */
export class StatsService {
  private readonly reports = new StatsReportStore();

  constructor(private readonly core: Core) {}

  /** The cases a period's figures read: received in it, or early enough for a deadline to fall in it. */
  async rows(period: Period, db: Knex | Knex.Transaction = this.core.db): Promise<StatsCaseRow[]> {
    return new StatsCaseQueries(db).receivedBetween(addDays(period.from, -LOOKBACK_DAYS), period.to);
  }

  async compute(period: Period): Promise<PeriodStats> {
    return computeStats(await this.rows(period), period, shanghaiDate(this.core.now()));
  }

  /**
   * Queues the period's report card to the bureau group(s), once per period: the report row and
   * the outbox rows are written in one transaction under the period's key.
   */
  /** `late`: the report goes out after its moment (补发); the card says so. */
  async sendReport(period: Period, key: string, late?: LateSend): Promise<'sent' | 'already' | 'no-chat'> {
    const chats = await this.core.chats.forRole('bureau');
    if (!chats.length) return 'no-chat';
    const stats = await this.compute(period);
    const card = markLate(buildStatsCard(stats), late);
    return this.core.db.transaction(async (trx) => {
      if (await this.reports.wasSent(trx, key)) return 'already';
      let outboxId: number | null = null;
      for (const chat of chats) {
        outboxId = await enqueueMessage(trx, { receiveId: chat.id, msgType: 'interactive', content: card, source: `stats:${key}` }, this.core.now());
      }
      await this.reports.recordSent(trx, key, outboxId, this.core.now());
      return 'sent';
    });
  }
}

export function lastMonth(today: IsoDate): { period: Period; key: string } {
  const [y, m] = [Number(today.slice(0, 4)), Number(today.slice(5, 7))];
  const [py, pm] = m === 1 ? [y - 1, 12] : [y, m - 1];
  const from = `${py}-${String(pm).padStart(2, '0')}-01`;
  const to = addDays(`${y}-${String(m).padStart(2, '0')}-01`, -1);
  return { period: { from, to, label: `${py}年${pm}月` }, key: from.slice(0, 7) };
}
