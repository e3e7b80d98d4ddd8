import type { Knex } from 'knex';
import { toOutboxRow, type OutboxRow } from './outbox-store';
import { fromDbTime, toDbTime } from '../database/time';
import { outboxFailedGauge, outboxOldestWaitSeconds, outboxRetryingGauge, outboxWaitingGauge } from '../metrics/metrics';

/*
 * The outbox's backlog, as an operator sees it (/healthz, /metrics, doctor) and acts on it
 * (`xinfang outbox retry --failed`). Reads and bulk changes of the outbox table beside
 * outbox-store.ts, which keeps the one writer of new rows.
 */

/** One transport's backlog. */
export interface TransportBacklog {
  transport: string;
  /** Rows to be sent now, being sent, or waiting for a retry after a failed send (not those scheduled for later). */
  waiting: number;
  /** Of those, the rows whose last send failed and that wait for their next try. */
  retrying: number;
  /** How long the oldest of them has waited, from when it fell due or first failed; 0 when none. */
  oldestWaitSeconds: number;
  /** Rows given up on, all of them; and those that failed since `failedSince`. */
  failed: number;
  failedRecent: number;
}

const EMPTY = (transport: string): TransportBacklog => ({ transport, waiting: 0, retrying: 0, oldestWaitSeconds: 0, failed: 0, failedRecent: 0 });

/** The backlog of each transport that has one (two grouped reads over the status index). */
export async function outboxBacklog(db: Knex, now: Date, failedSince: Date): Promise<Map<string, TransportBacklog>> {
  const t = toDbTime(now);
  const unsent = await db('outbox')
    .select('transport')
    .count({ n: '*' })
    .select(db.raw('sum(case when failing_since is not null then 1 else 0 end) as r'))
    .min({ oldest: db.raw('coalesce(failing_since, next_attempt_at)') })
    .whereIn('status', ['pending', 'sending'])
    .andWhere((w) => w.where('next_attempt_at', '<=', t).orWhereNotNull('failing_since').orWhere('status', 'sending'))
    .groupBy('transport');
  const failed = await db('outbox')
    .select('transport')
    .count({ n: '*' })
    .select(db.raw('sum(case when failed_at >= ? then 1 else 0 end) as recent', [toDbTime(failedSince)]))
    .where('status', 'failed')
    .groupBy('transport');
  const out = new Map<string, TransportBacklog>();
  const of = (tr: string) => out.get(tr) ?? out.set(tr, EMPTY(tr)).get(tr)!;
  for (const r of unsent as any[]) {
    const b = of(String(r.transport));
    b.waiting = Number(r.n);
    b.retrying = Number(r.r ?? 0);
    const oldest = fromDbTime(r.oldest)?.getTime();
    b.oldestWaitSeconds = oldest === undefined ? 0 : Math.max(0, Math.round((now.getTime() - oldest) / 1000));
  }
  for (const r of failed as any[]) {
    const b = of(String(r.transport));
    b.failed = Number(r.n);
    b.failedRecent = Number(r.recent ?? 0);
  }
  return out;
}

/** One transport's backlog, zeros when it has none. */
export function backlogOf(all: Map<string, TransportBacklog>, transport: string): TransportBacklog {
  return all.get(transport) ?? EMPTY(transport);
}

/** The backlog as gauges on /metrics (every transport, so a scrape sees it fall back to zero). */
export function publishBacklogMetrics(all: Map<string, TransportBacklog>, transports: readonly string[]): void {
  for (const g of [outboxWaitingGauge, outboxRetryingGauge, outboxFailedGauge, outboxOldestWaitSeconds]) g.reset();
  for (const tr of new Set([...transports, ...all.keys()])) {
    const b = backlogOf(all, tr);
    outboxWaitingGauge.set({ transport: tr }, b.waiting);
    outboxRetryingGauge.set({ transport: tr }, b.retrying);
    outboxFailedGauge.set({ transport: tr }, b.failed);
    outboxOldestWaitSeconds.set({ transport: tr }, b.oldestWaitSeconds);
  }
}

/**
 * The commonest reasons, for doctor: of the rows of this transport that failed since `since`, or
 * (since null) of those waiting for a retry; code, message, how many.
 */
