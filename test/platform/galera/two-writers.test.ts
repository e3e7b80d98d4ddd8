import { Writable } from 'node:stream';
import type { Knex } from 'knex';
import { lockKeys } from '../../../src/platform/database/cluster-lock';
import { nextCounterValue } from '../../../src/platform/database/counter-store';
import { runTransaction } from '../../../src/platform/database/transaction';
import type { JobDefinition } from '../../../src/platform/core/feature';
import { InboundEventStore } from '../../../src/platform/inbound/inbound-event-store';
import { JobRunner } from '../../../src/platform/jobs/job-runner';
import { JobStore } from '../../../src/platform/jobs/job-store';
import { createLogger } from '../../../src/platform/logging/logger';
import { enqueueMessage } from '../../../src/platform/outbox/outbox-store';
import { OutboxWorker } from '../../../src/platform/outbox/outbox-worker';
import type { Transport } from '../../../src/platform/outbox/transport';
import { TwoWriters, writerPairs } from './two-writers';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** Log lines at warn and above (a retry exhausted, a claim that failed), to be shown when a test fails. */
function capturingLogger() {
  const lines: string[] = [];
  const logger = createLogger('warn', new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) }));
  return { logger, lines };
}

describe.each(writerPairs())('two replicas writing at once, on $name', (pair) => {
  let w: TwoWriters;
  beforeAll(async () => {
    w = await pair.open();
  });
  afterAll(async () => {
    await w.close();
  });

  test('case numbers drawn by both at once: 120 numbers, none handed out twice', async () => {
    // Three registrations at a time in each replica, 20 after another in each.
    const draw = (db: Knex) => async () => {
      const got: number[] = [];
      for (let i = 0; i < 20; i++) got.push(await runTransaction(db, (trx) => nextCounterValue(trx, 'case:2031')));
      return got;
    };
    const lanes = [w.a, w.a, w.a, w.b, w.b, w.b].map((db) => draw(db)());
    const values = (await Promise.all(lanes)).flat();
    expect(values).toHaveLength(120);
    expect(new Set(values).size).toBe(120);
    const last = Number((await w.b('counters').where({ name: 'case:2031' }).first('value')).value);
    expect(Math.max(...values)).toBe(last);
  });

  test('a scheduled slot reached by both replicas at the same instant runs once, 20 slots over', async () => {
    const calls: string[] = [];
    const job: JobDefinition = {
      name: 'digest', cron: '0 9 * * *', description: 'test',
      run: async (now) => {
        calls.push(now.toISOString());
        await sleep(5);
        return '已发送';
      },
    };
    const silent = createLogger('silent');
    const ra = new JobRunner(new JobStore(w.a), silent, 60_000);
    const rb = new JobRunner(new JobStore(w.b), silent, 60_000);
    for (const d of range(20)) {
      const slot = new Date(Date.UTC(2031, 0, 1 + d, 1));
      const [x, y] = await Promise.all([ra.runSlot(job, slot, 'schedule', slot), rb.runSlot(job, slot, 'schedule', slot)]);
      expect([x.ran, y.ran].sort()).toEqual([false, true]);
    }
    expect(calls).toHaveLength(20);
    expect(new Set(calls).size).toBe(20);
    const runs = await w.a('job_runs').where({ job: 'digest' });
    expect(runs.map((r: any) => r.status)).toEqual(range(20).map(() => 'ok'));
  });

  test('the same event delivered to both replicas is recorded once, one by one and in bursts', async () => {
    const ev = (key: string) => ({ eventKey: key, eventType: 'im.message.receive_v1', channel: 'webhook' as const, payload: '{}' });
    const sa = new InboundEventStore(w.a);
    const sb = new InboundEventStore(w.b);
    const t0 = new Date('2031-01-01T01:00:00Z');
    const until = new Date('2031-01-01T01:01:00Z');
    const single = await Promise.all(
      range(60).map(async (i) => Promise.all([sa.record(ev(`evt:one${i}`), 'a', t0, until), sb.record(ev(`evt:one${i}`), 'b', t0, until)])),
    );
    // Exactly one of the two deliveries of each event is the one recorded.
    expect(single.map(([x, y]) => [x, y].filter((id) => id !== null).length)).toEqual(range(60).map(() => 1));
    for (const n of range(5)) {
      const burst = range(20).map((i) => ({ ...ev(`evt:burst${n}-${i}`), claimed: true }));
      const [x, y] = await Promise.all([sa.recordMany(burst, `a#${n}`, t0, until), sb.recordMany(burst, `b#${n}`, t0, until)]);
      expect(range(20).map((i) => [x[i], y[i]].filter((id) => id !== null).length)).toEqual(range(20).map(() => 1));
    }
    const rows = await w.b('inbound_events').select('event_key');
    expect(rows).toHaveLength(160);
    expect(new Set(rows.map((r: any) => r.event_key)).size).toBe(160);
  });

  test('two outbox senders draining one table: each of 60 messages is sent once', async () => {
    for (const i of range(60)) await enqueueMessage(w.a, { receiveId: `oc_chat${i % 3}`, msgType: 'text', content: { text: `第${i}条` } });
    const sends: number[] = [];
    const counting: Transport = {
      name: 'lark',
      send: async (row) => {
        sends.push(row.id);
        await sleep(2);
        return { ok: true, messageId: `om_${row.id}` };
      },
    };
    const { logger, lines } = capturingLogger();
    const sender = (db: Knex, id: string) =>
      new OutboxWorker({
        db, transport: counting, logger, workerId: id, chatRate: 50, appRate: 500, maxAttempts: 4, leaseMs: 30_000, pollMs: 20,
        cardMaxBytes: 30 * 1024, backoffMs: () => 20,
      });
    await Promise.all([sender(w.a, 'one').runUntilIdle(30_000, { waitForScheduled: true }), sender(w.b, 'two').runUntilIdle(30_000, { waitForScheduled: true })]);
    const ids = (await w.a('outbox').orderBy('id').pluck('id')).map(Number);
    expect({ sends: [...sends].sort((x, y) => x - y), lines }).toEqual({ sends: ids, lines: [] });
    expect(await w.b('outbox').where({ status: 'sent' })).toHaveLength(60);
  });

  test('a clash check under lockKeys sees the other replica\'s booking: one person, one booking', async () => {
    // Both replicas book the same person for the same half-day at once, each first checking that
    // the person is free. (SELECT … FOR UPDATE would not do this on Galera: it locks one node only.)
    const book = (db: Knex, who: string) =>
      runTransaction(db, async (trx) => {
        await lockKeys(trx, ['third_party:7']);
        const taken = await trx('counters').where('name', 'like', 'booking:7:%').first('name');
        if (taken) return false;
        await sleep(30); // the other replica's check happens meanwhile
        await trx('counters').insert({ name: `booking:7:${who}`, value: 1 });
        return true;
      }, 10);
    const results = await Promise.all([book(w.a, 'a'), book(w.b, 'b')]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await w.a('counters').where('name', 'like', 'booking:7:%')).toHaveLength(1);
  });
});
