import { formatChineseDate, shanghaiDate, type IsoDate } from '../../platform/calendar/domain';
import type { Core } from '../../platform/core/feature';
import type { StatsReport } from '../domain/stats-report';
import { yearPeriod } from '../domain/periods';
import { StatsService } from '../stats-service';
import { buildAnnualReportDocx, annualReportFileName } from '../annual-report';
import { annualReportText } from './annual-report-text';

/** The oldest year a report may be asked for (the figures begin with the bot). */
const FIRST_YEAR = 2000;

/**
 * Why a year cannot have an annual report, in Chinese, or null when it can: a four-digit year, not
 * after this one (this year's draft is written with the figures so far and says so).
 */
export function annualYearError(input: string, today: IsoDate): string | null {
  const t = input.trim().replace(/年$/, '');
  const thisYear = Number(today.slice(0, 4));
  if (!/^\d{4}$/.test(t)) return `年份“${input.trim()}”无效，请写四位数的年份，如 ${thisYear - 1}`;
  const y = Number(t);
  if (y < FIRST_YEAR) return `年份 ${y} 太早，最早可写 ${FIRST_YEAR} 年`;
  if (y > thisYear) return `${y}年还没有到，最晚可写 ${thisYear} 年`;
  return null;
}

/** The year 年度报告 writes when none is given: last year until the end of February, then this year. */
export function defaultReportYear(today: IsoDate): number {
  const [y, m] = today.split('-').map(Number);
  return m < 3 ? y - 1 : y;
}

export interface AnnualReportFile {
  name: string;
  docx: Buffer;
  report: StatsReport;
  placeholders: string[];
  filled: string[];
}

/** Reads the year's figures from the ledgers (or takes them, for tests) and writes the draft. */
export type ReportSource = (core: Core, year: number) => Promise<StatsReport>;

export const statsReportOfYear: ReportSource = (core, year) => new StatsService(core).report(yearPeriod(year));

export async function annualReportFile(core: Core, year: number, source: ReportSource = statsReportOfYear): Promise<AnnualReportFile> {
  const report = await source(core, year);
  const opts = { orgName: core.config.LETTER_ORG_NAME, year, date: shanghaiDate(core.now()) };
  const text = annualReportText(report, opts);
  return {
    name: annualReportFileName(opts.orgName, year),
    docx: await buildAnnualReportDocx(report, opts),
    report,
    placeholders: text.placeholders,
    filled: text.filled,
  };
}

/** What the bot says of a draft it has written: what is filled and how much is left. */
export function annualReportSummary(f: AnnualReportFile, year: number): string {
  const lines = [`已生成${year}年法治政府建设年度报告（信访工作部分）草稿：${f.name}`];
  if (f.filled.length) lines.push(`已按系统数据填写：${f.filled.join('、')}。`);
  lines.push(
    f.placeholders.length
      ? `还有 ${f.placeholders.length} 处标黄的【待填写】（系统没有的数据，如培训班期数、宣传资料份数），请补充后再上报。`
      : '没有待填写的内容。',
  );
  if (f.report.asOf < f.report.period.to) lines.push(`注意：${year}年尚未结束，数据截至${formatChineseDate(f.report.asOf, false)}。`);
  return lines.join('\n');
}