export async function commonFailures(db: Knex, transport: string, since: Date | null, limit = 3): Promise<Array<{ code: number | null; msg: string; n: number }>> {
  const q = db('outbox').select('error_code', 'error_msg').count({ n: '*' }).where({ transport });
  if (since) q.andWhere({ status: 'failed' }).andWhere('failed_at', '>=', toDbTime(since));
  else q.andWhere({ status: 'pending' }).whereNotNull('failing_since');
  const rows = await q
    .groupBy('error_code', 'error_msg')
    .orderBy('n', 'desc')
    .limit(limit);
  return (rows as any[]).map((r) => ({ code: r.error_code === null ? null : Number(r.error_code), msg: String(r.error_msg ?? ''), n: Number(r.n) }));
}

/** Rows per UPDATE of a bulk change: by primary key, so MySQL locks those rows and no range of the status index. */
const CHUNK = 500;

/**
 * `xinfang outbox retry --failed [--since]`: puts every failed row of this transport (failed at or
 * after `since`, when given) back in the queue, due now, its attempts and its run of failures
 * reset; the uuid stays. Rows `hold` says must wait for a person (Lark may have made them: see
 * lark/uuid-window.ts) are left failed and returned; rows of other transports are left and counted.
 */
export async function requeueFailedOutbox(
  db: Knex,
  now: Date,
  opts: { transport: string; since?: Date; hold?: (row: OutboxRow) => boolean },
): Promise<{ requeued: number; held: OutboxRow[]; otherTransports: Map<string, number> }> {
  const failed = () => {
    const q = db('outbox').where('status', 'failed');
    if (opts.since) q.andWhere('failed_at', '>=', toDbTime(opts.since));
    return q;
  };
  const columns = ['id', 'uuid', 'kind', 'receive_id_type', 'receive_id', 'reply_to', 'message_id', 'msg_type', 'status', 'attempts', 'next_attempt_at',
    'error_code', 'error_msg', 'source', 'created_at', 'transport', 'failing_since', 'failed_at', 'unanswered_since'];
  const rows = (await failed().andWhere('transport', opts.transport).orderBy('id').select(columns)).map((r: any) => toOutboxRow({ ...r, content: '' }));
  const held = opts.hold ? rows.filter(opts.hold) : [];
  const ids = rows.filter((r) => !held.includes(r)).map((r) => r.id);
  let requeued = 0;
  for (let i = 0; i < ids.length; i += CHUNK) {
    requeued += await db('outbox').whereIn('id', ids.slice(i, i + CHUNK)).andWhere('status', 'failed').update({
      status: 'pending', attempts: 0, next_attempt_at: toDbTime(now), error_code: null, error_msg: null,
      failing_since: null, unanswered_since: null, failed_at: null, claimed_by: null, lease_until: null,
    });
  }
  const others = await failed().whereNot('transport', opts.transport).select('transport').count({ n: '*' }).groupBy('transport');
  return { requeued, held, otherTransports: new Map((others as any[]).map((r) => [String(r.transport), Number(r.n)])) };
}

/**
 * The transport answers again after failing: the rows of these transports waiting out a back-off
 * are due now, so a backlog drains at the budgets' pace instead of each row's next try (up to the
 * back-off's cap later). Returns how many were brought forward.
 */
export async function bringRetriesForward(db: Knex, now: Date, transports: readonly string[]): Promise<number> {
  const t = toDbTime(now);
  const ids = (
    await db('outbox')
      .select('id')
      .where('status', 'pending')
      .andWhere('next_attempt_at', '>', t)
      .whereNotNull('failing_since')
      .whereIn('transport', transports)
  ).map((r: any) => Number(r.id));
  let n = 0;
  for (let i = 0; i < ids.length; i += CHUNK) {
    n += await db('outbox').whereIn('id', ids.slice(i, i + CHUNK)).andWhere('status', 'pending').update({ next_attempt_at: t });
  }
  return n;
}

/** While the transport fails: the oldest row of these transports waiting out a back-off is due now (a probe). */
export async function bringOneRetryForward(db: Knex, now: Date, transports: readonly string[]): Promise<boolean> {
  const t = toDbTime(now);
  const r = await db('outbox')
    .select('id')
    .where('status', 'pending')
    .andWhere('next_attempt_at', '>', t)
    .whereNotNull('failing_since')
    .whereIn('transport', transports)
    .orderBy('id')
    .first();
  if (!r) return false;
  return (await db('outbox').where({ id: Number(r.id), status: 'pending' }).update({ next_attempt_at: t })) > 0;
}
