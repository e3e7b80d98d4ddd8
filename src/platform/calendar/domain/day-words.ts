import { addDays, daysBetween, IsoDate, isIsoDate, weekday } from './dates';

const RELATIVE = new Map<string, number>([['今天', 0], ['今日', 0], ['明天', 1], ['明日', 1], ['后天', 2], ['昨天', -1], ['昨日', -1], ['前天', -2]]);
/** A day named without a year that is this long past means next year's (on 30 December, “1月2日”). */
const ROLL_FORWARD_DAYS = 90;

/**
 * A day as a person types it in chat, read on the Shanghai date `today`: 今天/明天/后天/昨天/前天,
 * 2026-12-03, 2026/12/3, 2026.12.3, 2026年12月3日, or 12月3日 / 12-03 (this year, or next year's
 * when that day is more than 90 days past), or a weekday: 周三/星期三 (the coming one, today included),
 * 本周三/这周三 (this Monday-to-Sunday week), 下周三/下星期三 (next week's), 上周三 (last week's).
 * Null when it is none of these or no such day exists.
 */
export function parseDayWord(input: string, today: IsoDate): IsoDate | null {
  const s = input.trim().replace(/\s+/g, '').replace(/号$/, '日');
  const rel = RELATIVE.get(s);
  if (rel !== undefined) return addDays(today, rel);
  const full = /^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})$/.exec(s) ?? /^(\d{4})(年)(\d{1,2})月(\d{1,2})日?$/.exec(s);
  if (full) return dateOf(Number(full[1]), full[3], full[4]);
  const week = weekWord(s, today);
  if (week) return week;
  const short = /^(\d{1,2})([-/.])(\d{1,2})$/.exec(s) ?? /^(\d{1,2})(月)(\d{1,2})日?$/.exec(s);
  if (!short) return null;
  const year = Number(today.slice(0, 4));
  const d = dateOf(year, short[1], short[3]);
  if (d && daysBetween(d, today) > ROLL_FORWARD_DAYS) return dateOf(year + 1, short[1], short[3]);
  return d;
}

function dateOf(year: number, month: string, day: string): IsoDate | null {
  const date = `${String(year).padStart(4, '0')}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
  return isIsoDate(date) ? date : null;
}

const WEEKDAY_CHARS = new Map<string, number>([['一', 1], ['二', 2], ['三', 3], ['四', 4], ['五', 5], ['六', 6], ['日', 7], ['天', 7], ['七', 7]]);
const WEEK_OFFSETS = new Map<string, number>([['上', -1], ['本', 0], ['这', 0], ['下', 1], ['下下', 2]]);

/** 周三, 本周三, 下周三, 下星期三, 上周日: weeks run Monday to Sunday, as the bureau's 本周接访 does. */
function weekWord(s: string, today: IsoDate): IsoDate | null {
  const m = /^(上|本|这|下下|下)?(?:周|星期|礼拜)([一二三四五六日天七])$/.exec(s);
  if (!m) return null;
  const day = WEEKDAY_CHARS.get(m[2])!;
  const todayIso = weekday(today) || 7;
  if (m[1] === undefined) return addDays(today, (day - todayIso + 7) % 7);
  const monday = addDays(today, 1 - todayIso);
  return addDays(monday, WEEK_OFFSETS.get(m[1])! * 7 + day - 1);
}
