import type { CliRegistrar, Core, Feature } from '../core/feature';
import { parseNowOption } from '../cli/jobs-cli';
import { reportJson, reportLines } from './doctor-format';
import { DoctorService } from './doctor-service';

/**
 * `xinfang doctor [--json] [--now ISO]`: what would make the bot silently wrong, each with its
 * fix; exit 0 when all is well, 1 when something needs doing. The features (whose `diagnose`
 * it runs) are handed in by the CLI's composition root.
 */
export function registerDoctorCli(featuresOf: (core: Core) => Feature[]): CliRegistrar {
  return (program, openCore, io) => {
    program
      .command('doctor')
      .description('系统检查：节假日数据、升级提醒的局长、群聊、发件箱、接访领导、飞书、日历订阅；一切正常退出码 0，否则 1')
      .option('--json', '输出 JSON')
      .option('--now <ISO时间>', '按这一时刻检查，例如 2026-11-01T09:00（北京时间）')
      .action(async (o: { json?: boolean; now?: string }) => {
        const asOf = o.now ? parseNowOption(o.now) : null;
        const core = await openCore();
        if (asOf) core.now = () => asOf;
        const report = await new DoctorService(core, featuresOf(core)).run(core.now());
        if (o.json) io.out(`${JSON.stringify(reportJson(report), null, 2)}\n`);
        else io.out(`${reportLines(report).join('\n')}\n`);
        io.setExitCode(report.findings.length ? 1 : 0);
      });
  };
}
