import { Knex } from 'knex';
import { chunks } from './id-chunks';

type Db = Knex | Knex.Transaction;

/** The case number (2026-000123) of each of these case ids, for lists that show it beside their own rows. */
export async function caseNumbersById(db: Db, caseIds: readonly number[]): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  for (const part of chunks([...new Set(caseIds)])) {
    for (const r of await db('cases').whereIn('id', part).select('id', 'case_no')) out.set(Number(r.id), r.case_no);
  }
  return out;
}
