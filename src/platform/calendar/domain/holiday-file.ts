import { z } from 'zod';
import { addDays, daysBetween, IsoDate, isIsoDate, yearOf } from './dates';
import type { HolidayOverride } from './holiday-calendar';
import { describeHolidayFileIssue, HOLIDAY_FILE_KEYS, isNoteKey } from './holiday-file-issues';

/**
 * The holiday file an admin edits or imports (config/holidays.json, `xinfang holidays import`):
 *
 *   { "years": [2027],
 *     "holidays": [{ "date": "2027-01-01", "name": "元旦" }, "2027-02-06",
 *                  { "from": "2027-02-06", "to": "2027-02-12", "name": "春节" }],
 *     "workdays": ["2027-02-14"] }
 *
 * `years` lists the years whose whole arrangement the file gives (the State Council notice);
 * days in other known years are single corrections. A date may be written 2027-01-01, 2027/1/1,
 * 2027.1.1 or 2027年1月1日. Keys starting with `_` or `$` (and 说明/备注/来源/source/note) are notes.
 */
const name = z.string().max(32);
const day = z.union([
  z.string(),
  z.object({ date: z.string(), name: name.optional() }).strict(),
  z.object({ from: z.string(), to: z.string(), name: name.optional() }).strict(),
]);
const fileSchema = z.object({
  years: z.array(z.number().int().min(2000).max(2100)).default([]),
  holidays: z.array(day).default([]),
  workdays: z.array(day).default([]),
}).strict();

type Day = z.infer<typeof day>;

export interface HolidayFile {
  years: number[];
  overrides: HolidayOverride[];
}

export class HolidayFileError extends Error {}

/** The longest range one entry may span (the longest break, 春节, is 9 days; a month is plenty). */
const MAX_RANGE_DAYS = 31;

/** 2027-01-01, 2027/1/1, 2027.1.1, 2027年1月1日 (full dates only); null when none of these or no such day. */
export function readFileDate(raw: string): IsoDate | null {
  const s = raw.trim().replace(/\s+/g, '');
  const m = /^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})$/.exec(s) ?? /^(\d{4})(年)(\d{1,2})月(\d{1,2})日?$/.exec(s);
  if (!m) return null;
  const date = `${m[1]}-${m[3].padStart(2, '0')}-${m[4].padStart(2, '0')}`;
  return isIsoDate(date) ? date : null;
}

/**
 * The bytes of a holiday file as text: a UTF-8 byte order mark is dropped, UTF-16 with its mark
 * is read as such, and a file that is not UTF-8 (a GBK file saved by an old editor) is refused.
 */
export function decodeHolidayFile(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new HolidayFileError('节假日文件不是 UTF-8 编码（可能是 GBK）：请在编辑器中“另存为 UTF-8”后再导入');
  }
}

/** A holiday file's text (a leading BOM is fine) read as JSON and checked. */
export function parseHolidayFileText(text: string): HolidayFile {
  const s = text.replace(/^\uFEFF/, '');
  if (!s.trim()) throw new HolidayFileError('节假日文件是空的：应为 {"years": […], "holidays": […], "workdays": […]}');
  let json: unknown;
  try {
    json = JSON.parse(s);
  } catch (e) {
    const cn = /[“”‘’，：［］｛｝]/.test(s) ? '；文件中有中文标点（如 “ ” ， ：），JSON 的引号、逗号、冒号须用英文半角' : '';
    throw new HolidayFileError(`节假日文件不是合法的 JSON${jsonErrorPlace(s, e)}：请检查引号（须为英文双引号 "）、逗号（最后一项后不加逗号）和括号是否成对${cn}`);
  }
  return parseHolidayFile(json);
}

/** Where JSON.parse stopped, as 第 L 行第 C 列, from what its message says (Node words it several ways). */
function jsonErrorPlace(text: string, e: unknown): string {
  const pos = jsonErrorPosition(text, e instanceof Error ? e.message : '');
  if (pos === null) return '';
  const before = text.slice(0, pos);
  return `（第 ${before.split('\n').length} 行第 ${pos - before.lastIndexOf('\n')} 列附近）`;
}

function jsonErrorPosition(text: string, msg: string): number | null {
  const lc = /line (\d+) column (\d+)/.exec(msg);
  if (lc) {
    const lines = text.split('\n').slice(0, Number(lc[1]) - 1);
    return lines.reduce((n, l) => n + l.length + 1, 0) + Number(lc[2]) - 1;
  }
  const at = /position (\d+)/.exec(msg);
  if (at) return Number(at[1]);
  if (/end of JSON input/.test(msg)) return text.trimEnd().length;
  // Unexpected token ']', ..."27-01-01",]\n}" is not valid JSON: ten characters either side of the token.
  const ctx = /, (\.\.\.)?"([\s\S]*)"(\.\.\.)? is not valid JSON$/.exec(msg);
  if (!ctx) return null;
  const [lead, inner, trail] = [Boolean(ctx[1]), ctx[2], Boolean(ctx[3])];
  const idx = text.indexOf(inner);
  if (idx < 0) return null;
  if (lead) return idx + 10;
  if (trail) return idx + inner.length - 11;
  const token = /Unexpected token '([\s\S])'/.exec(msg)?.[1];
  return token ? idx + Math.max(0, inner.lastIndexOf(token)) : null;
}

