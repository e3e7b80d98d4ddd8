import { z } from 'zod';
import { parseIsoDate, yearOf } from './dates';
import type { HolidayOverride } from './holiday-calendar';

/**
 * The holiday file an admin edits or imports (config/holidays.json, `xinfang holidays import`):
 *
 *   { "years": [2027],
 *     "holidays": [{ "date": "2027-01-01", "name": "元旦" }, "2027-02-06"],
 *     "workdays": ["2027-02-14"] }
 *
 * `years` lists the years whose whole arrangement the file gives (the State Council notice);
 * days in other known years are single corrections.
 */
const day = z.union([z.string(), z.object({ date: z.string(), name: z.string().max(32).optional() })]);
const fileSchema = z.object({
  years: z.array(z.number().int().min(2000).max(2100)).default([]),
  holidays: z.array(day).default([]),
  workdays: z.array(day).default([]),
});

export interface HolidayFile {
  years: number[];
  overrides: HolidayOverride[];
}

export class HolidayFileError extends Error {}

export function parseHolidayFile(json: unknown): HolidayFile {
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) {
    const where = parsed.error.issues.map((i) => `${i.path.join('.') || '(根)'}：${i.message}`).join('；');
    throw new HolidayFileError(`节假日文件格式不对：${where}`);
  }
  const overrides: HolidayOverride[] = [];
  const seen = new Map<string, string>();
  const add = (d: z.infer<typeof day>, kind: 'holiday' | 'workday') => {
    const raw = typeof d === 'string' ? d : d.date;
    let date: string;
    try {
      date = parseIsoDate(raw);
    } catch {
      throw new HolidayFileError(`节假日文件中的日期“${raw}”无效，应为 YYYY-MM-DD`);
    }
    if (seen.has(date) && seen.get(date) !== kind) {
      throw new HolidayFileError(`日期 ${date} 同时被列为放假日和调休上班日`);
    }
    seen.set(date, kind);
    overrides.push({ date, kind, name: typeof d === 'string' ? undefined : d.name });
  };
  parsed.data.holidays.forEach((d) => add(d, 'holiday'));
  parsed.data.workdays.forEach((d) => add(d, 'workday'));
  const years = [...new Set(parsed.data.years)].sort();
  for (const y of years) {
    if (!overrides.some((o) => yearOf(o.date) === y)) {
      throw new HolidayFileError(`声明了 ${y} 年的全年安排，却没有列出该年的任何放假日`);
    }
  }
  return { years, overrides };
}
