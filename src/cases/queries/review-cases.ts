import type { Knex } from 'knex';
import type { IsoDate } from '../../platform/calendar/domain';
import type { CaseStatus } from '../domain/case-status';

type Db = Knex | Knex.Transaction;

/** What a case-quality review (评查) reads of a case: no ID number, no phone, no address. */
export interface ReviewCase {
  id: number;
  caseNo: string;
  status: CaseStatus;
  name: string;
  town: string;
  category: string;
  unit: string | null;
  receivedDate: IsoDate;
  /** 办结 (the reply to the petitioner): what makes a case concluded and reviewable. */
  concludedDate: IsoDate | null;
}

const COLUMNS = ['id', 'case_no', 'status', 'name', 'town', 'category', 'unit', 'received_date', 'replied_date'];

function toReviewCase(r: any): ReviewCase {
  return {
    id: Number(r.id), caseNo: r.case_no, status: r.status, name: r.name, town: r.town, category: r.category,
    unit: r.unit ?? null, receivedDate: r.received_date, concludedDate: r.replied_date ?? null,
  };
}

/** The case tables as the reviews read them (the cases capability owns and writes them). */
export class ReviewCaseQueries {
  constructor(private readonly db: Db) {}

  /** Every case concluded (answered) from `from` to `to`, both included, by case number. */
  async concludedBetween(from: IsoDate, to: IsoDate, db: Db = this.db): Promise<ReviewCase[]> {
    const rows = await db('cases').whereBetween('replied_date', [from, to]).orderBy('case_no').select(COLUMNS);
    return rows.map(toReviewCase);
  }

  async caseByNo(caseNo: string, db: Db = this.db): Promise<ReviewCase | null> {
    const r = await db('cases').where({ case_no: caseNo }).first(COLUMNS);
    return r ? toReviewCase(r) : null;
  }

  /** The cases with these numbers that exist, by number. */
  async existingCaseNos(caseNos: string[], db: Db = this.db): Promise<Set<string>> {
    if (!caseNos.length) return new Set();
    const rows = await db('cases').whereIn('case_no', caseNos).select('case_no');
    return new Set(rows.map((r: any) => String(r.case_no)));
  }
}
