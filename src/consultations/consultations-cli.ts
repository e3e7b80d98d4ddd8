import type { Command } from 'commander';
import { isCaseNo } from '../cases';
import { CliUsageError } from '../platform/errors/cli-usage-error';
import { UserError } from '../platform/errors/user-error';
import type { CliIO, CliRegistrar, Core } from '../platform/core/feature';
import { MEETING_KINDS, type MeetingKind } from './domain/consultation-labels';
import { parseMeetingText, splitNames } from './domain/meeting-request';
import type { MeetingView } from './domain/meeting-view';
import { ConsultationService } from './consultation-service';
import { ConsultationMinutes } from './consultation-minutes';
import { ConsultationChanges } from './consultation-changes';

type Open = () => Promise<Core>;

/** The acting user of a CLI command: --by, which must be staff or admin. */
async function actor(core: Core, by: string | undefined) {
  if (!by) throw new CliUsageError('请用 --by 指明操作人（登记员或管理员的用户编号）');
  const u = await core.users.get(by);
  if (!u || (u.role !== 'staff' && u.role !== 'admin')) throw new CliUsageError(`--by ${by}：没有这个登记员或管理员`);
  return u;
}

function json(v: MeetingView) {
  return {
    no: v.no, kind: v.kindLabel, subject: v.subject, case: v.caseLine, dispute: v.disputeNo, date: v.date, when: v.when, place: v.place,
    status: v.statusLabel, thirdParties: v.thirdParties,
    invitees: v.invitees.map((i) => ({ kind: i.kind, name: i.label, reply: i.replyLabel, reason: i.reason })),
    minutes: v.minutes, tasks: v.tasks.map((t) => ({ id: t.id, owner: t.ownerLabel, dueDate: t.dueDate, content: t.content, done: t.done })),
  };
}

function line(v: MeetingView): string {
  const replies = v.invitees.map((i) => `${i.label}:${i.replyLabel}`).join('、');
  return `${v.no}\t${v.kindLabel}\t${v.when}\t${v.place}\t${v.statusLabel}\t${v.subject}\t${replies}`;
}

/** Runs a service call; a refusal in Chinese exits 2 like a usage error. */
async function guarded<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof UserError) throw new CliUsageError(err.message);
    throw err;
  }
}

/** `xinfang consultations add|list|show|minutes|move|cancel [--json]`. */
export const registerConsultationsCli: CliRegistrar = (program, openCore, io) => {
  const cmd = program.command('consultations').description('疑难复杂问题会商与联席会议');
  registerAdd(cmd, openCore, io);
  registerChanges(cmd, openCore, io);
  cmd.command('list').description('列出会商').option('--from <日期>', 'YYYY-MM-DD').option('--to <日期>', 'YYYY-MM-DD').option('--json', '输出 JSON')
    .action(async (o: { from?: string; to?: string; json?: boolean }) => {
      const list = await new ConsultationService(await openCore()).list({ from: o.from, to: o.to });
      if (o.json) return void io.out(`${JSON.stringify(list.map(json), null, 2)}\n`);
      if (!list.length) return void io.out('没有会商安排。\n');
      for (const v of list) io.out(`${line(v)}\n`);
      io.out(`共 ${list.length} 次\n`);
    });
  cmd.command('show <编号>').description('一次会商的详情').option('--json', '输出 JSON')
    .action(async (no: string, o: { json?: boolean }) => {
      const v = await guarded(async () => new ConsultationService(await openCore()).show(no));
      io.out(o.json ? `${JSON.stringify(json(v), null, 2)}\n` : `${line(v)}\n${v.minutes ? `会商意见：${v.minutes}\n` : ''}${v.tasks.map((t) => `任务${t.id}\t${t.ownerLabel}\t${t.dueDate}\t${t.statusLabel}\t${t.content}\n`).join('')}`);
    });
  cmd.command('minutes <编号> <内容>').description('记录会商意见；“任务：责任单位 日期 内容”另起一段').requiredOption('--by <用户>', '操作人').option('--json', '输出 JSON')
    .action(async (no: string, text: string, o: { by: string; json?: boolean }) => {
      const core = await openCore();
      const who = await actor(core, o.by);
      const r = await guarded(() => new ConsultationMinutes(core, new ConsultationService(core)).record(`${no} ${text}`, who, core.now()));
      io.out(o.json ? `${JSON.stringify(json(r.view), null, 2)}\n` : `已记录 ${r.view.no} 的会商意见，跟进任务 ${r.tasks} 项\n`);
    });
};

