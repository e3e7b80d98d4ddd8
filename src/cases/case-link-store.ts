import type { Knex } from 'knex';
import { CaseRow, CaseStore, Db, newestFirst } from './case-store';

export interface CaseLinkRow {
  caseId: number;
  linkedCaseId: number;
  reason: 'id_number' | 'name_phone' | 'content';
}

/** Links between cases of the same petitioner (case_links, 重复信访), made at registration. */
export class CaseLinkStore {
  private readonly cases: CaseStore;

  constructor(private readonly db: Knex) {
    this.cases = new CaseStore(db);
  }

  async add(trx: Db, links: CaseLinkRow[]): Promise<void> {
    if (!links.length) return;
    await trx('case_links').insert(links.map((l) => ({ case_id: l.caseId, linked_case_id: l.linkedCaseId, reason: l.reason })));
  }

  /** Cases linked to this one, either way round (earlier ones link to later ones through them). */
  async ofCase(caseId: number, trx: Db = this.db): Promise<Array<{ row: CaseRow; reason: string }>> {
    const rows = await trx('case_links').where('case_id', caseId).orWhere('linked_case_id', caseId);
    const other = new Map<number, string>();
    for (const r of rows) {
      const id = Number(r.case_id) === caseId ? Number(r.linked_case_id) : Number(r.case_id);
      other.set(id, r.reason);
    }
    const cases = await this.cases.getManyById([...other.keys()], trx);
    return cases.sort(newestFirst).map((row) => ({ row, reason: other.get(row.id)! }));
  }
}
