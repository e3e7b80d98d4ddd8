import { addDays, IsoDate, isIsoDate } from './dates';

const RELATIVE: Record<string, number> = { 今天: 0, 今日: 0, 明天: 1, 明日: 1, 后天: 2, 昨天: -1, 昨日: -1, 前天: -2 };

/**
 * A day as a person types it in chat, read on the Shanghai date `today`: 今天/明天/后天/昨天/前天,
 * 2026-12-03, 2026/12/3, 2026.12.3, 2026年12月3日, or 12月3日 / 12-03 (this year). Null when it
 * is none of these or no such day exists.
 */
export function parseDayWord(input: string, today: IsoDate): IsoDate | null {
  const s = input.trim().replace(/\s+/g, '').replace(/号$/, '日');
  if (s in RELATIVE) return addDays(today, RELATIVE[s]);
  let m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(s);
  const year = m ? Number(m[1]) : Number(today.slice(0, 4));
  if (!m) m = /^()(\d{1,2})[-/.月](\d{1,2})日?$/.exec(s);
  if (!m) return null;
  const date = `${String(year).padStart(4, '0')}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}`;
  return isIsoDate(date) ? date : null;
}
