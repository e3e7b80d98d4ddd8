import type { Knex } from 'knex';
import { IsoDate, shanghaiDate } from '../../platform/calendar/domain';
import { fromDbTime } from '../../platform/database/time';

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

/** One value of a column and how many cases received in the period carry it (name null: not filled in). */
export interface StatsNameCount {
  name: string | null;
  count: number;
}

/** Cases received on one day of the period. */
export interface StatsDayRow {
  date: IsoDate;
  count: number;
  groupVisits: number;
  anonymous: number;
}

/** What the cases received in a period add up to, per column (the statistics turn these into figures). */
export interface StatsRegistrations {
  byDay: StatsDayRow[];
  byChannel: StatsNameCount[];
  byCategory: StatsNameCount[];
  byTown: StatsNameCount[];
  byPurpose: StatsNameCount[];
  /** Of them, linked to an earlier case (case_links). */
  repeat: number;
}

/**
 * The deadlines of one kind that fall on one day: how many were met by then (done ≤ due) or at
 * all, and how many are still open (deadline open, case in an open status, not done).
 */
export interface StatsDueGroup {
  due: IsoDate;
  total: number;
  done: number;
  doneByDue: number;
  open: number;
}

/** A case under 挂牌督办: since when (its first 督办, Shanghai date; its registration if none was recorded) and its 办结. */
export interface StatsSupervisedRow {
  since: IsoDate;
  repliedDate: IsoDate | null;
}

/** The duty deadlines the statistics rate (case_deadlines.met_date holds the case's date that met them). */
export type StatsDueKind = 'decision' | 'conclusion';

/**
 * The case tables as the statistics read them (the case feature writes them): aggregated in SQL
 * (one GROUP BY per column, over the indexes of migrations 029 and 030), identical on SQLite and MySQL.
 */
export class StatsCaseQueries {
  constructor(private readonly db: Knex | Knex.Transaction) {}

  /**
   * The received cases of a period, summed per day, channel, category, town and purpose: on
   * MariaDB each a range of the index (received_date, channel, category, town, purpose, is_group,
   * anonymous) (migration 032), the period's rows only; SQLite skip-scans the (channel | category |
   * town | purpose, received_date) indexes (029, 035) instead.
   */
  async registrations(from: IsoDate, to: IsoDate): Promise<StatsRegistrations> {
    const db = this.db;
    const received = () => db('cases').whereBetween('received_date', [from, to]);
    const by = async (column: string): Promise<StatsNameCount[]> => {
      const rows: any[] = await received().groupBy(column).select(`${column} as name`).count({ n: '*' });
      return rows.map((r) => ({ name: r.name ?? null, count: Number(r.n) }));
    };
    const perDay = async () => {
      const days: any[] = await received()
        .groupBy('received_date')
        .select(
          'received_date', db.raw('count(*) as n'), db.raw('sum(case when is_group then 1 else 0 end) as g'), db.raw('sum(case when anonymous then 1 else 0 end) as a'),
          db.raw('min(id) as lo'), db.raw('max(id) as hi'),
        );
      return { days, repeat: await this.repeats(from, to, days) };
    };
    const [{ days, repeat }, byChannel, byCategory, byTown, byPurpose] = await Promise.all([perDay(), by('channel'), by('category'), by('town'), by('purpose')]);
    return {
      byDay: days.map((r) => ({ date: r.received_date, count: Number(r.n), groupVisits: Number(r.g ?? 0), anonymous: Number(r.a ?? 0) })),
      byChannel, byCategory, byTown, byPurpose, repeat,
    };
  }

  /**
   * Of the cases received in the period, how many are linked to an earlier one (case_links). The
   * links are read over the ids the period's cases span (the per-day read gives them): a range of
   * case_links' primary key, not every link of every year (cases are numbered as they come, so the
   * span is the period's; were it wider, the count would still be exact, only slower).
   */
  private async repeats(from: IsoDate, to: IsoDate, days: Array<{ lo: unknown; hi: unknown }>): Promise<number> {
    if (!days.length) return 0;
    const lo = Math.min(...days.map((d) => Number(d.lo)));
    const hi = Math.max(...days.map((d) => Number(d.hi)));
    const [r]: any[] = await this.db('case_links as l')
      .join('cases as c', 'c.id', 'l.case_id')
      .whereBetween('l.case_id', [lo, hi])
      .whereBetween('c.received_date', [from, to])
      .countDistinct({ n: 'l.case_id' });
    return Number(r?.n ?? 0);
  }

