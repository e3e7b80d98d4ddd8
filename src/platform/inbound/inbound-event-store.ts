import { isDuplicateKey } from '../database/duplicate-key';
import { Knex } from 'knex';
import { toDbTime } from '../database/time';
import { dialectOf, onGaleraNode } from '../database/connection';
import { executePrepared } from '../database/prepared-statement';
import { isRetryable, retryingStatement, runTransaction } from '../database/transaction';

export type InboundStatus = 'pending' | 'processing' | 'done' | 'failed';

export interface InboundEventRow {
  id: number;
  /** From list(): a failed event whose payload is kept, so `inbound retry` can run it again. */
  retryable?: boolean;
  eventKey: string;
  eventType: string;
  channel: string;
  payload: string | null;
  status: InboundStatus;
  attempts: number;
  claimedBy: string | null;
  leaseUntil: string | null;
  error: string | null;
  receivedAt: string;
  processedAt: string | null;
}

export interface NewInboundEvent {
  /** 'evt:<header.event_id>' or 'card:<token>'. */
  eventKey: string;
  eventType: string;
  channel: 'ws' | 'webhook';
  payload: string;
}

/** A handled event: done, its payload (which may hold personal data) cleared, its claim let go. */
function doneColumns(trx: Knex.Transaction, now: Date) {
  return { status: 'done', payload: null, processed_at: toDbTime(now), attempts: trx.raw('attempts + 1'), claimed_by: null, lease_until: null };
}

/** recordMany's columns, in the order of its rows' values. */
const INSERT_COLUMNS = ['event_key', 'event_type', 'channel', 'payload', 'status', 'attempts', 'claimed_by', 'lease_until', 'received_at'];
const ROW_PLACEHOLDERS = `(${INSERT_COLUMNS.map(() => '?').join(',')})`;

/**
 * Every Lark event the bot accepted, once. The event key is unique, so recording a re-delivered
 * event fails on the key: that failure is how a duplicate is recognised, by every replica alike.
 * A row is recorded already claimed by the process that received it (it processes the event
 * right after acknowledging it); if that process dies, the lease lapses and any replica's poller
 * takes the row over.
 */
export class InboundEventStore {
  private returning?: Promise<boolean>;

  /** `useReturning` forces the choice of recordMany's statement (tests of both ways). */
  constructor(
    private readonly db: Knex,
    private readonly useReturning?: boolean,
  ) {}

  /**
   * One event, claimed by `claim` until leaseUntil. Null when it was already recorded (a
   * re-delivery): the unique key tells, even when several deliveries race under one claim
   * (recordMany tells its own rows by a claim of their own, so it needs one per call).
   */
  async record(ev: NewInboundEvent, claim: string, now: Date, leaseUntil: Date): Promise<number | null> {
    try {
      const [id] = await retryingStatement(() => this.db('inbound_events').insert({
        event_key: ev.eventKey,
        event_type: ev.eventType,
        channel: ev.channel,
        payload: ev.payload,
        status: 'processing',
        attempts: 0,
        claimed_by: claim,
        lease_until: toDbTime(leaseUntil),
        received_at: toDbTime(now),
      }));
      return Number(id);
    } catch (err) {
      if (isDuplicateKey(err)) return null;
      throw err;
    }
  }

  /**
   * Records several events in one INSERT (one commit for a burst). `claim` must be new for each
   * call (without RETURNING it is how the rows this call inserted are told). Each is claimed by `claim`,
   * or, when its `claimed` is false, left pending for the poller (still tagged with the claim, so
   * the rows this call inserted can be told from those that were there already). Returns, in
   * order, each event's id, or null for a re-delivery (also for a key repeated within the call).
   */
  async recordMany(events: Array<NewInboundEvent & { claimed: boolean }>, claim: string, now: Date, leaseUntil: Date): Promise<Array<number | null>> {
    const firstOfKey = new Map<string, number>();
    events.forEach((e, i) => {
      if (!firstOfKey.has(e.eventKey)) firstOfKey.set(e.eventKey, i);
    });
    const rows = [...firstOfKey.values()]
      .map((i) => events[i])
      .sort((a, b) => (a.eventKey < b.eventKey ? -1 : 1)) // the same lock order in every replica
      .map((e) => [e.eventKey, e.eventType, e.channel, e.payload, e.claimed ? 'processing' : 'pending', 0, claim, e.claimed ? toDbTime(leaseUntil) : null, toDbTime(now)]);
    const returning = await this.supportsReturning();
    let mine: Array<{ id: unknown; event_key: string }> = [];
    for (let attempt = 1; ; attempt++) {
      try {
        mine = returning ? await this.insertReturning(rows) : await this.insertThenSelect(rows, claim);
        break;
      } catch (err: any) {
        if (attempt >= 5 || !isRetryable(err)) throw err;
        await new Promise((r) => setTimeout(r, 5 * attempt));
      }
    }
    const ids = new Map(mine.map((r) => [r.event_key, Number(r.id)]));
    return events.map((e, i) => (firstOfKey.get(e.eventKey) === i ? (ids.get(e.eventKey) ?? null) : null));
  }

