import { card } from '../chat/messages';
import type { Core, Feature } from '../core/feature';
import { reportCard } from './doctor-format';
import { DoctorService } from './doctor-service';
import { doctorWeeklyJob } from './doctor-weekly';

/**
 * 系统检查 (admins), the weekly holiday reminder, and the findings in the server log at start.
 * Built by the composition root from the other features, whose `diagnose` it collects.
 */
export function createDoctorFeature(core: Core, features: Feature[]): Feature {
  const service = new DoctorService(core, features);
  return {
    name: 'doctor',
    registerBot: (router) => {
      router.command(
        {
          names: ['系统检查'], roles: ['admin'], group: '管理',
          help: '检查会让机器人悄悄出错的设置：节假日数据、升级提醒的局长、群聊、接访领导、飞书、日历订阅',
        },
        async (ctx) => [card(reportCard(await service.run(ctx.now)))],
      );
    },
    jobs: () => [doctorWeeklyJob(core)],
    // Not awaited: the Lark check may take seconds, and the server need not wait for it.
    start: async () => {
      service.logAtStart().catch((err) => core.logger.error({ err }, 'doctor at start failed'));
    },
  };
}
