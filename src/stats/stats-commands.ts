import { shanghaiDate } from '../platform/calendar/domain';
import { parsePeriod, periodError } from './domain/metrics';
import { UserError } from '../platform/errors/user-error';
import type { Core } from '../platform/core/feature';
import { StatsService } from './stats-service';
import type { Context, Router } from '../platform/chat/router';
import { card, Outgoing, text } from '../platform/chat/messages';
import { buildStatsCard } from './stats-cards';
import { buildStatsWorkbook, statsWorkbookName, XLSX_MIME } from './stats-workbook';
import type { StatsPeriod } from './domain/stats-report';

const EXPORT_ROLES: Array<Context['user']['role']> = ['admin', 'staff'];
const EXPORT_WORD = /^导出(?=$|[\s:：,，\d本上今去])/;

/** The period the words name (本月 when none), or the reason in Chinese with the forms that work. */
function periodOf(args: string, now: Date): StatsPeriod {
  const today = shanghaiDate(now);
  const words = args.trim() || '本月';
  const period = parsePeriod(words, today);
  if (period) return period;
  throw new UserError(periodError(words, today) ?? `看不懂时间段“${words}”。`);
}

/**
 * 统计 [时间段]: the statistics card (figures and charts) for admin, staff and leaders;
 * 统计 导出 [时间段]: the same figures as an Excel workbook, for admin and staff.
 */
export function registerStatsCommands(router: Router, core: Core): void {
  const stats = new StatsService(core);

  const exportWorkbook = async (args: string, now: Date): Promise<Outgoing[]> => {
    const report = await stats.report(periodOf(args, now));
    const name = statsWorkbookName(report);
    const base64 = (await buildStatsWorkbook(report)).toString('base64');
    return [
      text(`${report.period.label}统计已导出为 Excel（登记 ${report.registered} 件，汇总表和各分类表），文件：${name}`),
      { type: 'file', name, mime: XLSX_MIME, base64 },
    ];
  };

  router.command(
    { names: ['统计', '信访统计'], help: '查看登记数、四项比率、各台账数字和图表', example: '统计 2026年第三季度', roles: ['admin', 'staff', 'leader'], group: '统计', glued: true },
    async (ctx) => {
      if (EXPORT_WORD.test(ctx.args)) {
        if (!EXPORT_ROLES.includes(ctx.user.role)) throw new UserError('导出 Excel 只限管理员和登记员。可以发“统计 本月”查看统计卡片。');
        return exportWorkbook(ctx.args.replace(/^导出/, ''), ctx.now);
      }
      return [card(buildStatsCard(await stats.report(periodOf(ctx.args, ctx.now))))];
    },
  );
  router.command(
    { names: ['统计导出', '统计 导出', '导出统计'], help: '把统计导出为 Excel 文件（汇总表和各分类表）', example: '统计 导出 2026', roles: EXPORT_ROLES, group: '统计', glued: true },
    async (ctx) => exportWorkbook(ctx.args, ctx.now),
  );
}