  /**
   * One statement that inserts the new rows and names them (SQLite, MariaDB ≥ 10.5): this runs
   * for every acknowledgement, so it is written as plain SQL rather than built by knex each time,
   * and on MariaDB sent as a prepared statement (executePrepared: one per row count of an INSERT, at most MAX_PER_WRITE of event-recorder.ts).
   */
  private async insertReturning(rows: unknown[][]): Promise<Array<{ id: unknown; event_key: string }>> {
    const sqlite = dialectOf(this.db) === 'sqlite';
    const values = rows.map(() => ROW_PLACEHOLDERS).join(',');
    // Only a repeated key is skipped (SQLite's OR IGNORE would skip other failures too).
    if (sqlite) {
      const sql = `INSERT INTO inbound_events (${INSERT_COLUMNS.join(',')}) VALUES ${values} ON CONFLICT(event_key) DO NOTHING RETURNING id, event_key`;
      return this.db.raw(sql, rows.flat() as Knex.Value[]);
    }
    return executePrepared<any[]>(this.db, `INSERT IGNORE INTO inbound_events (${INSERT_COLUMNS.join(',')}) VALUES ${values} RETURNING id, event_key`, rows.flat());
  }

  /** MySQL has no INSERT … RETURNING: insert, then find the rows this call inserted by its claim. */
  private async insertThenSelect(rows: unknown[][], claim: string): Promise<Array<{ id: unknown; event_key: string }>> {
    const records = rows.map((r) => Object.fromEntries(INSERT_COLUMNS.map((c, i) => [c, r[i]])));
    await this.db('inbound_events').insert(records).onConflict('event_key').ignore();
    return this.db('inbound_events')
      .select('id', 'event_key')
      .whereIn('event_key', rows.map((r) => r[0] as string))
      .andWhere('claimed_by', claim);
  }

  /** Whether the database has INSERT … RETURNING (asked once). */
  private supportsReturning(): Promise<boolean> {
    return (this.returning ??= (async () => {
      if (this.useReturning !== undefined) return this.useReturning;
      if (dialectOf(this.db) === 'sqlite') return true;
      const res: any = await this.db.raw('SELECT VERSION() AS v');
      const m = /^(\d+)\.(\d+)[^ ]*mariadb/i.exec(String(res[0]?.[0]?.v ?? ''));
      if (m === null || Number(m[1]) < 10 || (Number(m[1]) === 10 && Number(m[2]) < 5)) return false;
      // Not on a Galera node: an INSERT IGNORE … RETURNING that loses a conflict at commit is run
      // again by the server (wsrep_retry_autocommit), and it was seen to name rows of the first
      // run that were never kept. Insert-then-select by the claim reads what was kept.
      return !(await onGaleraNode(this.db));
    })().catch(() => {
      this.returning = undefined; // ask again next time
      return false;
    }));
  }

  async seen(eventKey: string): Promise<boolean> {
    return Boolean(await this.db('inbound_events').where({ event_key: eventKey }).first('id'));
  }

  async get(id: number): Promise<InboundEventRow | null> {
    const r = await this.db('inbound_events').where({ id }).first();
    return r ? toRow(r) : null;
  }

