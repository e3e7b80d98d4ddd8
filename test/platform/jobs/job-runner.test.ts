import type { Knex } from 'knex';
import { openDatabase } from '../../../src/platform/database/connection';
import type { Core, JobDefinition } from '../../../src/platform/core/feature';
import { JobRunner } from '../../../src/platform/jobs/job-runner';
import { reminderJobs } from '../../../src/reminders/reminder-jobs';
import { nextSlot, previousSlot, startJobs } from '../../../src/platform/jobs/scheduler';
import { createLogger } from '../../../src/platform/logging/logger';
import { JobStore } from '../../../src/platform/jobs/job-store';
import { freshDb, testDialects } from '../../helpers/db';
import { at, caseWithDeadline, outbox, seedDirectory, testCore } from '../../reminders/fixtures';

const silent = createLogger('silent');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function countingJob(name = 'count', cron = '0 9 * * *'): JobDefinition & { calls: Date[] } {
  const calls: Date[] = [];
  return {
    name, cron, description: 'test', calls,
    run: async (now) => {
      calls.push(now);
      await sleep(20);
      return `第 ${calls.length} 次`;
    },
  };
}

describe.each(testDialects())('job runs and leases ($name)', (dialect) => {
  let db: Knex;
  let db2: Knex;
  let url: string;
  beforeEach(async () => {
    ({ db, url } = await freshDb(dialect));
    db2 = await openDatabase(url);
  });
  afterEach(async () => {
    await db2.destroy();
    await db.destroy();
  });

  test('two replicas reaching the same slot at the same instant: one runs it, and the run log says so', async () => {
    const job = countingJob();
    const a = new JobRunner(new JobStore(db), silent, 60_000);
    const b = new JobRunner(new JobStore(db2), silent, 60_000);
    const slot = at('2025-10-09', '09:00');
    const [ra, rb] = await Promise.all([a.runSlot(job, slot, 'schedule'), b.runSlot(job, slot, 'schedule')]);
    expect([ra.ran, rb.ran].sort()).toEqual([false, true]);
    expect(job.calls).toHaveLength(1);
    const runs = await db('job_runs');
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ job: 'count', status: 'ok', outcome: '第 1 次', slot: slot.toISOString() });
    // The next slot is a new lease.
    await a.runSlot(job, at('2025-10-10', '09:00'), 'schedule');
    expect(job.calls).toHaveLength(2);
  });

  test('a replica that died mid-run: the slot is taken over only after its lease ran out', async () => {
    let now = new Date('2025-10-09T01:00:00Z');
    const clock = () => now;
    const store = new JobStore(db);
    // Replica A claims the slot and dies (no finish).
    const dead = await store.claim({ job: 'count', slot: '2025-10-09T01:00:00.000Z', origin: 'schedule', asOf: now, owner: 'a#1', leaseMs: 60_000 }, now);
    expect(dead).not.toBeNull();
    const job = countingJob();
    const b = new JobRunner(new JobStore(db2), silent, 60_000, clock);
    now = new Date('2025-10-09T01:00:30Z');
    expect((await b.runSlot(job, new Date('2025-10-09T01:00:00Z'), 'catch-up')).ran).toBe(false);
    now = new Date('2025-10-09T01:01:01Z');
    const r = await b.runSlot(job, new Date('2025-10-09T01:00:00Z'), 'catch-up');
    expect(r).toMatchObject({ ran: true, status: 'ok' });
    const [row] = await db('job_runs');
    expect(row).toMatchObject({ status: 'ok', attempts: 2, origin: 'catch-up' });
    // A finished slot is never run again.
    now = new Date('2025-10-09T03:00:00Z');
    expect((await b.runSlot(job, new Date('2025-10-09T01:00:00Z'), 'catch-up')).ran).toBe(false);
    expect(job.calls).toHaveLength(1);
  });

  test('a job that throws is logged as failed with its message', async () => {
    const runner = new JobRunner(new JobStore(db), silent, 60_000);
    const job: JobDefinition = { name: 'boom', cron: '0 9 * * *', description: '', run: async () => { throw new Error('数据库连接中断'); } };
    const r = await runner.runManual(job, new Date());
    expect(r.status).toBe('failed');
    const last = (await new JobStore(db).lastRuns(['boom'])).get('boom');
    expect(last).toMatchObject({ status: 'failed', origin: 'manual' });
    expect(last!.outcome).toContain('数据库连接中断');
  });
});

