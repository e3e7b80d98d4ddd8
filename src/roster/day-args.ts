import { IsoDate, parseDayWord } from '../platform/calendar/domain';
import { UserError } from '../platform/errors/user-error';

/** What a day looks like in a command: 明天, 下周三, 12月3日, 2026-12-03 (read by parseDayWord). */
const DAY = String.raw`(?:[今明后昨前][天日]|(?:上|本|这|下下|下)?(?:周|星期|礼拜)[一二三四五六日天七]|\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}[日号]?|\d{1,2}[-/.月]\d{1,2}[日号]?)`;
const DAY_LAST = new RegExp(`^(.*?)\\s*(${DAY})$`);
const DAY_FIRST = new RegExp(`^(${DAY})\\s*(.*)$`);

/** Said when a day cannot be read. */
export function badDay(word: string): UserError {
  return new UserError(`看不懂日期“${word}”。请写成“明天”“下周三”“12月3日”或“2026-12-03”。`);
}

/**
 * The words of a command split into what it is about and a day, at its end or its start (接访安排 阳城镇 下周三,
 * 接访安排 明天, 接访记录 12月3日): the day read the way people say it. A day that looks like one but does not exist
 * (3月32日) is refused; words without a day come back whole as the scope.
 */
export function splitDayWord(args: string, today: IsoDate): { scope: string; date: IsoDate | null } {
  const t = args.trim();
  const m = DAY_LAST.exec(t);
  if (m) return { scope: m[1].trim(), date: readDay(m[2], today) };
  const f = DAY_FIRST.exec(t);
  if (f) return { scope: f[2].trim(), date: readDay(f[1], today) };
  return { scope: t, date: null };
}

function readDay(word: string, today: IsoDate): IsoDate {
  const d = parseDayWord(word, today);
  if (!d) throw badDay(word);
  return d;
}
