import type { Core, JobDefinition, LateSend } from '../platform/core/feature';
import { runTransaction } from '../platform/database/transaction';
import { isDuplicateKey } from '../platform/database/duplicate-key';
import { WorkingDays } from '../platform/calendar/domain/lenient-working-days';
import { addDays, shanghaiDate } from '../platform/calendar/domain/dates';
import { markLate } from '../platform/jobs/late-send';
import { isOfficeTime, taskStep, TASK_STEP_LABELS } from './domain/task-steps';
import type { ConsultationService } from './consultation-service';
import { ConsultationPeople } from './consultation-people';
import { taskView } from './consultation-views';
import { taskCard } from './consultation-cards';
import { sendTo } from './consultation-notices';
import { ownerTarget } from './consultation-minutes';

export interface TaskReminderResult {
  quiet: boolean;
  sent: number;
  messages: number;
}

/** How far ahead the scan reads open tasks: enough to cover a long holiday before a due date. */
const LOOK_AHEAD_DAYS = 14;

/**
 * The follow-up tasks' reminders: once when a task is about to fall due (1 working day before
 * through the day) and once when it is overdue, each to the task's owner, in office hours on
 * working days only (WORK_HOURS_START–WORK_HOURS_END). Each (task, step) is recorded under a
 * unique key in consultation_reminders, in the transaction that queues its message: a second
 * run, or a second replica, sends nothing again.
 */
export class ConsultationReminders {
  constructor(private readonly core: Core, private readonly meetings: ConsultationService) {}

  job(): JobDefinition {
    return {
      name: 'consultation-tasks',
      cron: '15 9-17 * * *',
      description: '会商任务提醒：到期前 1 个工作日与逾期时各提醒责任单位或责任人一次',
      run: async (now, ctx) => describe(await this.scan(now, ctx?.late)),
    };
  }

  async scan(now: Date, late?: LateSend): Promise<TaskReminderResult> {
    const days = new WorkingDays(this.core.calendar.calendar);
    const hours = { start: this.core.config.WORK_HOURS_START, end: this.core.config.WORK_HOURS_END };
    if (!isOfficeTime(now, days, hours)) return { quiet: true, sent: 0, messages: 0 };
    const today = shanghaiDate(now);
    const store = this.meetings.store;
    const tasks = await store.openTasksDueBy(addDays(today, LOOK_AHEAD_DAYS));
    const meetings = new Map((await store.byIds(tasks.map((t) => t.consultationId))).map((m) => [m.id, m]));
    const views = new Map((await this.meetings.views.views([...meetings.values()])).map((v) => [v.no, v]));
    const people = new ConsultationPeople(this.core);
    let sent = 0;
    let messages = 0;
    for (const t of tasks) {
      const step = taskStep(today, t.dueDate, days);
      const m = meetings.get(t.consultationId);
      if (!step || !m || m.status === 'cancelled') continue;
      const key = `task:${t.id}:${step}`;
      if (await store.reminderSent(key)) continue;
      const content = markLate(taskCard(views.get(m.no)!, await taskView(t, people), step), late);
      try {
        const n = await runTransaction(this.core.db, async (trx) => {
          const queued = await sendTo(this.core, trx, ownerTarget(t), content, `consultation:${m.no}:task:${t.id}:${step}`, now);
          await store.recordReminder(trx, { key, taskId: t.id, step, messages: queued }, now);
          return queued;
        });
        sent++;
        messages += n;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err; // another run recorded it first: its message stands
      }
    }
    return { quiet: false, sent, messages };
  }
}

function describe(r: TaskReminderResult): string {
  if (r.quiet) return '非工作时间，未发送会商任务提醒';
  return `会商任务提醒 ${r.sent} 项（${Object.values(TASK_STEP_LABELS).join('或')}），消息 ${r.messages} 条`;
}
