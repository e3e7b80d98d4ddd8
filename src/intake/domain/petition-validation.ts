import { addDays, formatChineseDate, isIsoDate, shanghaiDate, shanghaiInstant, shanghaiTime } from '../../platform/calendar/domain/dates';
import { charCount, fail, ok, Parsed } from '../../platform/forms/parsed';

/*
 * Parsers for the answers of the petition form. Each takes what a person typed and returns the
 * clean value with how it reads back, or the reason in Chinese. Pure: the clock and the lists
 * come in as arguments.
 */
export { charCount, fail, ok };
export type { Parsed };

/** Limits fixed by the schema (cases.name is 64, cases.address 200); 事项内容 comes from config. */
export const NAME_MAX = 32;
export const ADDRESS_MAX = 200;
export const CONTENT_MIN = 5;
export const HEADCOUNT_MAX = 9999;
/** 登记时间 may lie at most this far back (a mistyped year would make every deadline overdue). */
export const RECEIVED_MAX_DAYS_BACK = 365;
/** ... and not in the future, beyond a little clock skew between a phone and the server. */
const FUTURE_SKEW_MS = 5 * 60 * 1000;


/**
 * Trims, unifies line ends and drops control characters (except newline and tab). Everything
 * else is kept verbatim — quotes, semicolons and SQL-looking text included; the store binds values.
 */
export function cleanText(raw: string, multiline: boolean): string {
  // eslint-disable-next-line no-control-regex
  let s = String(raw).replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');
  if (!multiline) s = s.replace(/\s+/g, ' ');
  return s.trim();
}

export function parseName(raw: string): Parsed<string> {
  const s = cleanText(raw, false);
  if (s === '') return fail('请填写信访人姓名。');
  if (charCount(s) > NAME_MAX) return fail(`姓名最多${NAME_MAX}个字（您输入了${charCount(s)}个字），集体访请填写代表姓名。`);
  if (/\d/.test(s)) return fail('姓名中不应含有数字，请只填写姓名（电话、身份证号在后面单独填写）。');
  if (!/\p{L}/u.test(s)) return fail('请填写信访人的姓名。');
  return ok(s);
}

export function parseAddress(raw: string): Parsed<string> {
  const s = cleanText(raw, false);
  if (s === '') return fail('请填写住址，或回复“跳过”。');
  if (charCount(s) > ADDRESS_MAX) return fail(`住址最多${ADDRESS_MAX}个字（您输入了${charCount(s)}个字），请精简。`);
  return ok(s);
}

/** 事项内容: up to `max` characters; a longer text is refused with the limit, never cut silently. */
export function parseContent(raw: string, max: number): Parsed<string> {
  const s = cleanText(raw, true);
  const n = charCount(s);
  if (n === 0) return fail('请填写事项内容（诉求及主要事实）。');
  if (n < CONTENT_MIN) return fail(`事项内容太短（至少${CONTENT_MIN}个字），请写明诉求和主要事实。`);
  if (n > max) {
    return fail(`事项内容最多${max}字，您发送了${n}字。请精简后重新发送（详细材料可作为附件另行存档）。`);
  }
  return ok(s, s);
}

const CN_DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** 一 … 九十九, as people say a headcount; null when it is not such a numeral. */
export function chineseNumeral(s: string): number | null {
  const m = /^([一二两三四五六七八九])?(十)?([一二三四五六七八九])?$/.exec(s);
  if (!m || s === '') return null;
  if (!m[2]) return m[3] ? null : m[1] ? CN_DIGITS[m[1]] : null;
  return (m[1] ? CN_DIGITS[m[1]] : 1) * 10 + (m[3] ? CN_DIGITS[m[3]] : 0);
}

export function parseHeadcount(raw: string, groupThreshold: number): Parsed<number> {
  const s = String(raw).normalize('NFKC').trim().replace(/\s+/g, '').replace(/[人名位个]$/, '');
  let n: number | null = null;
  if (/^\d+$/.test(s)) n = Number(s);
  else n = chineseNumeral(s);
  if (n === null) {
    if (/^-?\d+(\.\d+)?$/.test(s)) return fail('人数应为正整数（如 1、3、12）。');
    return fail('请用数字填写人数（如 1、3、12）。');
  }
  if (n < 1) return fail('人数至少为1。');
  if (n > HEADCOUNT_MAX) return fail(`人数不能超过${HEADCOUNT_MAX}，请核对。`);
  return ok(n, headcountLabel(n, groupThreshold));
}

export function isGroupVisit(headcount: number, threshold: number): boolean {
  return headcount >= threshold;
}

export function headcountLabel(n: number, threshold: number): string {
  return isGroupVisit(n, threshold) ? `${n}人（集体访）` : `${n}人`;
}

/**
 * One of a list from config: by name, by its number in the list, by an alias (来电 -> 电话), or
 * by a part of the name that fits exactly one entry (阳城 -> 阳城镇).
 */