/** A holiday file's parsed JSON, checked; every mistake is told in Chinese with where it is. */
export function parseHolidayFile(json: unknown): HolidayFile {
  const data = withoutNotes(json);
  const parsed = fileSchema.safeParse(data);
  if (!parsed.success) {
    const where = parsed.error.issues.slice(0, 5).map((i) => describeHolidayFileIssue(i, data)).join('；');
    const more = parsed.error.issues.length > 5 ? `；另有 ${parsed.error.issues.length - 5} 处` : '';
    throw new HolidayFileError(`节假日文件格式不对：${where}${more}`);
  }
  const overrides: HolidayOverride[] = [];
  const seen = new Map<string, 'holiday' | 'workday'>();
  const add = (date: IsoDate, kind: 'holiday' | 'workday', dayName: string | undefined) => {
    const other = seen.get(date);
    if (other && other !== kind) throw new HolidayFileError(`日期 ${date} 同时被列为放假日（holidays）和调休上班日（workdays）`);
    if (other) return;
    seen.set(date, kind);
    overrides.push({ date, kind, name: dayName });
  };
  const each = (list: Day[], kind: 'holiday' | 'workday') =>
    list.forEach((d, i) => {
      for (const date of datesOf(d, `${kind === 'holiday' ? 'holidays' : 'workdays'} 第 ${i + 1} 项`)) add(date, kind, typeof d === 'string' ? undefined : d.name);
    });
  each(parsed.data.holidays, 'holiday');
  each(parsed.data.workdays, 'workday');
  const years = [...new Set(parsed.data.years)].sort((a, b) => a - b);
  for (const y of years) {
    if (!overrides.some((o) => o.kind === 'holiday' && yearOf(o.date) === y)) {
      throw new HolidayFileError(`声明了 ${y} 年的全年安排（years），却没有列出该年的任何放假日`);
    }
  }
  return { years, overrides };
}

/** The top-level notes (keys starting with _ or $, 说明, 备注…) set aside before the check. */
function withoutNotes(json: unknown): unknown {
  if (!json || typeof json !== 'object' || Array.isArray(json)) return json;
  return Object.fromEntries(Object.entries(json).filter(([k]) => HOLIDAY_FILE_KEYS.includes(k) || !isNoteKey(k)));
}

function datesOf(d: Day, where: string): IsoDate[] {
  const read = (raw: string, what: string): IsoDate => {
    const date = readFileDate(raw);
    if (!date) throw new HolidayFileError(`${where}${what}“${raw}”不是有效日期，应写成 2027-01-01（或 2027/1/1、2027年1月1日）`);
    return date;
  };
  if (typeof d === 'string') return [read(d, '')];
  if ('date' in d) return [read(d.date, '的 date ')];
  const from = read(d.from, '的 from ');
  const to = read(d.to, '的 to ');
  const span = daysBetween(from, to);
  if (span < 0) throw new HolidayFileError(`${where}的 from（${from}）晚于 to（${to}）`);
  if (span >= MAX_RANGE_DAYS) throw new HolidayFileError(`${where}从 ${from} 到 ${to} 共 ${span + 1} 天，超过 ${MAX_RANGE_DAYS} 天，请检查日期`);
  return Array.from({ length: span + 1 }, (_, k) => addDays(from, k));
}

/** Years more than this far past the current one are refused without --force. */
export const MAX_YEARS_AHEAD = 2;
/** More days off (holidays) than this in one year are refused without --force. */
export const MAX_HOLIDAYS_PER_YEAR = 60;

/**
 * What in a file looks like a mistake and needs `--force`: a year more than two years ahead of
 * `currentYear` (declared or of a day), more than 60 days off in one year. Chinese, one per line.
 */
export function holidayFileConcerns(file: HolidayFile, currentYear: number): string[] {
  const out: string[] = [];
  const years = new Set([...file.years, ...file.overrides.map((o) => yearOf(o.date))]);
  const far = [...years].filter((y) => y > currentYear + MAX_YEARS_AHEAD).sort((a, b) => a - b);
  if (far.length) {
    out.push(`文件涉及 ${far.join('、')} 年，比今年（${currentYear} 年）晚了两年以上：国务院通常只提前公布下一年的安排，请核对年份是否写错`);
  }
  const off = new Map<number, number>();
  for (const o of file.overrides) if (o.kind === 'holiday') off.set(yearOf(o.date), (off.get(yearOf(o.date)) ?? 0) + 1);
  for (const [y, n] of [...off].sort((a, b) => a[0] - b[0])) {
    if (n > MAX_HOLIDAYS_PER_YEAR) {
      out.push(`${y} 年列了 ${n} 天放假日，超过 ${MAX_HOLIDAYS_PER_YEAR} 天（全国法定节假日连同调休每年约 30 天）：请检查是否把周末或整月写进了 holidays`);
    }
  }
  return out;
}
