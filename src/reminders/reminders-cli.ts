import { formatShanghaiDateTime } from '../platform/calendar/domain/dates';
import { DEADLINE_LABELS, DeadlineKind } from '../cases';
import { stepLabel } from './domain/reminder-steps';
import type { CliRegistrar } from '../platform/core/feature';
import { fromDbTime } from '../platform/database/time';
import { ReminderStore } from './reminder-store';

function shanghai(s: string | Date | null): string {
  const d = s instanceof Date ? s : fromDbTime(s);
  return d ? formatShanghaiDateTime(d) : '—';
}

const REMINDER_STATUS: Record<string, string> = { queued: '待发送', sent: '已发送', failed: '发送失败' };

/** `xinfang reminders list`: the reminders recorded, with their case, deadline, step, due time and state. */
export const registerRemindersCli: CliRegistrar = (program, openCore, io) => {
  program
    .command('reminders')
    .description('期限提醒记录')
    .command('list')
    .description('列出已记录的提醒：案件编号、期限、步骤、应发时间、状态')
    .option('--json', '输出 JSON')
    .action(async (o: { json?: boolean }) => {
      const core = await openCore();
      const list = await new ReminderStore(core.db).list();
      if (o.json) {
        const out = list.map((r) => ({
          id: r.id,
          caseNo: r.caseNo,
          kind: r.kind,
          kindLabel: DEADLINE_LABELS[r.kind as DeadlineKind] ?? r.kind,
          dueDate: r.dueDate,
          step: r.step,
          stepLabel: stepLabel(r.step),
          stepDate: r.stepDate,
          level: r.level,
          dueAt: fromDbTime(r.dueAt)!.toISOString(),
          queuedAt: fromDbTime(r.queuedAt)!.toISOString(),
          recipients: r.recipients,
          status: r.status,
        }));
        return void io.out(`${JSON.stringify(out, null, 2)}\n`);
      }
      if (!list.length) return void io.out('还没有记录任何提醒。\n');
      for (const r of list) {
        const to = r.recipients.map((x) => x.role).filter((v, i, a) => a.indexOf(v) === i).join('+');
        io.out(
          `${r.caseNo}\t${DEADLINE_LABELS[r.kind as DeadlineKind] ?? r.kind}（${r.dueDate}）\t${stepLabel(r.step)}\t${shanghai(r.dueAt)}\t${REMINDER_STATUS[r.status]}\t${to}\n`,
        );
      }
    });
};
