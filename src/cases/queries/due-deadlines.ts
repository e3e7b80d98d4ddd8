import { Knex } from 'knex';
import type { CaseStatus, DeadlineKind } from '../domain/case-status';
import { petitionerUnreachable } from '../domain/anonymous-petition';

type Db = Knex | Knex.Transaction;

/** An open deadline joined with what its reminder card and its recipients need (no ID number, no phone). */
export interface DueDeadline {
  deadlineId: number;
  caseId: number;
  caseNo: string;
  caseStatus: CaseStatus;
  kind: DeadlineKind;
  dueDate: string;
  provisional: boolean;
  /** Who must act on this deadline (case_deadlines.unit). */
  deadlineUnit: string | null;
  /** The case's handling unit (cases.unit). */
  caseUnit: string | null;
  category: string;
  town: string;
  petitionerName: string;
  leaderId: string | null;
  supervised: boolean;
  /** 匿名/身份不明 with neither phone nor address: the card asks for no notice or reply (the phone itself is not carried). */
  petitionerUnreachable: boolean;
}

/** The open deadlines that are due, for the reminder scan and the daily digest (the cases capability owns the tables). */
export class DueDeadlineQueries {
  constructor(private readonly db: Knex) {}

  /**
   * Open deadlines of the given kinds due on or before `until`. The range on
   * case_deadlines(status, due_date) reads only such rows; each joins its case by primary key.
   */
  query(until: string, kinds: readonly DeadlineKind[], db: Db = this.db): Knex.QueryBuilder {
    return db('case_deadlines as d')
      .join('cases as c', 'c.id', 'd.case_id')
      .where('d.status', 'open')
      .where('d.due_date', '<=', until)
      .whereIn('d.kind', [...kinds])
      .select(
        'd.id as deadline_id', 'd.case_id', 'd.kind', 'd.due_date', 'd.provisional', 'd.unit as deadline_unit',
        'c.case_no', 'c.status as case_status', 'c.unit as case_unit', 'c.category', 'c.town', 'c.name', 'c.leader_id', 'c.supervised',
        'c.anonymous', 'c.phone', 'c.address',
      )
      // The index's own order (status, due_date, id): no sort, and every replica batches alike.
      .orderBy([{ column: 'd.due_date' }, { column: 'd.id' }]);
  }

  /** The same, of cases in one of `openStatuses`. */
  async list(until: string, kinds: readonly DeadlineKind[], openStatuses: readonly CaseStatus[], db: Db = this.db): Promise<DueDeadline[]> {
    const rows = await this.query(until, kinds, db).whereIn('c.status', [...openStatuses]);
    return rows.map(toDue);
  }
}

function toDue(r: any): DueDeadline {
  return {
    deadlineId: Number(r.deadline_id),
    caseId: Number(r.case_id),
    caseNo: r.case_no,
    caseStatus: r.case_status,
    kind: r.kind,
    dueDate: r.due_date,
    provisional: Boolean(r.provisional),
    deadlineUnit: r.deadline_unit ?? null,
    caseUnit: r.case_unit ?? null,
    category: r.category,
    town: r.town,
    petitionerName: r.name,
    leaderId: r.leader_id ?? null,
    supervised: Boolean(r.supervised),
    petitionerUnreachable: petitionerUnreachable({ anonymous: Boolean(Number(r.anonymous)), phone: r.phone, address: r.address }),
  };
}
