import type { Core } from '../platform/core/feature';
import type { User } from '../platform/directory/user-store';
import { runTransaction } from '../platform/database/transaction';
import { formatChineseDate, shanghaiDate, shanghaiTime } from '../platform/calendar/domain/dates';
import { ForbiddenError, NotFoundError, UserError } from '../platform/errors/user-error';
import { MEETING_KIND_LABELS } from './domain/consultation-labels';
import { parseMinutes } from './domain/minutes';
import type { MeetingView } from './domain/meeting-view';
import type { ConsultationService } from './consultation-service';
import type { NewTask, TaskRow } from './consultation-store';
import { ConsultationPeople } from './consultation-people';
import { taskView } from './consultation-views';
import { taskCard } from './consultation-cards';
import { sendTo } from './consultation-notices';

/** 会商纪要 (the 会商意见 and its follow-up tasks) and 任务完成. */
export class ConsultationMinutes {
  constructor(private readonly core: Core, private readonly meetings: ConsultationService) {}

  /**
   * Records the minutes of a meeting that has taken place (not one still ahead), its tasks with
   * their owners, and sends each owner its task card. Recording again is refused: the minutes
   * are the record of the meeting.
   */
  async record(args: string, actor: User, now: Date): Promise<{ view: MeetingView; tasks: number }> {
    const [noArg] = args.trim().split(/\s+/);
    if (!noArg) throw new UserError('请在“会商纪要”后写会商编号和会商意见，例如：会商纪要 HS2026-001 意见：…… 任务：县自然资源局 12月20日 完成测量');
    const m = await this.meetings.require(noArg);
    const today = shanghaiDate(now);
    if (m.status === 'cancelled') throw new UserError(`会商 ${m.no} 已取消，不能记录会商意见。`);
    if (m.status === 'held') throw new UserError(`会商 ${m.no} 的会商意见已经记录过，不能重复记录。`);
    if (m.date > today || (m.date === today && m.startTime > shanghaiTime(now))) throw new UserError(`会商 ${m.no} 定于${formatChineseDate(m.date)} ${m.startTime}召开，尚未召开，不能记录会商意见。`);
    const text = args.trim().slice(noArg.length).trim();
    const parsed = parseMinutes(text, today);
    if ('error' in parsed) throw new UserError(parsed.error);
    const people = new ConsultationPeople(this.core);
    const tasks: NewTask[] = [];
    for (const t of parsed.tasks) tasks.push({ ...(await people.taskOwner(t.owner)), dueDate: t.dueDate, content: t.content });
    // Read before the transaction, which then reads only through trx (SQLite has one connection).
    const base = await this.meetings.views.view(m);
    await people.label(actor.id);
    const count = await runTransaction(this.core.db, async (trx) => {
      await this.meetings.store.recordMinutes(trx, m.id, parsed.opinion, actor.id, now);
      await this.meetings.store.insertTasks(trx, m.id, tasks, now);
      await this.meetings.store.logEvent(trx, { consultationId: m.id, action: 'minutes', actorId: actor.id, detail: `记录会商意见，跟进任务 ${tasks.length} 项`, data: { tasks } }, now);
      const rows = await this.meetings.store.tasksOf([m.id], trx);
      for (const t of rows) {
        await sendTo(this.core, trx, ownerTarget(t), taskCard(base, await taskView(t, people)), `consultation:${m.no}:task:${t.id}`, now);
      }
      return rows.length;
    });
    const view = await this.meetings.views.view((await this.meetings.store.byNo(m.no))!);
    return { view, tasks: count };
  }

  /** The owner (a unit's user, the person named) marks a task done; an admin may too. */
  async done(taskId: number, user: User, now: Date): Promise<string> {
    const task = await this.meetings.store.task(taskId);
    if (!task) throw new NotFoundError(`没有编号为 ${taskId} 的会商任务`);
    const mine = task.ownerKind === 'unit' ? user.role === 'unit' && user.unit === task.owner : user.id === task.owner;
    if (!mine && user.role !== 'admin') throw new ForbiddenError('只有任务的责任单位或责任人（或管理员）可以标记完成。');
    const m = (await this.meetings.store.byIds([task.consultationId]))[0];
    const people = new ConsultationPeople(this.core);
    const tv = await taskView(task, people);
    if (task.status === 'done') return `任务${task.id}（${tv.content}）已经标记完成，无需重复操作。`;
    const done = await runTransaction(this.core.db, async (trx) => {
      const ok = await this.meetings.store.markTaskDone(trx, task.id, user.id, null, now);
      if (ok) await this.meetings.store.logEvent(trx, { consultationId: m.id, action: 'task_done', actorId: user.id, detail: `任务${task.id}完成：${task.content}` }, now);
      return ok;
    });
    if (!done) return `任务${task.id}已经标记完成，无需重复操作。`;
    return `已记录：${MEETING_KIND_LABELS[m.kind]} ${m.no} 的任务${task.id}（${tv.content}）已完成。`;
  }
}

/** Where a task's messages go: the unit (its group), or the person. */
export function ownerTarget(t: Pick<TaskRow, 'ownerKind' | 'owner'>): { kind: 'unit' | 'user'; id: string } {
  return { kind: t.ownerKind, id: t.owner };
}
