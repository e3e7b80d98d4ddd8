import cron, { ScheduledTask } from 'node-cron';
import type { Core, JobDefinition } from '../feature';
import type { Logger } from '../logging/logger';
import { JobStore } from './job-store';
import { JobRunner } from './job-runner';

export const JOBS_TIMEZONE = 'Asia/Shanghai';

export interface StartJobsOptions {
  runner?: JobRunner;
  /** Run slots missed while every replica was down (default: JOBS_CATCH_UP_HOURS > 0). */
  catchUp?: boolean;
}

/**
 * Starts every job on node-cron in Asia/Shanghai time, in this process. Each replica runs the
 * same schedule; the lease row of each slot (see JobRunner) lets one of them run it. At start,
 * a slot missed within JOBS_CATCH_UP_HOURS (all replicas down, or the one running it crashed)
 * is run late. Returns a function that stops the schedule.
 */
export function startJobs(core: Core, jobs: JobDefinition[], opts: StartJobsOptions = {}): () => void {
  const leaseMs = core.config.JOB_LEASE_SECONDS * 1000;
  const runner = opts.runner ?? new JobRunner(new JobStore(core.db), core.logger, leaseMs);
  const logger = cronLogger(core.logger);
  const tasks: ScheduledTask[] = [];
  let stopped = false;

  for (const job of jobs) {
    if (!cron.validate(job.cron)) {
      core.logger.error({ job: job.name, cron: job.cron }, `任务 ${job.name} 的时间表“${job.cron}”无效，未启动`);
      continue;
    }
    const task = cron.schedule(
      job.cron,
      async (ctx) => {
        if (stopped) return;
        // ctx.date is the slot (the same instant on every replica), the lease's key.
        await runner.runSlot(job, ctx.date, 'schedule', core.now());
      },
      { timezone: JOBS_TIMEZONE, name: `xinfang:${job.name}`, noOverlap: true, logger },
    );
    tasks.push(task);
  }
  if (jobs.length) core.logger.info({ jobs: jobs.map((j) => `${j.name} (${j.cron})`), replica: runner.id }, 'jobs scheduled');

  const window = core.config.JOBS_CATCH_UP_HOURS * 3600_000;
  if ((opts.catchUp ?? window > 0) && window > 0) {
    void (async () => {
      for (const job of jobs) {
        if (stopped) return;
        const slot = cron.validate(job.cron) ? previousSlot(job.cron, core.now(), window) : null;
        if (!slot) continue;
        try {
          const r = await runner.runSlot(job, slot, 'catch-up', core.now());
          if (r.ran) core.logger.warn({ job: job.name, slot: slot.toISOString(), outcome: r.outcome }, 'ran a missed job slot');
        } catch (err) {
          core.logger.error({ err, job: job.name }, 'catch-up failed');
        }
      }
    })();
  }

  return () => {
    stopped = true;
    for (const t of tasks) {
      void t.stop();
      void t.destroy();
    }
  };
}

/**
 * The latest slot of a five-field (minute) schedule at or before `now`, within `windowMs`; null
 * when there is none, and for second-level schedules (no catch-up for those).
 */
export function previousSlot(expression: string, now: Date, windowMs: number): Date | null {
  if (expression.trim().split(/\s+/).length !== 5) return null;
  const task = cron.createTask(expression, () => undefined, { timezone: JOBS_TIMEZONE });
  try {
    const start = Math.floor(now.getTime() / 60_000) * 60_000;
    for (let t = start; t >= now.getTime() - windowMs; t -= 60_000) {
      const d = new Date(t);
      if (task.match(d)) return d;
    }
    return null;
  } finally {
    void task.destroy();
  }
}

/** node-cron's own messages (missed executions, overlaps) into our log. */
function cronLogger(logger: Logger) {
  return {
    info: (m: string) => logger.info({ source: 'node-cron' }, m),
    warn: (m: string) => logger.warn({ source: 'node-cron' }, m),
    error: (m: string | Error, err?: Error) => logger.error({ source: 'node-cron', err: err ?? m }, String(m instanceof Error ? m.message : m)),
    debug: (m: string | Error) => logger.debug({ source: 'node-cron' }, String(m instanceof Error ? m.message : m)),
  };
}
