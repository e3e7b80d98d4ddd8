import { formatShanghaiDateTime } from '../platform/calendar/domain/dates';
import { DEADLINE_LABELS, DeadlineKind } from '../cases';
import { stepLabel } from './domain/reminder-steps';
import type { CliRegistrar } from '../platform/core/feature';
import { fromDbTime } from '../platform/database/time';
import { ReminderStore } from './reminder-store';
import { DisputeReminderStore } from './dispute-reminder-store';
import { DisputeQueries } from '../disputes';

function shanghai(s: string | Date | null): string {
  const d = s instanceof Date ? s : fromDbTime(s);
  return d ? formatShanghaiDateTime(d) : '—';
}

const REMINDER_STATUS: Record<string, string> = { queued: '待发送', sent: '已发送', failed: '发送失败' };

const DISPUTE_DEADLINE_LABEL = '矛盾纠纷化解期限';

/**
 * `xinfang reminders list`: the reminders recorded, with their case, deadline, step, due time and
 * state; then the reminders of the disputes' target dates (类型 矛盾纠纷, by dispute number).
 */
export const registerRemindersCli: CliRegistrar = (program, openCore, io) => {
  program
    .command('reminders')
    .description('期限提醒记录')
    .command('list')
    .description('列出已记录的提醒：案件或矛盾纠纷编号、期限、步骤、应发时间、状态')
    .option('--json', '输出 JSON')
    .action(async (o: { json?: boolean }) => {
      const core = await openCore();
      const list = await new ReminderStore(core.db).list();
      const disputes = await new DisputeReminderStore(core.db).listWithStatus();
      const disputeNos = await new DisputeQueries(core.db).numbersById(disputes.map((r) => r.disputeId));
      if (o.json) {
        const out: Array<Record<string, unknown>> = list.map((r) => ({
          id: r.id,
          type: 'case',
          typeLabel: '信访件',
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
        for (const r of disputes) {
          out.push({
            id: r.id, type: 'dispute', typeLabel: '矛盾纠纷', disputeNo: disputeNos.get(r.disputeId) ?? null, kind: 'target', kindLabel: DISPUTE_DEADLINE_LABEL,
            dueDate: r.targetDate, step: r.step, stepLabel: stepLabel(r.step), stepDate: r.stepDate, level: r.level,
            dueAt: fromDbTime(r.dueAt)!.toISOString(), queuedAt: fromDbTime(r.queuedAt)!.toISOString(), recipients: r.recipients, status: r.status,
          });
        }
        return void io.out(`${JSON.stringify(out, null, 2)}\n`);
      }
      if (!list.length && !disputes.length) return void io.out('还没有记录任何提醒。\n');
      for (const r of list) {
        const to = r.recipients.map((x) => x.role).filter((v, i, a) => a.indexOf(v) === i).join('+');
        io.out(
          `${r.caseNo}\t${DEADLINE_LABELS[r.kind as DeadlineKind] ?? r.kind}（${r.dueDate}）\t${stepLabel(r.step)}\t${shanghai(r.dueAt)}\t${REMINDER_STATUS[r.status]}\t${to}\n`,
        );
      }
      for (const r of disputes) {
        const to = r.recipients.map((x) => x.role).filter((v, i, a) => a.indexOf(v) === i).join('+');
        const no = disputeNos.get(r.disputeId) ?? `#${r.disputeId}`;
        io.out(`${no}\t${DISPUTE_DEADLINE_LABEL}（${r.targetDate}）\t${stepLabel(r.step)}\t${shanghai(r.dueAt)}\t${REMINDER_STATUS[r.status]}\t${to}\t类型：矛盾纠纷\n`);
      }
    });
};
