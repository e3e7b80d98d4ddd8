import { Knex } from 'knex';
import type { IsoDate } from '../../platform/calendar/domain';
import { DUTY_DEADLINES, OPEN_STATUSES } from '../domain/case-status';

type Db = Knex | Knex.Transaction;

/** Case ids per IN (…) list. */
const CHUNK = 500;

/** A case as the roster reads it (the case feature writes them). */
export interface CaseBrief {
  id: number;
  caseNo: string;
  status: string;
  name: string;
  idNumber: string | null;
  phone: string | null;
  town: string;
  category: string;
  channel: string;
  content: string;
  receivedDate: IsoDate;
  leaderId: string | null;
  supervised: boolean;
  sessionId: number | null;
  /** The earliest open duty deadline, when there is one. */
  nextDue: IsoDate | null;
}

/**
 * Read-only queries on cases for briefings and session records. The cases capability owns the tables;
 * the roster (briefings, session records) reads them through these queries.
 */
export class CaseBriefQueries {
  constructor(private readonly db: Knex) {}

  private base(db: Db = this.db) {
    return db('cases as c').select(
      'c.id', 'c.case_no', 'c.status', 'c.name', 'c.id_number', 'c.phone', 'c.town', 'c.category', 'c.channel', 'c.content',
      'c.received_date', 'c.leader_id', 'c.supervised', 'c.session_id',
      db('case_deadlines as d').min('d.due_date').whereRaw('?? = ??', ['d.case_id', 'c.id']).where('d.status', 'open')
        .whereIn('d.kind', DUTY_DEADLINES as string[]).as('next_due'),
    );
  }

  /** Open cases of the towns (all towns when null), most urgent first. */
  async openCases(towns: string[] | null, limit = 200): Promise<CaseBrief[]> {
    const q = this.base().whereIn('c.status', OPEN_STATUSES as string[]).orderBy([{ column: 'next_due' }, { column: 'c.id' }]).limit(limit);
    if (towns) q.whereIn('c.town', towns);
    return (await q).map(toCase);
  }

  /** How many open, overdue and supervised cases the towns (all when null) have. */
  async summary(towns: string[] | null, today: IsoDate): Promise<{ open: number; overdue: number; supervised: number }> {
    const scope = (q: Knex.QueryBuilder) => (towns ? q.whereIn('c.town', towns) : q);
    const open = () => scope(this.db('cases as c').whereIn('c.status', OPEN_STATUSES as string[]));
    const n = async (q: Knex.QueryBuilder) => Number((await q.first())?.n ?? 0);
    return {
      open: await n(open().count({ n: '*' })),
      supervised: await n(open().where('c.supervised', true).count({ n: '*' })),
      overdue: await n(
        open()
          .whereExists(
            this.db('case_deadlines as d').whereRaw('?? = ??', ['d.case_id', 'c.id']).where('d.status', 'open')
              .whereIn('d.kind', DUTY_DEADLINES as string[]).where('d.due_date', '<', today).select('d.id'),
          )
          .count({ n: '*' }),
      ),
    };
  }

  /** Cases with an open duty deadline already past (the last day ended before `today`). */
  async overdueCases(towns: string[] | null, today: IsoDate, limit = 200): Promise<Array<CaseBrief & { overdueKind: string; dueDate: IsoDate }>> {
    const q = this.db('case_deadlines as d')
      .join('cases as c', 'c.id', 'd.case_id')
      .where('d.status', 'open')
      .whereIn('d.kind', DUTY_DEADLINES as string[])
      .where('d.due_date', '<', today)
      .whereIn('c.status', OPEN_STATUSES as string[])
      .select('c.*', 'd.kind as overdue_kind', 'd.due_date as overdue_due')
      .orderBy([{ column: 'd.due_date' }, { column: 'c.id' }])
      .limit(limit);
    if (towns) q.whereIn('c.town', towns);
    return (await q).map((r: any) => ({ ...toCase({ ...r, next_due: r.overdue_due }), overdueKind: r.overdue_kind, dueDate: r.overdue_due }));
  }

  async supervisedCases(towns: string[] | null, limit = 200): Promise<CaseBrief[]> {
    const q = this.base().whereIn('c.status', OPEN_STATUSES as string[]).where('c.supervised', true).orderBy('c.id').limit(limit);
    if (towns) q.whereIn('c.town', towns);
    return (await q).map(toCase);
  }

  async casesOwnedBy(leaderId: string, limit = 100): Promise<CaseBrief[]> {
    return (await this.base().where('c.leader_id', leaderId).whereIn('c.status', OPEN_STATUSES as string[])
      .orderBy([{ column: 'next_due' }, { column: 'c.id' }]).limit(limit)).map(toCase);
  }

  /** Cases of the towns received on or after `since`, for finding people who come again. */
  async casesSince(towns: string[] | null, since: IsoDate): Promise<CaseBrief[]> {
    const q = this.base().where('c.received_date', '>=', since).orderBy('c.id');
    if (towns) q.whereIn('c.town', towns);
    return (await q).map(toCase);
  }

  /** Pairs of cases the intake linked as the same person's (重复信访). */
  async links(caseIds: number[]): Promise<Array<[number, number]>> {
    const out: Array<[number, number]> = [];
    for (let i = 0; i < caseIds.length; i += CHUNK) {
      const part = caseIds.slice(i, i + CHUNK);
      const rows = await this.db('case_links').whereIn('case_id', part).orWhereIn('linked_case_id', part).select('case_id', 'linked_case_id');
      for (const r of rows) out.push([Number(r.case_id), Number(r.linked_case_id)]);
    }
    return out;
  }

  /**
   * Cases registered at a session: those that name it (cases.session_id), and those logged as
   * 领导接访 on its day that name no session, from its town; for the county centre, from any town
   * that had no reception of its own that day.
   */
  async casesOfSession(s: { id: number; date: IsoDate; venueTown: string | null }): Promise<CaseBrief[]> {
    const townsReceivingThatDay = this.db('sessions as s2')
      .join('venues as v2', 'v2.id', 's2.venue_id')
      .where('s2.date', s.date)
      .whereNot('s2.status', 'cancelled')
      .whereNotNull('v2.town')
      .select('v2.town');
    const q = this.base().where((w) => {
      w.where('c.session_id', s.id).orWhere((o) => {
        o.whereNull('c.session_id').where('c.channel', '领导接访').where('c.received_date', s.date);
        if (s.venueTown) o.where('c.town', s.venueTown);
        else o.whereNotIn('c.town', townsReceivingThatDay);
      });
    }).orderBy('c.id');
    return (await q).map(toCase);
  }
}

function toCase(r: any): CaseBrief {
  return {
    id: Number(r.id), caseNo: r.case_no, status: r.status, name: r.name, idNumber: r.id_number ?? null, phone: r.phone ?? null,
    town: r.town, category: r.category, channel: r.channel, content: r.content ?? '', receivedDate: r.received_date,
    leaderId: r.leader_id ?? null, supervised: Boolean(r.supervised),
    sessionId: r.session_id === null || r.session_id === undefined ? null : Number(r.session_id), nextDue: r.next_due ?? null,
  };
}
