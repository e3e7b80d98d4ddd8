import type { Command } from 'commander';
import { formatShanghaiDateTime, SHANGHAI_OFFSET } from '../calendar/domain';
import { fromDbTime } from '../database/time';
import { CliUsageError } from '../errors/cli-usage-error';
import type { CliIO, CliRegistrar, Core, JobDefinition, LateSend } from '../core/feature';
import { JobRunner } from '../jobs/job-runner';
import { JobRun, JobStore } from '../jobs/job-store';
import { JOBS_TIMEZONE, nextSlot } from '../jobs/scheduler';
import { isLate, LATE_TOLERANCE_MS } from '../jobs/late-send';

/** '2025-10-09T09:00', '2025-10-09 09:00:00', with or without an offset (none: Shanghai wall clock). */
export function parseNowOption(s: string): Date {
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(s.trim());
  if (!m) throw new CliUsageError(`--now “${s}”无效，应为 ISO 日期时间，例如 2025-10-09T09:00（不带时区时按北京时间）或 2025-10-09T01:00Z`);
  const zone = m[5] ? (m[5] === 'Z' ? 'Z' : m[5].replace(/^([+-]\d{2})(\d{2})$/, '$1:$2')) : SHANGHAI_OFFSET;
  const d = new Date(`${m[1]}T${m[2]}${m[3] ?? ':00'}${zone}`);
  if (Number.isNaN(d.getTime()) || new Date(`${m[1]}T00:00:00Z`).toISOString().slice(0, 10) !== m[1]) {
    throw new CliUsageError(`--now “${s}”不是一个真实存在的时间`);
  }
  return d;
}

function shanghai(s: string | Date | null): string {
  const d = s instanceof Date ? s : fromDbTime(s);
  return d ? formatShanghaiDateTime(d) : '—';
}

const RUN_STATUS: Record<string, string> = { running: '运行中', ok: '成功', failed: '失败' };

function runStatus(r: JobRun, now: Date): string {
  if (r.status === 'running' && fromDbTime(r.leaseUntil)! < now) return '中断（租约已过期）';
  return RUN_STATUS[r.status] ?? r.status;
}

type JobsOf = (core: Core) => JobDefinition[];

/**
 * `xinfang jobs run|list`. The jobs are every capability's, as `npm start` schedules them: the CLI's
 * composition root hands them in, so this machinery needs to know no capability.
 */
export function registerJobsCli(jobsOf: JobsOf): CliRegistrar {
  return (program, openCore, io) => {
    const jobs = program.command('jobs').description('定时任务：期限提醒、日报、接访简报、月度统计、每周系统检查');
    registerRun(jobs, jobsOf, openCore, io);
    registerList(jobs, jobsOf, openCore, io);
  };
}

function registerRun(jobs: Command, jobsOf: JobsOf, openCore: () => Promise<Core>, io: CliIO): void {
  jobs
    .command('run <name>')
    .description('立即运行一个任务（可按 --now 指定的时刻运行，用于测试或补发）')
    .option('--now <ISO时间>', '按这一时刻运行，例如 2025-10-09T09:00（北京时间）')
    .option('--force', '允许 --now 早于或晚于当前时间：会真的发出消息并记为已发送；早于当前时间时每条消息标明“补发”')
    .action(async (name: string, o: { now?: string; force?: boolean }) => {
      const asOf = o.now ? parseNowOption(o.now) : null;
      const core = await openCore();
      const list = jobsOf(core);
      const job = list.find((j) => j.name === name);
      if (!job) throw new CliUsageError(`没有名为“${name}”的任务。可用任务：${list.map((j) => j.name).join('、') || '（无）'}`);
      const real = new Date();
      const late = asOf ? checkMoment(job, asOf, real, Boolean(o.force)) : undefined;
      if (asOf) core.now = () => asOf;
      const runner = new JobRunner(new JobStore(core.db), core.logger, core.config.JOB_LEASE_SECONDS * 1000);
      const when = asOf ?? core.now();
      const r = await runner.runManual(job, when, { late });
      const as = late ? `按 ${shanghai(when)} 计，补发于 ${shanghai(late.sentAt)}` : `按 ${shanghai(when)} 计`;
      if (r.status === 'failed') {
        io.err(`任务 ${name} 运行失败（${as}）：${r.outcome}\n`);
        io.setExitCode(1);
        return;
      }
      io.out(`任务 ${name} 已运行（${as}）：${r.outcome}\n`);
      if (late) io.out('本次发出的每条消息都标明了“【补发】”和原定发送时间。\n');
    });
}