describe.each(testDialects())('reminders under the job machinery ($name)', (dialect) => {
  let db: Knex;
  let db2: Knex;
  let coreA: Core;
  let coreB: Core;
  beforeEach(async () => {
    let url: string;
    ({ db, url } = await freshDb(dialect));
    db2 = await openDatabase(url);
    coreA = await testCore(db, { DATABASE_URL: url });
    coreB = await testCore(db2, { DATABASE_URL: url });
    await seedDirectory(coreA);
    for (let i = 0; i < 12; i++) await caseWithDeadline(db, { caseNo: `2025-0007${String(i).padStart(2, '0')}`, leaderId: 'ld-1' }, 'conclusion', '2025-10-09');
  });
  afterEach(async () => {
    await db2.destroy();
    await db.destroy();
  });

  const remindersJob = (core: Core) => reminderJobs(core).find((j) => j.name === 'reminders')!;

  test('two job runners on the same database at the same instant -> one set of reminders', async () => {
    const slot = at('2025-10-13', '09:00'); // 3 working days overdue: unit + supervision + leader
    const a = new JobRunner(new JobStore(db), silent, 60_000);
    const b = new JobRunner(new JobStore(db2), silent, 60_000);
    const [ra, rb] = await Promise.all([a.runSlot(remindersJob(coreA), slot, 'schedule', slot), b.runSlot(remindersJob(coreB), slot, 'schedule', slot)]);
    expect([ra.ran, rb.ran].sort()).toEqual([false, true]);
    expect(await db('reminders')).toHaveLength(12);
    const msgs = await outbox(db);
    expect(msgs).toHaveLength(36);
    expect(new Set(msgs.map((m) => `${m.source}|${m.to}`)).size).toBe(36);
    expect(await db('case_events').where({ action: 'flag_letter' })).toHaveLength(12);
  });

  test('a crash after queueing and before sending: the re-run after the lease ran out sends nothing more', async () => {
    const slot = at('2025-10-10', '09:00');
    let now = new Date(slot);
    const clock = () => now;
    // Replica A queues the reminders, then dies before it can log the run as finished
    // (and before any sender picked the messages up).
    const job = remindersJob(coreA);
    const store = new JobStore(db);
    const claimed = await store.claim({ job: 'reminders', slot: slot.toISOString(), origin: 'schedule', asOf: slot, owner: 'a#1', leaseMs: 60_000 }, now);
    expect(claimed).not.toBeNull();
    await job.run(slot);
    const queued = await outbox(db);
    expect(queued).toHaveLength(24);
    // Replica B restarts later and catches up on the abandoned slot.
    now = new Date(slot.getTime() + 5 * 60_000);
    const b = new JobRunner(new JobStore(db2), silent, 60_000, clock);
    const r = await b.runSlot(remindersJob(coreB), slot, 'catch-up', now);
    expect(r.ran).toBe(true);
    expect(r.outcome).toContain('本次记录 0 条提醒');
    const after = await outbox(db);
    expect(after.map((m) => m.uuid)).toEqual(queued.map((m) => m.uuid));
    expect(after.every((m) => m.status === 'pending')).toBe(true);
  });
});

