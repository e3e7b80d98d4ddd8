import type { HolidayData } from './holiday-calendar';

/**
 * The State Council arrangements as packaged by chinese-days (2004–2026 at the pinned version).
 * chinese-days itself answers for any year, treating an unknown one as plain weekdays; we read
 * its data file instead, so that we know which years it really covers.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const raw = require('chinese-days/dist/chinese-days.json') as {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
};

const NAME_ZH = /,([^,]+),/;

export function chineseDaysData(): HolidayData {
  const years = new Set<number>();
  const names: Record<string, string> = {};
  for (const [d, label] of Object.entries(raw.holidays)) {
    years.add(Number(d.slice(0, 4)));
    const zh = NAME_ZH.exec(label)?.[1];
    if (zh) names[d] = zh;
  }
  for (const d of Object.keys(raw.workdays)) years.add(Number(d.slice(0, 4)));
  return {
    years: [...years].sort((a, b) => a - b),
    holidays: Object.keys(raw.holidays),
    workdays: Object.keys(raw.workdays),
    names,
  };
}