  /** How many cases were received in the period. */
  async registeredCount(from: IsoDate, to: IsoDate): Promise<number> {
    const [r]: any[] = await this.db('cases').whereBetween('received_date', [from, to]).count({ n: '*' });
    return Number(r?.n ?? 0);
  }

  /** How many cases were 办结 (replied) in the period. */
  async concludedCount(from: IsoDate, to: IsoDate): Promise<number> {
    const [r]: any[] = await this.db('cases').whereBetween('replied_date', [from, to]).count({ n: '*' });
    return Number(r?.n ?? 0);
  }

  /**
   * The decision (受理) or conclusion (办结) deadlines due from `from` (omitted: the first ever) to
   * `upTo`, per day, with how many were met and how many are still open. case_deadlines alone,
   * a range of its index (kind, due_date, met_date, status) (migration 030): the rows read are the
   * deadlines of those days, however many years the table holds. A deadline still open means its
   * case is in an open status (registered for the decision, handling for the conclusion: computeDeadlines).
   */
  async dueGroups(kind: StatsDueKind, upTo: IsoDate, from?: IsoDate): Promise<StatsDueGroup[]> {
    const db = this.db;
    const q = db('case_deadlines').where('kind', kind);
    if (from) q.where('due_date', '>=', from);
    const rows: any[] = await q
      .where('due_date', '<=', upTo)
      // A void deadline belongs to a road the case left (退回 after 受理): it counts neither way.
      .whereNot('status', 'void')
      .groupBy('due_date')
      .select(
        'due_date as due',
        db.raw('count(*) as n'),
        db.raw('sum(case when met_date is not null then 1 else 0 end) as done'),
        db.raw('sum(case when met_date <= due_date then 1 else 0 end) as ontime'),
        db.raw("sum(case when status = 'open' and met_date is null then 1 else 0 end) as open_n"),
      );
    return rows.map((r) => ({ due: r.due, total: Number(r.n), done: Number(r.done ?? 0), doneByDue: Number(r.ontime ?? 0), open: Number(r.open_n ?? 0) }));
  }

  /**
   * 当前逾期: how many deadlines of a kind are still open (nothing done) with their last day before
   * `before`. A range of the index (status, due_date, kind, met_date) (migration 035) over the open
   * deadlines only, read from the index alone: what is overdue, not the years of met ones.
   */
  async overdueOpen(kind: StatsDueKind, before: IsoDate): Promise<number> {
    const [r]: any[] = await this.db('case_deadlines')
      .where('status', 'open')
      .where('due_date', '<', before)
      .where('kind', kind)
      .whereNull('met_date')
      .count({ n: '*' });
    return Number(r?.n ?? 0);
  }

  /**
   * The cases under 挂牌督办 not 办结 before `repliedFrom` (omitted: every one), with the day their
   * supervision began and their 办结: a range of the index (supervised, replied_date) (migration
   * 032), so the cases concluded in earlier years are not read.
   */
  async supervised(repliedFrom?: IsoDate): Promise<StatsSupervisedRow[]> {
    const db = this.db;
    const q = db('cases as c').where('c.supervised', true);
    if (repliedFrom) q.where((w) => w.whereNull('c.replied_date').orWhere('c.replied_date', '>=', repliedFrom));
    const rows: any[] = await q
      .select('c.received_date', 'c.replied_date', db('case_events as e').where('e.case_id', db.ref('c.id')).andWhere('e.action', 'supervise').min('e.at').as('since'));
    return rows.map((r) => ({ since: r.since ? shanghaiDate(fromDbTime(r.since)!) : r.received_date, repliedDate: r.replied_date ?? null }));
  }

  /**
   * Every case received from `from` to `to` (both included), with its two duty deadlines, one row
   * each. The statistics no longer read this (too slow on a large year); the benchmark keeps it as
   * its baseline.
   */
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