describe('the node-cron schedule', () => {
  test('runs every job on its schedule in each replica, each slot once, and stops', async () => {
    const { db, url } = await freshDb(testDialects()[0]);
    const db2 = await openDatabase(url);
    const coreA = await testCore(db, { DATABASE_URL: url });
    const coreB = await testCore(db2, { DATABASE_URL: url });
    const job = countingJob('tick', '* * * * * *'); // every second
    const stopA = startJobs(coreA, [job], { catchUp: false });
    const stopB = startJobs(coreB, [job], { catchUp: false });
    await sleep(3200);
    stopA();
    stopB();
    await sleep(300);
    const runs = await db('job_runs').where({ job: 'tick' });
    expect(runs.length).toBeGreaterThanOrEqual(2);
    // Both replicas fired every slot; the lease let exactly one run each.
    expect(job.calls).toHaveLength(runs.length);
    expect(new Set(runs.map((r: any) => r.slot)).size).toBe(runs.length);
    expect(runs.every((r: any) => r.status === 'ok' && r.origin === 'schedule')).toBe(true);
    const settled = job.calls.length;
    await sleep(1200);
    expect(job.calls).toHaveLength(settled);
    await db2.destroy();
    await db.destroy();
  });

  test('a slot missed while every replica was down is run at start-up, once', async () => {
    const { db, url } = await freshDb(testDialects()[0]);
    // 10:20 Shanghai: the 10:00 slot of an hourly job was missed.
    const now = at('2025-10-09', '10:20');
    const core = await testCore(db, { DATABASE_URL: url, JOBS_CATCH_UP_HOURS: '2' }, () => now);
    const job = countingJob('hourly', '0 9-17 * * *');
    const stop = startJobs(core, [job]);
    for (let i = 0; i < 50 && job.calls.length === 0; i++) await sleep(20);
    stop();
    await sleep(50);
    expect(job.calls).toHaveLength(1);
    const [run] = await db('job_runs');
    expect(run).toMatchObject({ origin: 'catch-up', slot: at('2025-10-09', '10:00').toISOString(), status: 'ok' });
    // Starting again: the slot is done, nothing runs.
    const stop2 = startJobs(core, [job]);
    await sleep(200);
    stop2();
    expect(job.calls).toHaveLength(1);
    await db.destroy();
  });

  test('a catch-up runs as of the real clock, and one more than 10 minutes after its slot is a 补发 of that slot', async () => {
    const { db, url } = await freshDb(testDialects()[0]);
    let now = at('2025-10-09', '10:20'); // the 10:00 slot of an hourly job was missed
    const core = await testCore(db, { DATABASE_URL: url, JOBS_CATCH_UP_HOURS: '2' }, () => now);
    const seen: Array<{ now: Date; late: unknown }> = [];
    const job: JobDefinition = { name: 'hourly', cron: '0 9-17 * * *', description: 'test', run: async (asOf, ctx) => {
      seen.push({ now: asOf, late: ctx?.late });
      return 'ok';
    } };
    let stop = startJobs(core, [job]);
    for (let i = 0; i < 50 && !seen.length; i++) await sleep(20);
    stop();
    expect(seen).toEqual([{ now: at('2025-10-09', '10:20'), late: { dueAt: at('2025-10-09', '10:00'), sentAt: at('2025-10-09', '10:20'), contentAsOf: 'sent' } }]);

    // A quick restart (5 minutes after the 11:00 slot): on time, no mark.
    now = at('2025-10-09', '11:05');
    stop = startJobs(core, [job]);
    for (let i = 0; i < 50 && seen.length < 2; i++) await sleep(20);
    stop();
    expect(seen[1]).toEqual({ now: at('2025-10-09', '11:05'), late: undefined });
    await db.destroy();
  });

  test('a catch-up of the reminder scan sends what is true now, marked 补发 with the missed slot', async () => {
    const { db, url } = await freshDb(testDialects()[0]);
    const now = at('2025-10-10', '11:30'); // the 11:00 scan was missed; the deadline was on the 9th
    const core = await testCore(db, { DATABASE_URL: url, JOBS_CATCH_UP_HOURS: '2' }, () => now);
    await seedDirectory(core);
    await caseWithDeadline(db, { caseNo: '2025-000901', leaderId: 'ld-1' }, 'conclusion', '2025-10-09');
    const stop = startJobs(core, reminderJobs(core).filter((j) => j.name === 'reminders'));
    for (let i = 0; i < 100 && !(await db('job_runs').where({ status: 'ok' })).length; i++) await sleep(20);
    stop();
    const msgs = await db('outbox').where('source', 'like', 'reminder:%');
    expect(msgs.length).toBeGreaterThan(0);
    for (const m of msgs) {
      const text = m.content as string;
      expect(text).toContain('【补发】信访事项已逾期：2025-000901');
      expect(text).toContain('本消息原定 2025年10月10日 11:00 发送，补发于 2025年10月10日 11:30（系统停机期间错过，内容按补发时的情况）');
      expect(text).toContain('已逾期 1 个工作日'); // counted from the real day, not the slot's
    }
    await db.destroy();
  });

  test('previousSlot finds the last slot of a five-field schedule in Shanghai time', () => {
    expect(previousSlot('0 9-17 * * *', at('2025-10-09', '10:20'), 3600_000 * 3)?.toISOString()).toBe(at('2025-10-09', '10:00').toISOString());
    expect(previousSlot('30 8 * * *', at('2025-10-09', '10:20'), 3600_000)).toBeNull();
    expect(previousSlot('* * * * * *', at('2025-10-09', '10:20'), 3600_000)).toBeNull();
  });

  test('previousSlot counts a slot at now itself and one exactly the window back; nextSlot reads days as node-cron does', () => {
    expect(previousSlot('0 9-17 * * *', at('2025-10-09', '10:00'), 3600_000)?.toISOString()).toBe(at('2025-10-09', '10:00').toISOString());
    expect(previousSlot('30 8 * * *', at('2025-10-09', '09:30'), 3600_000)?.toISOString()).toBe(at('2025-10-09', '08:30').toISOString());
    expect(previousSlot('30 8 * * *', at('2025-10-09', '09:31'), 3600_000)).toBeNull();
    expect(previousSlot('not a schedule', at('2025-10-09', '09:31'), 3600_000)).toBeNull();
    expect(nextSlot('0 9 * * *', at('2025-10-09', '09:00'))?.toISOString()).toBe(at('2025-10-10', '09:00').toISOString());
    // Day of month AND day of week, as node-cron runs it: the next 1st that is a Monday.
    expect(nextSlot('0 9 1 * 1', at('2026-01-01', '00:00'))?.toISOString()).toBe(at('2026-06-01', '09:00').toISOString());
    expect(nextSlot('61 * * * *')).toBeNull();
  });
});
