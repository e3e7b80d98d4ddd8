import type { Knex } from 'knex';
import { nextCounterValue } from '../platform/database/counter-store';

export const LETTER_TYPES = ['督办函', '提醒函'] as const;
export type LetterType = (typeof LETTER_TYPES)[number];

/** The character of each letter in its number: 督 for 督办函, 提 for 提醒函. */
const NUMBER_MARK: Record<LetterType, string> = { 督办函: '督', 提醒函: '提' };

/** A letter's official number, e.g. 信访督〔2026〕3号 (prefix LETTER_NUMBER_PREFIX, then the type's mark, the year, the sequence). */
export function formatLetterNumber(prefix: string, type: LetterType, year: number, seq: number): string {
  return `${prefix}${NUMBER_MARK[type]}〔${year}〕${seq}号`;
}

/**
 * Takes the next number of a letter type in a year, counted per type and year (counter
 * letter:<type>:<year>: 督办函 and 提醒函 count on their own, and each year starts again at 1).
 * In the caller's transaction: rolled back, the number is not used.
 */
export async function takeLetterNumber(
  trx: Knex.Transaction,
  prefix: string,
  type: LetterType,
  year: number,
): Promise<{ number: string; seq: number }> {
  const seq = await nextCounterValue(trx, `letter:${type}:${year}`);
  return { number: formatLetterNumber(prefix, type, year, seq), seq };
}
