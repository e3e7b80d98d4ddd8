import fs from 'node:fs/promises';
import { Option } from 'commander';
import { CliUsageError } from '../platform/errors/cli-usage-error';
import { shanghaiDate } from '../platform/calendar/domain';
import { parsePeriod, periodError } from './domain/metrics';
import { statsReportText } from './domain/report-text';
import type { CliRegistrar, FeatureFactory } from '../platform/core/feature';
import { registerStatsCommands } from './stats-commands';
import { lastMonth, StatsService } from './stats-service';
import { buildStatsWorkbook } from './stats-workbook';
import { registerAnnualReportCommands } from './annual-report-commands';
import { registerAnnualReportCli } from './annual-report-cli';

/** Statistics: the 统计 command, `xinfang stats`, and the monthly report job. */
export const createStatsFeature: FeatureFactory = (core) => ({
  name: 'stats',
  registerBot: (router) => {
    registerStatsCommands(router, core);
    registerAnnualReportCommands(router, core);
  },
  jobs: () => [
    {
      name: 'stats-monthly',
      cron: '0 9 1 * *',
      description: '每月 1 日 9:00 向信访局群发送上月统计',
      run: async (now, ctx) => {
        const { period, key } = lastMonth(shanghaiDate(now));
        const r = await new StatsService({ ...core, now: () => now }).sendReport(period, key, ctx?.late);
        return { sent: `已发送 ${period.label} 统计`, already: `${period.label} 统计已发送过`, 'no-chat': '没有登记信访局群（chats add --role bureau），未发送' }[r];
      },
    },
  ],
});

export const registerStatsCli: CliRegistrar = (program, openCore, io) => {
  registerAnnualReportCli(program, openCore, io);
  program
    .command('stats')
    .description('统计：登记数、及时受理率、按期办结率、化解率等（时间段：本月、上月、本季度、今年、2026、2026-10、2026Q3、2026年第三季度、2026-03-05..2026-04-08）')
    .addOption(new Option('--period <时间段>', '时间段').default('本月'))
    .option('--json', '输出 JSON（比率为 0–1 的小数）')
    .option('--xlsx <文件>', '另存为 Excel 工作簿（汇总表和各分类表）')
    .action(async (o: { period: string; json?: boolean; xlsx?: string }) => {
      const core = await openCore();
      const today = shanghaiDate(core.now());
      const period = parsePeriod(o.period, today);
      if (!period) throw new CliUsageError(`时间段无效：${periodError(o.period, today)}`);
      const report = await new StatsService(core).report(period);
      if (o.xlsx) {
        try {
          await fs.writeFile(o.xlsx, await buildStatsWorkbook(report));
        } catch (e) {
          throw new CliUsageError(`无法写入文件“${o.xlsx}”：${(e as NodeJS.ErrnoException).code === 'ENOENT' ? '目录不存在' : '没有写入权限或路径无效'}`);
        }
      }
      io.out(o.json ? `${JSON.stringify(report, null, 2)}\n` : statsReportText(report));
      if (o.xlsx && !o.json) io.out(`已写入 Excel：${o.xlsx}\n`);
    });
};
