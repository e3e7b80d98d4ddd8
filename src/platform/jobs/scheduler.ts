import { Cron } from 'croner';
import cron, { ScheduledTask } from 'node-cron';
import { SHANGHAI_TIME_ZONE } from '../calendar/domain';
import type { Core, JobDefinition } from '../core/feature';
import type { Logger } from '../logging/logger';
import { JobStore } from './job-store';
import { JobRunner } from './job-runner';
import { isLate } from './late-send';

export const JOBS_TIMEZONE = SHANGHAI_TIME_ZONE;

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
 *
 * What a catch-up sends: the job runs as of the real clock, not as of the missed slot, so what
 * it says is true when it is read (remaining working days counted from today, today's digest,
 * briefings only for sessions not begun) — never a stale "剩余 3 个工作日". A catch-up more than
 * LATE_TOLERANCE_MS after its slot also marks each message 【补发】 with the slot's time
 * (late-send.ts, contentAsOf 'sent'); one within the tolerance (a quick restart) is on time.
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
        const slot = previousSlot(job.cron, core.now(), window);
        if (!slot) continue;
        try {
          const now = core.now();
          const late = isLate(slot, now) ? { dueAt: slot, sentAt: now, contentAsOf: 'sent' as const } : undefined;
          const r = await runner.runSlot(job, slot, 'catch-up', now, { late });
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
 * A job's schedule as croner reads it, to look back and ahead (node-cron runs the jobs but only
 * looks ahead): Asia/Shanghai, and day of month AND day of week when both are given, as
 * node-cron matches them. Null when either library cannot read the expression.
 */
function readSchedule(expression: string): Cron | null {
  if (!cron.validate(expression)) return null;
  try {
    return new Cron(expression, { timezone: JOBS_TIMEZONE, domAndDow: true, paused: true });
  } catch {
    return null;
  }
}

/**
 * The latest slot of a five-field (minute) schedule at or before `now`, within `windowMs`; null
 * when there is none, and for second-level schedules (no catch-up for those).
 */
export function previousSlot(expression: string, now: Date, windowMs: number): Date | null {
  if (expression.trim().split(/\s+/).length !== 5) return null;
  // croner looks strictly before its reference, and counts a run earlier in the same second:
  // one millisecond later makes a slot at `now` itself count.
  const slot = readSchedule(expression)?.previousRuns(1, new Date(now.getTime() + 1))[0];
  return slot && slot.getTime() >= now.getTime() - windowMs ? slot : null;
}

/** The first slot after `from` (default: the real clock); null for an expression that cannot run. */
export function nextSlot(expression: string, from: Date = new Date()): Date | null {
  return readSchedule(expression)?.nextRun(from) ?? null;
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