  /** Takes up to `limit` rows that nobody is working on (never started, or their lease lapsed). */
  async claimStale(claim: string, now: Date, leaseUntil: Date, limit: number): Promise<InboundEventRow[]> {
    const t = toDbTime(now);
    const dueRows = (q: Knex.QueryBuilder) =>
      q.where((w) =>
        w.where('status', 'pending').orWhere((b) => b.where('status', 'processing').andWhere('lease_until', '<', t)),
      );
    const ids = (await dueRows(this.db('inbound_events').select('id')).orderBy('id').limit(limit)).map((r: any) => Number(r.id));
    if (!ids.length) return [];
    // Row by row by primary key (see claimOutboxRows: no range lock that would hold up inserts).
    await runTransaction(this.db, async (trx) => {
      for (const id of ids) {
        await dueRows(trx('inbound_events').where('id', id)).update({ status: 'processing', claimed_by: claim, lease_until: toDbTime(leaseUntil) });
      }
    }).catch((err) => {
      // Every try lost the rows to another replica claiming them at once (on Galera, at commit): none are ours.
      if (!isRetryable(err)) throw err;
    });
    const rows = await this.db('inbound_events').whereIn('id', ids).andWhere({ claimed_by: claim, status: 'processing' }).orderBy('id');
    return rows.map(toRow);
  }

  /**
   * Marks the event done inside the caller's transaction (the one that queues the replies).
   * False when this process no longer holds it: the caller must then roll back, so the replies
   * are queued by whoever does.
   */
  async complete(trx: Knex.Transaction, id: number, claim: string, now: Date): Promise<boolean> {
    const n = await trx('inbound_events').where({ id, claimed_by: claim, status: 'processing' }).update(doneColumns(trx, now));
    return n > 0;
  }

  /**
   * Marks several events done in one UPDATE, each under its own claim. Returns how many were
   * marked: fewer than given means some are no longer held here, and the caller must roll back
   * (and finish them one by one with complete()).
   */
  async completeMany(trx: Knex.Transaction, items: Array<{ id: number; claim: string }>, now: Date): Promise<number> {
    if (!items.length) return 0;
    // By primary key and claim only (claimed_by is set only while a row is being processed, or
    // on a row recorded for the poller, which is never in a batch): a condition on status would
    // let MySQL lock a range of the status index and hold up the inserts of new events.
    return trx('inbound_events')
      .whereIn('id', items.map((i) => i.id))
      .whereIn('claimed_by', [...new Set(items.map((i) => i.claim))])
      .update(doneColumns(trx, now));
  }

  /** Extends the lease of an event this claim still holds; false when it no longer does. */
  async renew(id: number, claim: string, leaseUntil: Date): Promise<boolean> {
    const n = await this.db('inbound_events').where({ id, claimed_by: claim, status: 'processing' }).update({ lease_until: toDbTime(leaseUntil) });
    return Number(n) > 0;
  }

  /** Gives up on an event that cannot be processed (e.g. a payload that no longer parses). */
  async fail(id: number, claim: string, error: string, now: Date): Promise<void> {
    await this.db('inbound_events')
      .where({ id, claimed_by: claim, status: 'processing' })
      .update({ status: 'failed', error: error.slice(0, 255), payload: null, processed_at: toDbTime(now), claimed_by: null, lease_until: null });
  }

  /**
   * Hands a held event back for a later try. A failed try (`countAttempt`, the default) is
   * counted, with its error; the try that reaches `maxAttempts` marks the event failed instead,
   * its payload kept for `xinfang inbound retry`. A try that never ran (the process stopping)
   * is not counted. Says what became of the row (null: no longer held here).
   */
  async release(id: number, claim: string, error: string, opts: { countAttempt?: boolean; maxAttempts?: number; now?: Date } = {}): Promise<'pending' | 'failed' | null> {
    const held = () => this.db('inbound_events').where({ id, claimed_by: claim, status: 'processing' });
    const count = opts.countAttempt ?? true;
    const common = { error: error.slice(0, 255), claimed_by: null, lease_until: null, ...(count ? { attempts: this.db.raw('attempts + 1') } : {}) };
    if (count && opts.maxAttempts !== undefined) {
      const failed = await held()
        .andWhere('attempts', '>=', opts.maxAttempts - 1)
        .update({ status: 'failed', processed_at: toDbTime(opts.now ?? new Date()), ...common });
      if (failed) return 'failed';
    }
    return (await held().update({ status: 'pending', ...common })) ? 'pending' : null;
  }

