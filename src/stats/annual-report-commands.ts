import type { Router } from '../platform/chat/router';
import { text, type Outgoing } from '../platform/chat/messages';
import { shanghaiDate } from '../platform/calendar/domain';
import type { Core } from '../platform/core/feature';
import { DOCX_MIME } from './annual-report';
import { annualReportFile, annualReportSummary, annualYearError, defaultReportYear, type ReportSource, statsReportOfYear } from './report/annual-report-service';

/**
 * 年度报告 [年份] (admin): the .docx draft of the 信访 sections of the year's 法治政府建设年度报告,
 * and a line saying what the bot filled and how many placeholders are left. Without a year: last
 * year until the end of February, then this year.
 */
export function registerAnnualReportCommands(router: Router, core: Core, source: ReportSource = statsReportOfYear): void {
  router.command(
    {
      names: ['年度报告', '年报'],
      help: '生成本年度（1、2 月为上一年度）法治政府建设年度报告信访工作部分的 Word 草稿',
      example: '年度报告 2026',
      roles: ['admin'],
      group: '统计',
    },
    async (ctx): Promise<Outgoing[]> => {
      const today = shanghaiDate(ctx.now);
      const words = ctx.args.trim();
      const problem = words ? annualYearError(words, today) : null;
      if (problem) return [text(`${problem}。例如：年度报告 ${defaultReportYear(today)}`)];
      const year = words ? Number(words.replace(/年$/, '')) : defaultReportYear(today);
      const f = await annualReportFile(core, year, source);
      return [text(annualReportSummary(f, year)), { type: 'file', name: f.name, mime: DOCX_MIME, base64: f.docx.toString('base64') }];
    },
  );
}