export function parseChoice(raw: string, options: readonly string[], label: string, aliases: Record<string, string> = {}): Parsed<string> {
  // Compared in NFKC on both sides, so full-width digits and colons match what the list says.
  const norm = (x: string) => x.normalize('NFKC').trim();
  const s = norm(String(raw)).replace(/[。.，,；;！!]+$/, '');
  if (s === '') return fail(`请选择${label}。`);
  const exact = options.find((o) => norm(o) === s);
  if (exact !== undefined) return ok(exact);
  if (/^\d+$/.test(s)) {
    const i = Number(s);
    if (i >= 1 && i <= options.length) return ok(options[i - 1]);
    return fail(`没有第${i}项${label}，请回复 1–${options.length} 之间的序号或名称。`);
  }
  const alias = aliases[s];
  if (alias && options.includes(alias)) return ok(alias);
  const partial = options.filter((o) => norm(o).includes(s) || s.includes(norm(o)));
  if (partial.length === 1) return ok(partial[0]);
  const list = options.length <= 30 ? `可选：${options.join('、')}` : '';
  if (partial.length > 1) return fail(`“${shorten(s)}”可能是：${partial.join('、')}，请写全称或回复序号。`);
  return fail(`“${shorten(s)}”不是可选的${label}。${list}（回复名称或序号）。`);
}

function shorten(s: string, max = 20): string {
  return charCount(s) > max ? `${[...s].slice(0, max).join('')}…` : s;
}

/** Aliases of 信访形式 as people say them. */
export const CHANNEL_ALIASES: Record<string, string> = {
  来电: '电话',
  电话来访: '电话',
  信件: '来信',
  写信: '来信',
  网信: '网上信访',
  网上: '网上信访',
  网络信访: '网上信访',
  走访: '来访',
  上访: '来访',
  接访: '领导接访',
};

/**
 * 登记时间 as people say it: '3月9日（周一）08:30', with the year in front ('2025年12月30日（周二）08:30')
 * when it is not the year of `now`.
 */
export function formatReceivedAt(instant: Date, now: Date = instant): string {
  const date = shanghaiDate(instant);
  const full = formatChineseDate(date);
  return `${date.slice(0, 4) === shanghaiDate(now).slice(0, 4) ? full.replace(/^\d+年/, '') : full}${shanghaiTime(instant)}`;
}

/**
 * 登记时间: 'YYYY-MM-DD HH:MM' (also with / or . or 年月日), a date alone, 今天/现在 or 昨天/前天
 * (optionally with HH:MM). A date without a time means that date at the current time when it is
 * today, otherwise 09:00, when the office opens. Not in the future, not more than a year back.
 */
export function parseReceivedAt(raw: string, now: Date): Parsed<string> {
  // The weekday as cards write it (3月9日（周一）08:30) is dropped, and a 月日 without a year is this year's.
  const s0 = String(raw).normalize('NFKC').trim().replace(/\s*\((?:周|星期)[一二三四五六日天]\)\s*/g, ' ').trim().replace(/\s+/g, ' ');
  const today = shanghaiDate(now);
  const s = /^\d{1,2}月\d{1,2}日/.test(s0) ? `${today.slice(0, 4)}年${s0}` : s0;
  let date: string | null = null;
  let time: string | null = null;

  const rel = /^(今天|今日|现在|刚才|昨天|昨日|前天)(?: ?(\d{1,2})[:点时](\d{2})?分?)?$/.exec(s);
  const abs = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?: ?(\d{1,2})[:点时](\d{2})?分?(?::\d{2})?)?(?: ?[+-]\d{4})?$/.exec(s);
  if (rel) {
    date = ['昨天', '昨日'].includes(rel[1]) ? addDays(today, -1) : rel[1] === '前天' ? addDays(today, -2) : today;
    if (rel[2] !== undefined) time = hhmm(rel[2], rel[3]);
    else if (date === today) return ok(now.toISOString(), formatReceivedAt(now, now));
  } else if (abs) {
    date = `${abs[1]}-${abs[2].padStart(2, '0')}-${abs[3].padStart(2, '0')}`;
    if (!isIsoDate(date)) return fail(`“${s}”不是真实存在的日期，请按 2026-03-10 09:30 的格式填写。`);
    if (abs[4] !== undefined) time = hhmm(abs[4], abs[5]);
    else if (date === today) return ok(now.toISOString(), formatReceivedAt(now, now));
  } else {
    return fail('登记时间请按“2026-03-10 09:30”的格式填写，或回复“今天”“昨天 15:00”；回复“跳过”使用当前时间。');
  }
  if (time === null && (rel?.[2] !== undefined || abs?.[4] !== undefined)) {
    return fail('时间不对：小时应为0–23，分钟应为00–59。');
  }
  const at = shanghaiInstant(date, time ?? '09:00');
  if (at.getTime() > now.getTime() + FUTURE_SKEW_MS) return fail('登记时间不能晚于现在。');
  if (date < addDays(today, -RECEIVED_MAX_DAYS_BACK)) {
    return fail(`登记时间不能早于${RECEIVED_MAX_DAYS_BACK}天前（${formatChineseDate(addDays(today, -RECEIVED_MAX_DAYS_BACK))}），请核对年份。`);
  }
  return ok(at.toISOString(), formatReceivedAt(at, now));
}

function hhmm(h: string, m: string | undefined): string | null {
  const hh = Number(h);
  const mm = Number(m ?? '0');
  if (hh > 23 || mm > 59) return null;
  return `${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}`;
}
