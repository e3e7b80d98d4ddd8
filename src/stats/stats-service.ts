import type { Knex } from 'knex';
import { addDays, IsoDate, shanghaiDate } from '../platform/calendar/domain';
import { computeStats, Period, PeriodStats, StatsCaseRow } from './domain/metrics';
import type { Core } from '../platform/feature';
import { toDbTime } from '../platform/database/time';
import { enqueueMessage } from '../platform/outbox/outbox-store';
import { buildStatsCard } from './stats-cards';

/** Longest a case can take from registration to its conclusion deadline (15 + 15 + 60 + 30 days, rolled). */
const LOOKBACK_DAYS = 150;

/** Reads the cases a period's figures need and computes them (definitions in src/domain/stats). */
export class StatsService {
  constructor(private readonly core: Core) {}

  async rows(period: Period, db: Knex | Knex.Transaction = this.core.db): Promise<StatsCaseRow[]> {
    const rows = await db('cases as c')
      .leftJoin('case_deadlines as d', function () {
        this.on('d.case_id', '=', 'c.id').andOnVal('d.kind', '=', 'decision');
      })
      .leftJoin('case_deadlines as k', function () {
        this.on('k.case_id', '=', 'c.id').andOnVal('k.kind', '=', 'conclusion');
      })
      .whereBetween('c.received_date', [addDays(period.from, -LOOKBACK_DAYS), period.to])
      .select(
        'c.received_date', 'c.status', 'c.channel', 'c.category', 'c.town', 'c.is_group', 'c.supervised',
        'c.decided_date', 'c.replied_date', 'd.due_date as decision_due', 'k.due_date as conclusion_due',
        db.raw('exists (select 1 from case_links l where l.case_id = c.id) as is_repeat'),
      );
    return rows.map((r: any) => ({
      receivedDate: r.received_date,
      status: r.status,
      channel: r.channel,
      category: r.category,
      town: r.town,
      isGroup: Boolean(Number(r.is_group)),
      supervised: Boolean(Number(r.supervised)),
      repeat: Boolean(Number(r.is_repeat)),
      decisionDue: r.decision_due ?? null,
      decidedDate: r.decided_date ?? null,
      conclusionDue: r.conclusion_due ?? null,
      repliedDate: r.replied_date ?? null,
    }));
  }

  async compute(period: Period): Promise<PeriodStats> {
    return computeStats(await this.rows(period), period, shanghaiDate(this.core.now()));
  }

  /**
   * Queues the period's report card to the bureau group(s), once per period: the report row and
   * the outbox rows are written in one transaction under the period's key.
   */
  async sendReport(period: Period, key: string): Promise<'sent' | 'already' | 'no-chat'> {
    const chats = await this.core.chats.forRole('bureau');
    if (!chats.length) return 'no-chat';
    const stats = await this.compute(period);
    const card = buildStatsCard(stats);
    return this.core.db.transaction(async (trx) => {
      const done = await trx('stats_reports').where({ period: key }).first();
      if (done) return 'already';
      let outboxId: number | null = null;
      for (const chat of chats) {
        outboxId = await enqueueMessage(trx, { receiveId: chat.id, msgType: 'interactive', content: card, source: `stats:${key}` }, this.core.now());
      }
      await trx('stats_reports').insert({ period: key, outbox_id: outboxId, created_at: toDbTime(this.core.now()) });
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
