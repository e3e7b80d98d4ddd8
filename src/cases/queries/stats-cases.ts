import type { Knex } from 'knex';
import type { IsoDate } from '../../platform/calendar/domain';

/** A case as the statistics read it: what it is, and its decision and conclusion deadlines. */
export interface StatsCaseRow {
  receivedDate: IsoDate;
  status: string;
  channel: string;
  category: string;
  town: string;
  isGroup: boolean;
  supervised: boolean;
  /** Linked to an earlier case of the same petitioner (重复信访). */
  repeat: boolean;
  /** 匿名 or 身份不明 (cases.anonymous). */
  anonymous?: boolean;
  decisionDue: IsoDate | null;
  decidedDate: IsoDate | null;
  conclusionDue: IsoDate | null;
  repliedDate: IsoDate | null;
}

/** The case tables as the statistics read them (the case feature writes them). */
export class StatsCaseQueries {
  constructor(private readonly db: Knex | Knex.Transaction) {}

  /** Every case received from `from` to `to` (both included), with its two duty deadlines. */
  async receivedBetween(from: IsoDate, to: IsoDate): Promise<StatsCaseRow[]> {
    const db = this.db;
    const rows = await db('cases as c')
      .leftJoin('case_deadlines as d', function () {
        this.on('d.case_id', '=', 'c.id').andOnVal('d.kind', '=', 'decision');
      })
      .leftJoin('case_deadlines as k', function () {
        this.on('k.case_id', '=', 'c.id').andOnVal('k.kind', '=', 'conclusion');
      })
      .whereBetween('c.received_date', [from, to])
      .select(
        'c.received_date', 'c.status', 'c.channel', 'c.category', 'c.town', 'c.is_group', 'c.supervised', 'c.anonymous',
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
      anonymous: Boolean(Number(r.anonymous)),
      decisionDue: r.decision_due ?? null,
      decidedDate: r.decided_date ?? null,
      conclusionDue: r.conclusion_due ?? null,
      repliedDate: r.replied_date ?? null,
    }));
  }
}
