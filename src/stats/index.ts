import { Option } from 'commander';
import { CliUsageError } from '../platform/errors/cli-usage-error';
import { shanghaiDate } from '../platform/calendar/domain';
import { formatRate, parsePeriod } from './domain/metrics';
import type { CliRegistrar, FeatureFactory } from '../platform/core/feature';
import { registerStatsCommands } from './stats-commands';
import { lastMonth, StatsService } from './stats-service';

/** Statistics: the 统计 command, `xinfang stats`, and the monthly report job. */
export const createStatsFeature: FeatureFactory = (core) => ({
  name: 'stats',
  registerBot: (router) => registerStatsCommands(router, core),
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
  program
    .command('stats')
    .description('统计：登记数、及时受理率、按期办结率（时间段：本月、上月、今年、2026、2026-10）')
    .addOption(new Option('--period <时间段>', '时间段').default('本月'))
    .option('--json', '输出 JSON')
    .action(async (o: { period: string; json?: boolean }) => {
      const core = await openCore();
      const period = parsePeriod(o.period, shanghaiDate(core.now()));
      if (!period) throw new CliUsageError(`时间段“${o.period}”无效，可用：本月、上月、今年、2026、2026-10`);
      const s = await new StatsService(core).compute(period);
      if (o.json) return void io.out(`${JSON.stringify(s, null, 2)}\n`);
      io.out(`${s.period.label}（${s.period.from} 至 ${s.period.to}）\n`);
      io.out(`登记 ${s.registered} 件，其中集体访 ${s.groupVisits} 件，重复信访 ${s.repeatPetitions} 件，办结 ${s.concluded} 件\n`);
      io.out(`及时受理率 ${formatRate(s.timelyDecision)}\n按期办结率 ${formatRate(s.timelyConclusion)}\n`);
    });
};
