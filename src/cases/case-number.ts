import type { Knex } from 'knex';
import { nextCounterValue } from '../platform/database/counter-store';
import { UserError } from '../platform/errors/user-error';

/**
 * The case number (案件编号), in one place: per year, six digits, e.g. 2026-000123. The year is
 * the Shanghai year of registration; the sequence comes from the counter `case:<year>`, so every
 * replica hands out each number once.
 */

/** Formats a per-year case number: 2026-000123. */
export function formatCaseNo(year: number, n: number): string {
  return `${year}-${String(n).padStart(6, '0')}`;
}

/** Reads what a person typed as a case number ('2026-123', '2026-000123') into the stored form, or null. */
export function parseCaseNo(s: string): string | null {
  const m = /^\s*(\d{4})\s*[-－—]\s*(\d{1,6})\s*$/.exec(s);
  if (!m || Number(m[2]) === 0) return null;
  return formatCaseNo(Number(m[1]), Number(m[2]));
}

/** Whether a text is a case number written exactly in the stored form (2026-000123). */
export function isCaseNo(s: string): boolean {
  return /^\d{4}-\d{6}$/.test(s);
}

/** The refusal of something that is not a case number. */
export function invalidCaseNoMessage(raw: string): string {
  return `案件编号“${raw}”无效，应形如 2026-000123`;
}

/** The stored case number of what the person gave, or the refusal (a UserError). */
export function requireCaseNo(caseNo: unknown): string {
  const no = parseCaseNo(String(caseNo ?? ''));
  if (!no) throw new UserError(invalidCaseNoMessage(String(caseNo ?? '')));
  return no;
}

/** The next number of the year, taken inside the caller's transaction. */
export async function nextCaseNo(trx: Knex | Knex.Transaction, year: number): Promise<string> {
  return formatCaseNo(year, await nextCounterValue(trx, `case:${year}`));
}