function registerAdd(cmd: Command, openCore: Open, io: CliIO): void {
  cmd.command('add').description('安排会商（与领导接访、请假冲突时不保存，除非 --force）')
    .requiredOption('--date <日期>', '12月8日、下周三、2026-12-08').requiredOption('--time <时间>', '上午、下午、14:30、9:00-11:00')
    .requiredOption('--place <地点>', '地点').option('--case <编号>', '案件编号').option('--dispute <编号>', '矛盾纠纷编号').option('--subject <事项>', '会商事项')
    .option('--leaders <姓名>', '参会领导，顿号分隔').option('--units <单位>', '参会单位，顿号分隔').option('--third-parties <名称>', '第三方力量')
    .option('--kind <类型>', `consultation（会商）或 joint（联席会议）`, 'consultation').option('--force', '时间冲突仍然安排').requiredOption('--by <用户>', '操作人').option('--json', '输出 JSON')
    .action(async (o: Record<string, string | boolean | undefined>) => {
      if (!(MEETING_KINDS as readonly string[]).includes(String(o.kind))) throw new CliUsageError(`--kind 应为 ${MEETING_KINDS.join(' 或 ')}`);
      const core = await openCore();
      const who = await actor(core, o.by as string);
      const s = (k: string) => (typeof o[k] === 'string' ? (o[k] as string) : null);
      const req = { ...parseMeetingText('', isCaseNo), caseNo: s('case'), disputeNo: s('dispute'), subject: s('subject'), dateWord: s('date'), timeWord: s('time'), place: s('place'),
        leaders: splitNames(s('leaders') ?? ''), units: splitNames(s('units') ?? ''), thirdParties: splitNames(s('thirdParties') ?? '') };
      const r = await guarded(() => new ConsultationService(core).schedule(o.kind as MeetingKind, req, who, core.now(), Boolean(o.force)));
      if (r.kind === 'conflict') {
        io.err(`时间冲突，未保存（确需安排请加 --force）：\n${r.conflicts.map((c) => `  ${c.leader}：${c.what}`).join('\n')}\n`);
        return void io.setExitCode(1);
      }
      io.out(o.json ? `${JSON.stringify(json(r.view), null, 2)}\n` : `已安排 ${r.view.no}：${r.view.when} ${r.view.place}，邀请 ${r.invited} 条\n${r.warnings.map((w) => `⚠️ ${w}\n`).join('')}`);
    });
}

/** `consultations move <编号> --date --time [--place] [--force]` and `consultations cancel <编号> <原因>`. */
function registerChanges(cmd: Command, openCore: Open, io: CliIO): void {
  cmd.command('move <编号>').description('调整会商的时间或地点（与领导接访、请假冲突时不调整，除非 --force）')
    .option('--date <日期>', '新的日期').option('--time <时间>', '新的时间').option('--place <地点>', '新的地点')
    .option('--force', '时间冲突仍然调整').requiredOption('--by <用户>', '操作人').option('--json', '输出 JSON')
    .action(async (no: string, o: { date?: string; time?: string; place?: string; force?: boolean; by: string; json?: boolean }) => {
      const core = await openCore();
      const who = await actor(core, o.by);
      const changes = new ConsultationChanges(core, new ConsultationService(core));
      const words = [no, o.date, o.time, o.place ? `地点：${o.place}` : ''].filter(Boolean).join(' ');
      const r = await guarded(() => changes.move(words, who, core.now(), Boolean(o.force)));
      if (r.kind === 'conflict') {
        io.err(`时间冲突，未调整（确需调整请加 --force）：\n${r.conflicts.map((c) => `  ${c.leader}：${c.what}`).join('\n')}\n`);
        return void io.setExitCode(1);
      }
      io.out(o.json ? `${JSON.stringify(json(r.view), null, 2)}\n` : `已调整 ${r.view.no}：${r.view.when} ${r.view.place}，重新通知 ${r.invited} 条\n${r.warnings.map((w) => `⚠️ ${w}\n`).join('')}`);
    });
  cmd.command('cancel <编号> <原因>').description('取消尚未召开的会商并通知参会人').requiredOption('--by <用户>', '操作人').option('--json', '输出 JSON')
    .action(async (no: string, reason: string, o: { by: string; json?: boolean }) => {
      const core = await openCore();
      const who = await actor(core, o.by);
      const v = await guarded(() => new ConsultationChanges(core, new ConsultationService(core)).cancel(`${no} ${reason}`, who, core.now()));
      io.out(o.json ? `${JSON.stringify(json(v), null, 2)}\n` : `已取消 ${v.no}，已通知参会领导和单位\n`);
    });
}
