import type { Knex } from 'knex';
import { hasExactValue, RowSetVersion } from '../../platform/database/row-checks';
import { fromDbTime } from '../../platform/database/time';

/** An open deadline as a unit's deadline feed shows it: the case's number and category only. */
export interface FeedDeadline {
  id: number;
  caseNo: string;
  category: string;
  kind: string;
  dueDate: string;
  provisional: boolean;
  unit: string;
  createdAt: Date;
  updatedAt: Date;
}

/** The case tables as the calendar feeds read them (the case feature writes them). */
export class FeedDeadlineQueries {
  constructor(private readonly db: Knex) {}

  private open(unit: string): Knex.QueryBuilder {
    return this.db('case_deadlines as cd').join('cases as c', 'c.id', 'cd.case_id').where('cd.unit', unit).andWhere('cd.status', 'open');
  }

  /** One aggregate row over the unit's open deadlines: what the ETag is made of. */
  async version(unit: string): Promise<RowSetVersion> {
    const row: any = await this.open(unit)
      .select(
        this.db.raw('count(*) as n'),
        this.db.raw('max(cd.updated_at) as m'),
        this.db.raw('max(c.updated_at) as cm'),
        this.db.raw('sum(cd.id) as i'),
      )
      .first();
    return {
      count: Number(row?.n ?? 0),
      maxUpdatedAt: row?.m ? String(row.m) : null,
      sums: `${String(row?.cm ?? '')}:${String(row?.i ?? 0)}`,
    };
  }

  async list(unit: string): Promise<FeedDeadline[]> {
    const rows: any[] = await this.open(unit)
      .select('cd.id', 'cd.kind', 'cd.due_date', 'cd.provisional', 'cd.unit', 'cd.created_at', 'cd.updated_at', 'c.case_no', 'c.category')
      .orderBy([{ column: 'cd.due_date' }, { column: 'c.case_no' }, { column: 'cd.kind' }]);
    return rows.map((r) => ({
      id: Number(r.id),
      caseNo: String(r.case_no),
      category: String(r.category),
      kind: String(r.kind),
      dueDate: String(r.due_date),
      provisional: Boolean(Number(r.provisional)),
      unit: String(r.unit),
      createdAt: fromDbTime(r.created_at)!,
      updatedAt: fromDbTime(r.updated_at)!,
    }));
  }

  /** Whether a deadline or a case names the unit (spelled exactly so). */
  async hasUnit(unit: string): Promise<boolean> {
    for (const table of ['case_deadlines', 'cases']) {
      if (await hasExactValue(this.db, table, 'unit', unit)) return true;
    }
    return false;
  }
}
