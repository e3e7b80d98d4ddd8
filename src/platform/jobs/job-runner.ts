import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { JobDefinition, JobRunContext } from '../core/feature';
import type { Logger } from '../logging/logger';
import { JobRun, JobRunOrigin, JobStore } from './job-store';

export interface RunResult {
  /** False when another replica holds or already ran the slot. */
  ran: boolean;
  status?: 'ok' | 'failed';
  outcome?: string;
  run?: JobRun | null;
}

/**
 * Runs a job once per slot across replicas: the slot's row in job_runs is the lease. While the
 * job runs the lease is renewed; a replica that dies leaves the row 'running' with a lease that
 * runs out, and another replica (or this one after a restart) may then run the slot again,
 * which the jobs allow because each records its effects under unique keys.
 */
export class JobRunner {
  /** host:pid:random, the replica's name in the run log. */
  readonly id = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private seq = 0;

  constructor(
    private readonly store: JobStore,
    private readonly logger: Logger,
    private readonly leaseMs: number,
    /** The real clock, for leases (jobs themselves run as of the instant they are given). */
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Runs the job for a scheduled slot if this replica wins it. */
  async runSlot(
    job: JobDefinition,
    slot: Date,
    origin: Exclude<JobRunOrigin, 'manual'>,
    asOf: Date = this.clock(),
    ctx: JobRunContext = {},
  ): Promise<RunResult> {
    const run = await this.store.claim({ job: job.name, slot: slot.toISOString(), origin, asOf, owner: this.owner(), leaseMs: this.leaseMs }, this.clock());
    if (!run) return { ran: false };
    return this.execute(job, run, asOf, ctx);
  }

  /**
   * Runs the job now, as if at `asOf` (`xinfang jobs run`): always runs, logged as manual.
   * `ctx.late`: the run is past its moment and its messages say so (`--force`).
   */
  async runManual(job: JobDefinition, asOf: Date, ctx: JobRunContext = {}): Promise<RunResult> {
    const run = await this.store.claim(
      { job: job.name, slot: `manual:${randomUUID()}`, origin: 'manual', asOf, owner: this.owner(), leaseMs: this.leaseMs },
      this.clock(),
    );
    if (!run) throw new Error('could not record a manual run');
    return this.execute(job, run, asOf, ctx);
  }

  private owner(): string {
    return `${this.id}#${++this.seq}`;
  }

  private async execute(job: JobDefinition, run: JobRun, asOf: Date, ctx: JobRunContext): Promise<RunResult> {
    const renew = setInterval(() => {
      this.store.renew(run.id, run.owner, this.leaseMs, this.clock()).catch((err) => this.logger.warn({ err, job: job.name }, 'job lease renewal failed'));
    }, Math.max(1000, Math.floor(this.leaseMs / 3)));
    renew.unref();
    try {
      const outcome = await job.run(asOf, ctx);
      await this.store.finish(run.id, run.owner, 'ok', outcome, this.clock());
      this.logger.info({ job: job.name, slot: run.slot, outcome }, 'job finished');
      return { ran: true, status: 'ok', outcome, run };
    } catch (err) {
      const outcome = `出错：${err instanceof Error ? err.message : String(err)}`;
      this.logger.error({ err, job: job.name, slot: run.slot }, 'job failed');
      await this.store.finish(run.id, run.owner, 'failed', outcome, this.clock()).catch((e) => this.logger.error({ err: e }, 'job run log failed'));
      return { ran: true, status: 'failed', outcome, run };
    } finally {
      clearInterval(renew);
    }
  }
}
