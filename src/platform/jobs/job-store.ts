import { Knex } from 'knex';
import { toDbTime } from '../database/time';
import { retryingStatement } from '../database/transaction';

export type JobRunOrigin = 'schedule' | 'catch-up' | 'manual';
export type JobRunStatus = 'running' | 'ok' | 'failed';

export interface JobRun {
  id: number;
  job: string;
  slot: string;
  origin: JobRunOrigin;
  asOf: string;
  status: JobRunStatus;
  owner: string;
  attempts: number;
  startedAt: string;
  leaseUntil: string;
  finishedAt: string | null;
  outcome: string | null;
}

const OUTCOME_MAX = 1000;

/**
 * The run log of scheduled jobs, which is also the lease: one row per (job, slot), unique, so
 * of several replicas that reach a slot at the same instant exactly one inserts it and runs.
 * A run whose owner died (status still running, lease expired) may be taken over.
 */
export class JobStore {
  constructor(private readonly db: Knex) {}

  /**
   * Claims the slot for `owner` (unique per claim): returns the run when this caller may run it,
   * null when another replica holds it or already ran it.
   */
  async claim(
    claim: { job: string; slot: string; origin: JobRunOrigin; asOf: Date; owner: string; leaseMs: number },
    now = new Date(),
  ): Promise<JobRun | null> {
    const row = {
      job: claim.job,
      slot: claim.slot,
      origin: claim.origin,
      as_of: toDbTime(claim.asOf),
      status: 'running',
      owner: claim.owner,
      attempts: 1,
      started_at: toDbTime(now),
      lease_until: toDbTime(new Date(now.getTime() + claim.leaseMs)),
      finished_at: null,
      outcome: null,
    };
    // On Galera the loser of two inserts on two nodes fails at commit (a deadlock): run it again,
    // and the winner's row is there to be ignored.
    await retryingStatement(() => this.db('job_runs').insert(row).onConflict(['job', 'slot']).ignore());
    const mine = await this.get(claim.job, claim.slot);
    if (mine && mine.owner === claim.owner) return mine;
    if (!mine || mine.status !== 'running' || mine.leaseUntil >= toDbTime(now)) return null;
    // The holder's lease ran out without a finish: it crashed. Take over, once.
    const n = await retryingStatement(() =>
      this.db('job_runs')
        .where({ id: mine.id, owner: mine.owner, attempts: mine.attempts, status: 'running' })
        .where('lease_until', '<', toDbTime(now))
        .update({
          owner: claim.owner,
          origin: claim.origin,
          as_of: row.as_of,
          attempts: mine.attempts + 1,
          started_at: row.started_at,
          lease_until: row.lease_until,
        }),
    );
    return n === 1 ? this.get(claim.job, claim.slot) : null;
  }

  async get(job: string, slot: string): Promise<JobRun | null> {
    const r = await this.db('job_runs').where({ job, slot }).first();
    return r ? toRun(r) : null;
  }

  /** Extends the lease of a run still in progress; false when it is no longer ours. */
  async renew(id: number, owner: string, leaseMs: number, now = new Date()): Promise<boolean> {
    const n = await this.db('job_runs')
      .where({ id, owner, status: 'running' })
      .update({ lease_until: toDbTime(new Date(now.getTime() + leaseMs)) });
    return n === 1;
  }

  async finish(id: number, owner: string, status: 'ok' | 'failed', outcome: string, now = new Date()): Promise<void> {
    await this.db('job_runs')
      .where({ id, owner })
      .update({ status, outcome: outcome.slice(0, OUTCOME_MAX), finished_at: toDbTime(now), lease_until: toDbTime(now) });
  }

  /** The latest run of each job (by start). */
  async lastRuns(jobs: string[]): Promise<Map<string, JobRun>> {
    const out = new Map<string, JobRun>();
    for (const job of jobs) {
      const r = await this.db('job_runs').where({ job }).orderBy([{ column: 'started_at', order: 'desc' }, { column: 'id', order: 'desc' }]).first();
      if (r) out.set(job, toRun(r));
    }
    return out;
  }

  async recent(job: string, limit = 20): Promise<JobRun[]> {
    const rows = await this.db('job_runs').where({ job }).orderBy([{ column: 'started_at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(limit);
    return rows.map(toRun);
  }
}

function toRun(r: any): JobRun {
  return {
    id: Number(r.id),
    job: r.job,
    slot: r.slot,
    origin: r.origin,
    asOf: r.as_of,
    status: r.status,
    owner: r.owner,
    attempts: Number(r.attempts),
    startedAt: r.started_at,
    leaseUntil: r.lease_until,
    finishedAt: r.finished_at ?? null,
    outcome: r.outcome ?? null,
  };
}
