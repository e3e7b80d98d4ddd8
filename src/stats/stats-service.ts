import type { Knex } from 'knex';
import { StatsCaseQueries } from '../cases';
import { consultationFigures } from '../consultations';
import { DisputeQueries } from '../disputes';
import { letterFigures } from '../letters';
import { reviewFigures } from '../reviews';
import { receptionFigures } from '../roster';
import { IsoDate, shanghaiDate } from '../platform/calendar/domain';
import type { Core, LateSend } from '../platform/core/feature';
import { markLate } from '../platform/jobs/late-send';
import { enqueueMessage } from '../platform/outbox/outbox-store';
import { buildStatsReport, previousPeriod, StatsSources } from './domain/metrics';
import { monthPeriod } from './domain/periods';
import type { StatsPeriod, StatsReport } from './domain/stats-report';
import { buildStatsCard } from './stats-cards';
import { StatsReportStore } from './stats-report-store';
import { buildStatsWorkbook, statsWorkbookName, XLSX_MIME } from './stats-workbook';

type Db = Knex | Knex.Transaction;

/**
 * The figures of a period (StatsReport): the database sums the cases per column and per due day,
 * each ledger gives its own figures, and stats/domain/metrics.ts decides what counts.
 */
export class StatsService {
  private readonly reports = new StatsReportStore();

  constructor(private readonly core: Core) {}

  /** Every figure of the period, with the period before for comparison, as of today. */
  async report(period: StatsPeriod, db: Db = this.core.db): Promise<StatsReport> {
    const asOf = shanghaiDate(this.core.now());
    const prev = previousPeriod(period);
    const cases = new StatsCaseQueries(db);
    const { from, to } = period;
    // Each read covers the days of the period and the one before, however many years the tables hold;
    // today's overdue deadlines are counted over the open ones.
    const [registrations, concluded, decisionDue, conclusionDue, overdueDecision, overdueConclusion, supervised, registeredBefore] = await Promise.all([
      cases.registrations(from, to),
      cases.concludedCount(from, to),
      cases.dueGroups('decision', to, prev.from),
      cases.dueGroups('conclusion', to, prev.from),
      cases.overdueOpen('decision', asOf),
      cases.overdueOpen('conclusion', asOf),
      cases.supervised(prev.from),
      cases.registeredCount(prev.from, prev.to),
    ]);
    const [disputes, disputesBefore, letters, reviews, receptions, consultations] = await Promise.all([
      new DisputeQueries(db as Knex).figures(period, asOf, db),
      new DisputeQueries(db as Knex).figures(prev, asOf, db),
      letterFigures({ db: db as Knex }, period),
      reviewFigures({ db: db as Knex }, period),
      receptionFigures(db, period),
      consultationFigures(db as Knex, period),
    ]);
    const overdue = { decision: overdueDecision, conclusion: overdueConclusion };
    const sources: StatsSources = { registrations, concluded, decisionDue, conclusionDue, overdue, supervised, disputes, letters, reviews, receptions, consultations };
    return buildStatsReport(period, asOf, sources, { period: prev, registered: registeredBefore, disputes: disputesBefore });
  }

  /** @deprecated use report(): the same figures (kept while the chat command and older tests move over). */
  compute(period: Omit<StatsPeriod, 'kind'> & { kind?: StatsPeriod['kind'] }): Promise<StatsReport> {
    return this.report({ ...period, kind: period.kind ?? 'range' });
  }

  /**
   * Queues the period's report card and its workbook (a file message) to the bureau group(s), once
   * per period: the report row and the outbox rows are written in one transaction under the period's key.
   * `late`: the report goes out after its moment (补发); the card says so.
   */
  async sendReport(period: StatsPeriod, key: string, late?: LateSend): Promise<'sent' | 'already' | 'no-chat'> {
    const chats = await this.core.chats.forRole('bureau');
    if (!chats.length) return 'no-chat';
    const report = await this.report(period);
    const card = markLate(buildStatsCard(report), late);
    const file = { name: statsWorkbookName(report), mime: XLSX_MIME, base64: (await buildStatsWorkbook(report)).toString('base64') };
    return this.core.db.transaction(async (trx) => {
      if (await this.reports.wasSent(trx, key)) return 'already';
      let outboxId: number | null = null;
      for (const chat of chats) {
        outboxId = await enqueueMessage(trx, { receiveId: chat.id, msgType: 'interactive', content: card, source: `stats:${key}` }, this.core.now());
        await enqueueMessage(trx, { receiveId: chat.id, msgType: 'file', content: file, source: `stats:${key}` }, this.core.now());
      }
      await this.reports.recordSent(trx, key, outboxId, this.core.now());
      return 'sent';
    });
  }
}

/** The month before today's, and the key its report is sent under (2026-10). */
export function lastMonth(today: IsoDate): { period: StatsPeriod; key: string } {
  const [y, m] = [Number(today.slice(0, 4)), Number(today.slice(5, 7))];
  const period = m === 1 ? monthPeriod(y - 1, 12) : monthPeriod(y, m - 1);
  return { period, key: period.from.slice(0, 7) };
}