  /** Newest first: every event, or only those that failed; the payload is never read. */
  async list(opts: { failed?: boolean; limit?: number } = {}): Promise<InboundEventRow[]> {
    const columns = ['id', 'event_key', 'event_type', 'channel', 'status', 'attempts', 'claimed_by', 'lease_until', 'error', 'received_at', 'processed_at'];
    let q = this.db('inbound_events').select(columns).select(this.db.raw('payload is not null as has_payload')).orderBy('id', 'desc').limit(opts.limit ?? 50);
    if (opts.failed) q = q.where('status', 'failed');
    return (await q).map((r: any) => ({ ...toRow(r), payload: null, retryable: r.status === 'failed' && Boolean(Number(r.has_payload)) }));
  }

  /**
   * Puts a failed event back, its attempts reset, for the poller of any running server. Refused
   * when it is not failed, or its payload is gone (it could not be read, so nothing can run it).
   */
  async requeueFailed(id: number): Promise<{ ok: true } | { ok: false; reason: 'not_found' | 'not_failed' | 'no_payload'; row?: InboundEventRow }> {
    const n = await this.db('inbound_events')
      .where({ id, status: 'failed' })
      .whereNotNull('payload')
      .update({ status: 'pending', attempts: 0, error: null, processed_at: null, claimed_by: null, lease_until: null });
    if (n) return { ok: true };
    const row = await this.get(id);
    if (!row) return { ok: false, reason: 'not_found' };
    return { ok: false, reason: row.status === 'failed' ? 'no_payload' : 'not_failed', row: { ...row, payload: null } };
  }

  /**
   * Events received before `before` that nobody is working on (pending, or claimed by a process
   * whose lease lapsed): how many, and when the oldest came. No worker running shows here.
   */
  async waitingSince(before: Date, now: Date): Promise<{ n: number; oldest: string | null }> {
    const t = toDbTime(now);
    const r: any = await this.db('inbound_events')
      .where((w) => w.where('status', 'pending').orWhere((b) => b.where('status', 'processing').andWhere('lease_until', '<', t)))
      .andWhere('received_at', '<', toDbTime(before))
      .first(this.db.raw('count(*) as n'), this.db.raw('min(received_at) as oldest'));
    return { n: Number(r?.n ?? 0), oldest: r?.oldest ?? null };
  }

  /**
   * Drops handled events received before `before` (kept at least 8 h: Lark re-delivers for 6 h);
   * failed ones, kept for an operator to see and retry, received before `failedBefore`.
   */
  async prune(before: Date, failedBefore: Date = before): Promise<number> {
    const done = await this.db('inbound_events').where('status', 'done').andWhere('received_at', '<', toDbTime(before)).delete();
    const failed = await this.db('inbound_events').where('status', 'failed').andWhere('received_at', '<', toDbTime(failedBefore)).delete();
    return done + failed;
  }

  async count(status?: InboundStatus): Promise<number> {
    let q = this.db('inbound_events').count({ n: '*' });
    if (status) q = q.where({ status });
    const [r] = await q;
    return Number((r as any).n);
  }

  /**
   * Records that an unknown user was refused on `day` (Shanghai date), in the caller's
   * transaction. False when they were already refused that day.
   */
  async recordRefusal(trx: Knex | Knex.Transaction, openId: string, day: string, now: Date): Promise<boolean> {
    try {
      await trx('lark_refusals').insert({ open_id: openId, day, created_at: toDbTime(now) });
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  /** Remembers a person's private chat with the bot (seen on every private message). */
  async rememberP2pChat(trx: Knex | Knex.Transaction, openId: string, chatId: string, now: Date): Promise<void> {
    await trx('lark_p2p_chats')
      .insert({ open_id: openId, chat_id: chatId, updated_at: toDbTime(now) })
      .onConflict('open_id')
      .merge({ chat_id: chatId, updated_at: toDbTime(now) });
  }

  async p2pChatOf(openId: string): Promise<string | undefined> {
    const r = await this.db('lark_p2p_chats').where({ open_id: openId }).first('chat_id');
    return r?.chat_id ?? undefined;
  }

  async pruneRefusals(beforeDay: string): Promise<number> {
    return this.db('lark_refusals').where('day', '<', beforeDay).delete();
  }
}

function toRow(r: any): InboundEventRow {
  return {
    id: Number(r.id),
    eventKey: r.event_key,
    eventType: r.event_type,
    channel: r.channel,
    payload: r.payload ?? null,
    status: r.status,
    attempts: Number(r.attempts),
    claimedBy: r.claimed_by ?? null,
    leaseUntil: r.lease_until ?? null,
    error: r.error ?? null,
    receivedAt: r.received_at,
    processedAt: r.processed_at ?? null,
  };
}