/**
 * A --now away from the real clock sends real messages at the wrong moment: refused without
 * --force. In the future they would go out early and be marked sent, so the real run at that
 * time sends nothing; in the past they go out late, saying what was true then (“剩余 3 个工作日”
 * for a deadline long passed). With --force a past run is a 补发: returns how it is late.
 */
function checkMoment(job: JobDefinition, asOf: Date, real: Date, force: boolean): LateSend | undefined {
  if (asOf.getTime() > real.getTime() + LATE_TOLERANCE_MS && !force) {
    throw new CliUsageError(
      `--now ${shanghai(asOf)} 晚于当前时间。按未来时刻运行会立即真实发出消息并记为已发送，到那时正式运行将不再发送。` +
        '如确需如此，请加 --force。',
    );
  }
  if (!isLate(asOf, real)) return undefined;
  if (!force) {
    throw new CliUsageError(
      `--now ${shanghai(asOf)} 早于当前时间（${shanghai(real)}）。按过去的时刻运行，任务 ${job.name}（${job.description}）` +
        `会在现在才发出原定于 ${shanghai(asOf)} 的消息，其中的期限、剩余工作日、是否逾期都按那时计算，已经过时` +
        '（例如对早已届满的期限仍说“剩余 3 个工作日”）。未发送任何消息。\n' +
        '如确需补发，请加 --force：每条消息都会标明“【补发】本消息原定……发送，补发于……”。',
    );
  }
  return { dueAt: asOf, sentAt: real, contentAsOf: 'due' };
}

function registerList(jobs: Command, jobsOf: JobsOf, openCore: () => Promise<Core>, io: CliIO): void {
  jobs
    .command('list')
    .description('列出任务：时间表、上次运行与结果')
    .option('--json', '输出 JSON')
    .action(async (o: { json?: boolean }) => {
      const core = await openCore();
      const list = jobsOf(core);
      const last = await new JobStore(core.db).lastRuns(list.map((j) => j.name));
      const now = new Date();
      const entries = list.map((j) => jobEntry(j, last.get(j.name), now));
      if (o.json) return void io.out(`${JSON.stringify(entries, null, 2)}\n`);
      if (!entries.length) return void io.out('没有登记任何定时任务。\n');
      for (const e of entries) {
        const r = last.get(e.name);
        io.out(`${e.name}\t${e.schedule}（北京时间）\t${e.description}\n`);
        io.out(`  下次运行：${e.nextRun ? shanghai(new Date(e.nextRun)) : '—'}\n`);
        if (r) {
          const origin = r.origin === 'manual' ? '手动' : r.origin === 'catch-up' ? '补运行' : '定时';
          io.out(`  上次运行：${shanghai(r.startedAt)}（${origin}，按 ${shanghai(r.asOf)} 计）  ${runStatus(r, now)}  ${r.outcome ?? ''}\n`);
        } else {
          io.out('  上次运行：从未运行\n');
        }
      }
    });
}

/** A job as `jobs list --json` prints it: its schedule, next slot and last run. */
function jobEntry(j: JobDefinition, r: JobRun | undefined, now: Date) {
  const next = nextSlot(j.cron);
  return {
    name: j.name,
    schedule: j.cron,
    timezone: JOBS_TIMEZONE,
    description: j.description,
    nextRun: next ? next.toISOString() : null,
    lastRun: r
      ? {
          startedAt: fromDbTime(r.startedAt)!.toISOString(),
          finishedAt: r.finishedAt ? fromDbTime(r.finishedAt)!.toISOString() : null,
          asOf: fromDbTime(r.asOf)!.toISOString(),
          origin: r.origin,
          status: r.status === 'running' && fromDbTime(r.leaseUntil)! < now ? 'abandoned' : r.status,
          outcome: r.outcome,
          replica: r.owner.replace(/#\d+$/, ''),
        }
      : null,
  };
}
