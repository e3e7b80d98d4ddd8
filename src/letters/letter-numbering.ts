import type { Knex } from 'knex';
import { nextCounterValue } from '../platform/database/counter-store';

/** The letters about one case's deadline (chat: 督办函/提醒函 <案件编号>). */
export const LETTER_TYPES = ['督办函', '提醒函'] as const;
/** Every kind of letter the bureau numbers: the deadline letters and the 改进工作建议函 to a unit (三项建议权). */
export const LETTER_KINDS = ['提醒函', '督办函', '改进工作建议函'] as const;
export type LetterKind = (typeof LETTER_KINDS)[number];
export type LetterType = (typeof LETTER_TYPES)[number];

/** The character of each letter in its number: 督 for 督办函, 提 for 提醒函, 建 for 改进工作建议函. */
const NUMBER_MARK: Record<LetterKind, string> = { 督办函: '督', 提醒函: '提', 改进工作建议函: '建' };

/** A letter's official number, e.g. 信访督〔2026〕3号 (prefix LETTER_NUMBER_PREFIX, then the type's mark, the year, the sequence). */
export function formatLetterNumber(prefix: string, type: LetterKind, year: number, seq: number): string {
  return `${prefix}${NUMBER_MARK[type]}〔${year}〕${seq}号`;
}

/**
 * Takes the next number of a letter type in a year, counted per type and year (counter
 * letter:<type>:<year>: each kind counts on its own, and each year starts again at 1).
 * In the caller's transaction: rolled back, the number is not used.
 */
export async function takeLetterNumber(
  trx: Knex.Transaction,
  prefix: string,
  type: LetterKind,
  year: number,
): Promise<{ number: string; seq: number }> {
  const seq = await nextCounterValue(trx, `letter:${type}:${year}`);
  return { number: formatLetterNumber(prefix, type, year, seq), seq };
}
