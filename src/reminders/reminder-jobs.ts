import type { Core, JobDefinition } from '../platform/core/feature';
import { DigestService } from './digest-service';
import { ReminderService } from './reminder-service';

/** 'HH:MM' -> the node-cron expression for that time every day. */
export function dailyAt(time: string): string {
  const [h, m] = time.split(':').map(Number);
  return `${m} ${h} * * *`;
}

/** The deadline jobs: the reminder scan and the bureau's morning digest. */
export function reminderJobs(core: Core): JobDefinition[] {
  const reminders = new ReminderService(core);
  const digest = new DigestService(core);
  return [
    {
      name: 'reminders',
      cron: core.config.REMINDERS_CRON,
      description: '期限提醒：到期前、到期当日与逾期每个工作日提醒承办单位，逾期升级',
      // ctx.late: a 补发 (jobs run --now <past> --force, or a late catch-up): every card says so.
      run: async (now, ctx) => ReminderService.describe(await reminders.scan(now, {}, ctx?.late)),
    },
    {
      name: 'digest',
      cron: dailyAt(core.config.DIGEST_TIME),
      description: '每个工作日上午向信访局群发送期限日报',
      run: async (now, ctx) => (await digest.run(now, ctx?.late)).reason,
    },
  ];
}
