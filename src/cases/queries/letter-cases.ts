import { Knex } from 'knex';
import { toDbTime } from '../../platform/database/time';
import type { CaseStatus, DeadlineKind } from '../domain/case-status';

type Db = Knex | Knex.Transaction;

/** case_events.action of a letter sent (督办函/提醒函). */
export const LETTER_ACTION = 'letter';

/** What a letter needs of a case: no ID number, no phone. */
export interface LetterCase {
  id: number;
  caseNo: string;
  status: CaseStatus;
  name: string;
  town: string;
  category: string;
  content: string;
  receivedDate: string;
  unit: string | null;
}

/** What a letter sent was logged with (case_events.data of action 'letter'). */
export interface LoggedLetter {
  type: string;
  number: string;
  year: number;
  seq: number;
  kind: DeadlineKind;
  dueDate: string;
  unit: string;
}

export interface LetterDeadline {
  id: number;
  kind: DeadlineKind;
  dueDate: string;
  unit: string | null;
  provisional: boolean;
}

/** The reads and the audit entry of 督办函/提醒函, on the case tables (which the cases capability owns). */
export class LetterCaseQueries {
  constructor(private readonly db: Knex) {}

  async caseByNo(caseNo: string, db: Db = this.db): Promise<LetterCase | null> {
    const r = await db('cases')
      .where({ case_no: caseNo })
      .first('id', 'case_no', 'status', 'name', 'town', 'category', 'content', 'received_date', 'unit');
    return r
      ? {
          id: Number(r.id), caseNo: r.case_no, status: r.status, name: r.name, town: r.town, category: r.category,
          content: r.content, receivedDate: r.received_date, unit: r.unit ?? null,
        }
      : null;
  }

  async openDeadlines(caseId: number, kinds: readonly DeadlineKind[], db: Db = this.db): Promise<LetterDeadline[]> {
    const rows = await db('case_deadlines').where({ case_id: caseId, status: 'open' }).whereIn('kind', [...kinds]).orderBy([{ column: 'due_date' }, { column: 'id' }]);
    return rows.map((r: any) => ({ id: Number(r.id), kind: r.kind, dueDate: r.due_date, unit: r.unit ?? null, provisional: Boolean(r.provisional) }));
  }

  /** The letters already sent for a case, newest first. */
  async letterLog(caseId: number, db: Db = this.db): Promise<LoggedLetter[]> {
    const rows = await db('case_events').where({ case_id: caseId, action: LETTER_ACTION }).orderBy('id', 'desc').select('data');
    return rows.map((r: any) => JSON.parse(r.data ?? '{}'));
  }

  async logLetter(
    trx: Db,
    e: { caseId: number; caseStatus: CaseStatus; actorId: string; data: Record<string, unknown>; reason: string },
    now: Date,
  ): Promise<void> {
    await trx('case_events').insert({
      case_id: e.caseId,
      action: LETTER_ACTION,
      from_status: e.caseStatus,
      to_status: e.caseStatus,
      actor_id: e.actorId,
      reason: e.reason,
      data: JSON.stringify(e.data),
      at: toDbTime(now),
    });
  }
}
