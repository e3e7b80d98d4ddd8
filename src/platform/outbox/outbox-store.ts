import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { toDbTime } from '../database/time';
import { isRetryable, runTransaction } from '../database/transaction';
import { executePrepared } from '../database/prepared-statement';


/**
 * The transport a row is queued for, and the only one that may send it: 'lark', or 'console'
 * (the sandbox: nothing leaves the machine). A process sets it once for its database handle
 * (setOutboxTransport, from its settings); every row written through that handle, or a
 * transaction of it, carries it. A handle never set queues for Lark, so the console never
 * takes a row it was not given.
 */
export function setOutboxTransport(db: Knex, transport: string): void {
  db.userParams = { ...(db.userParams ?? {}), outboxTransport: transport };
}

/** The transport rows written through this handle are queued for. */
export function outboxTransportOf(db: Knex | Knex.Transaction): string {
  const t = (db as { userParams?: { outboxTransport?: unknown } }).userParams?.outboxTransport;
  return typeof t === 'string' && t ? t : 'lark';
}

/** A message to send, as the caller describes it. */
export interface OutboxMessage {
  kind?: OutboxKind;
  /** chat_id for groups (oc_…), open_id for a person (ou_… or a console user id). */
  receiveIdType?: 'chat_id' | 'open_id';
  receiveId?: string;
  replyTo?: string;
  messageId?: string;
  msgType: 'text' | 'interactive' | 'file';
  /** For text: { text }, for interactive: the card JSON; stored as Lark's content string. */
  content: unknown;
  /** What queued it, for tracing (e.g. 'reminder:42'). */
  source?: string;
  /** Send no earlier than this. */
  notBefore?: Date;
  /** The transport that may send it; by default the handle's (setOutboxTransport). */
  transport?: string;
}

import { toOutboxRow, type OutboxKind, type OutboxRow, type OutboxStatus } from './outbox-row';

export { toOutboxRow, type OutboxKind, type OutboxRow, type OutboxStatus } from './outbox-row';

/**
 * Queues a message in the caller's transaction, so the message exists if and only if the change
 * that caused it was committed. The uuid is Lark's idempotency key for this row.
 */
export async function enqueueMessage(trx: Knex | Knex.Transaction, msg: OutboxMessage, now = new Date()): Promise<number> {
  const [id] = await insertOutboxRows(trx, [msg], now);
  return Number(id);
}

/** Queues several messages (in the caller's transaction), in order, in as few INSERTs as may be. */
export async function enqueueMessages(trx: Knex | Knex.Transaction, msgs: OutboxMessage[], now = new Date()): Promise<void> {
  await insertOutboxRows(trx, msgs, now);
}

/**
 * Rows and content bytes per INSERT (SQLite: knex inserts there by a compound SELECT of ≤ 500 terms), under MySQL's
 * packet limit. On MySQL a full chunk of `prepared` rows goes as one prepared statement, the same text every time (each
 * connection prepares it once): a reminder run's thousands of cards then travel unescaped, and the server parses no
 * megabytes of SQL. Smaller or byte-cut chunks go by knex.
 */
const INSERT_ROWS = { mysql: 1000, sqlite: 250, bytes: 4 * 1024 * 1024, prepared: 200 };
const COLUMNS = ['uuid', 'kind', 'receive_id_type', 'receive_id', 'reply_to', 'message_id', 'msg_type', 'content', 'status', 'attempts', 'next_attempt_at', 'source', 'created_at', 'transport'];
const PREPARED_INSERT = `INSERT INTO outbox (${COLUMNS.join(',')}) VALUES ${Array(INSERT_ROWS.prepared).fill(`(${COLUMNS.map(() => '?').join(',')})`).join(',')}`;

/** The one place outbox rows are written: multi-row INSERTs, in order, on the connection or transaction given
 * (not knex's batchInsert: it waits a timer tick, and opens a transaction of its own). Returns the first INSERT's answer. */
async function insertOutboxRows(trx: Knex | Knex.Transaction, msgs: OutboxMessage[], now: Date): Promise<unknown[]> {
  const [transport, mysql] = [outboxTransportOf(trx), String((trx.client as { config: { client: unknown } }).config.client).includes('mysql')];
  const maxRows = !mysql ? INSERT_ROWS.sqlite : msgs.length >= INSERT_ROWS.prepared ? INSERT_ROWS.prepared : INSERT_ROWS.mysql;
  let first: unknown[] | undefined;
  for (let i = 0, bytes = 0; i < msgs.length; bytes = 0) {
    const rows: Record<string, unknown>[] = [];
    for (; i < msgs.length && rows.length < maxRows && (!rows.length || bytes < INSERT_ROWS.bytes); i++) {
      rows.push(outboxInsertRow(msgs[i], now, transport));
      bytes += Buffer.byteLength(rows[rows.length - 1].content as string) + 512; // and the other columns, generously
    }
    const ids = mysql && rows.length === INSERT_ROWS.prepared
      ? [(await executePrepared<{ insertId: number }>(trx, PREPARED_INSERT, rows.flatMap((row) => COLUMNS.map((c) => row[c])))).insertId]
      : await trx('outbox').insert(rows);
    first ??= ids;
  }
  return first ?? [];
}

function outboxInsertRow(msg: OutboxMessage, now: Date, transport: string): Record<string, unknown> {
  const content = typeof msg.content === 'string' ? msg.content : JSON.stringify(msg.content);
  return {
    uuid: randomUUID(),
    kind: msg.kind ?? 'create',
    receive_id_type: msg.receiveIdType ?? 'chat_id',
    receive_id: msg.receiveId ?? null,
    reply_to: msg.replyTo ?? null,
    message_id: msg.messageId ?? null,
    msg_type: msg.msgType,
    content,
    status: 'pending',
    attempts: 0,
    next_attempt_at: toDbTime(msg.notBefore ?? now),
    source: msg.source ?? null,
    created_at: toDbTime(now),
    transport: msg.transport ?? transport,
  };
}


/*
 * The sender's side of the outbox. A row moves pending -> sending (claimed by one sender, with a
 * lease) -> sent | failed, or back to pending for a retry. Every change names the claim it
 * holds, so a sender whose lease ran out (and whose row another sender took over) changes nothing.
 * A row left in 'sending' by a crash is taken again once its lease has passed, and sent again
 * with the same uuid, which Lark answers with the message it already sent.
 */

/** The rows a sender may take now: pending and due, or 'sending' with a lapsed lease. */
function due(q: Knex.QueryBuilder, now: string): Knex.QueryBuilder {
  return q.where((w) =>
    w
      .where((a) => a.where('status', 'pending').andWhere('next_attempt_at', '<=', now))
      .orWhere((b) => b.where('status', 'sending').andWhere('lease_until', '<', now)),
  );
}

export interface DueOutboxRef {
  id: number;
  /** Where the budget is counted: the chat or person, or the message for a patch. */
  budgetKey: string;
}

/** The key a row's per-chat budget is counted under. */
export function outboxBudgetKey(r: { receiveId: string | null; messageId: string | null; replyTo: string | null }): string {
  if (r.receiveId) return r.receiveId;
  return `msg:${r.messageId ?? r.replyTo ?? ''}`;
}

/**
 * Due rows (of the given transports; a sender always names its own), oldest first, skipping the
 * chats whose queue in this sender is already full so one chat's backlog cannot starve the others.
 */
export async function findDueOutbox(
  db: Knex,
  now: Date,
  opts: { limit: number; transports?: readonly string[]; skipReceivers?: string[] },
): Promise<DueOutboxRef[]> {
  let q = due(db('outbox').select('id', 'receive_id', 'message_id', 'reply_to'), toDbTime(now));
  if (opts.transports) q = q.whereIn('transport', opts.transports);
  const skip = opts.skipReceivers ?? [];
  if (skip.length) q = q.where((w) => w.whereNull('receive_id').orWhereNotIn('receive_id', skip));
  const rows = await q.orderBy('id').limit(opts.limit);
  return rows.map((r: any) => ({
    id: Number(r.id),
    budgetKey: outboxBudgetKey({ receiveId: r.receive_id ?? null, messageId: r.message_id ?? null, replyTo: r.reply_to ?? null }),
  }));
}

/**
 * Takes the given rows for this claim, each only if it is still due (and, when transports are
 * given, queued for one of them): the UPDATE's condition is checked row by row by the database,
 * so two senders never both take a row. Returns what was taken.
 */
export async function claimOutboxRows(
  db: Knex,
  ids: number[],
  claim: string,
  now: Date,
  leaseUntil: Date,
  transports?: readonly string[],
): Promise<OutboxRow[]> {
  if (!ids.length) return [];
  // Row by row, by primary key, in one transaction: a single `id IN (…) AND status …` UPDATE
  // lets MySQL lock a range of the status index, which would hold up every enqueue meanwhile.
  const t = toDbTime(now);
  const n = await runTransaction(db, async (trx) => {
    let taken = 0;
    for (const id of ids) {
      const q = due(trx('outbox').where('id', id), t);
      if (transports) q.whereIn('transport', transports);
      taken += await q.update({ status: 'sending', claimed_by: claim, lease_until: toDbTime(leaseUntil) });
    }
    return taken;
  }).catch((err: unknown) => (isRetryable(err) ? 0 : Promise.reject(err))); // every try lost to another sender taking them (Galera: at COMMIT)
  if (!n) return [];
  const rows = await db('outbox').whereIn('id', ids).andWhere({ claimed_by: claim, status: 'sending' }).orderBy('id');
  return rows.map(toOutboxRow);
}

/**
 * Keeps this sender's claims alive while their rows wait in its queue. (claimed_by is set only
 * while a row is 'sending'; the primary key keeps the lock to these rows.)
 */
export async function extendOutboxLeases(db: Knex, ids: number[], claims: string[], leaseUntil: Date): Promise<number> {
  if (!ids.length || !claims.length) return 0;
  return db('outbox').whereIn('id', ids).whereIn('claimed_by', claims).update({ lease_until: toDbTime(leaseUntil) });
}

function held(db: Knex | Knex.Transaction, id: number, claim: string) {
  return db('outbox').where({ id, claimed_by: claim, status: 'sending' });
}

export async function markOutboxSent(db: Knex, id: number, claim: string, larkMessageId: string | null, now: Date): Promise<boolean> {
  const n = await held(db, id, claim).update({
    status: 'sent',
    sent_at: toDbTime(now),
    lark_message_id: larkMessageId,
    attempts: db.raw('attempts + 1'),
    error_code: null,
    error_msg: null,
    failing_since: null,
    unanswered_since: null,
    claimed_by: null,
    lease_until: null,
  });
  return n > 0;
}

/** Back to pending (its run of failures dated from the first), to be sent again no earlier than nextAttemptAt. */
export async function markOutboxRetry(
  db: Knex,
  id: number,
  claim: string,
  r: { nextAttemptAt: Date; code: number | null; msg: string; countAttempt: boolean; now?: Date; unanswered?: boolean },
): Promise<boolean> {
  const n = await held(db, id, claim).update({
    status: 'pending',
    next_attempt_at: toDbTime(r.nextAttemptAt),
    error_code: r.code,
    error_msg: r.msg.slice(0, 512),
    failing_since: db.raw('coalesce(failing_since, ?)', [toDbTime(r.now ?? new Date())]),
    ...(r.unanswered ? { unanswered_since: db.raw('coalesce(unanswered_since, ?)', [toDbTime(r.now ?? new Date())]) } : {}),
    ...(r.countAttempt ? { attempts: db.raw('attempts + 1') } : {}),
    claimed_by: null,
    lease_until: null,
  });
  return n > 0;
}

export async function markOutboxFailed(db: Knex, id: number, claim: string, code: number | null, msg: string, countAttempt = true, now = new Date()): Promise<boolean> {
  const n = await held(db, id, claim).update({
    status: 'failed',
    failed_at: toDbTime(now),
    error_code: code,
    error_msg: msg.slice(0, 512),
    ...(countAttempt ? { attempts: db.raw('attempts + 1') } : {}),
    claimed_by: null,
    lease_until: null,
  });
  return n > 0;
}

/** Gives claimed but unsent rows back (a sender stopping); they are due again at once. */
export async function releaseOutboxRows(db: Knex, ids: number[], claims: string[]): Promise<number> {
  if (!ids.length || !claims.length) return 0;
  return db('outbox').whereIn('id', ids).whereIn('claimed_by', claims).update({ status: 'pending', claimed_by: null, lease_until: null });
}

export async function getOutboxRow(db: Knex, id: number): Promise<OutboxRow | null> {
  const r = await db('outbox').where({ id }).first();
  return r ? toOutboxRow(r) : null;
}

/** Newest first; only failed rows when asked. */
export async function listOutbox(db: Knex, opts: { failed?: boolean; limit?: number } = {}): Promise<OutboxRow[]> {
  let q = db('outbox').orderBy('id', 'desc').limit(opts.limit ?? 50);
  if (opts.failed) q = q.where('status', 'failed');
  return (await q).map(toOutboxRow);
}

export type RequeueResult =
  | { ok: true; row: OutboxRow }
  | { ok: false; reason: 'not_found' | 'not_failed' | 'other_transport'; row?: OutboxRow };

/**
 * Puts a failed row of the given transport back in the queue, due now, its attempts reset (a row
 * queued for another transport is left as it is). The uuid stays: Lark keeps it for an hour, so
 * a retry within the hour of a send that did go through sends nothing twice.
 */
export async function requeueOutboxRow(db: Knex, id: number, now: Date, transport?: string): Promise<RequeueResult> {
  const n = await db('outbox').where({ id, status: 'failed', ...(transport ? { transport } : {}) }).update({
    status: 'pending',
    attempts: 0,
    next_attempt_at: toDbTime(now),
    error_code: null,
    error_msg: null,
    failing_since: null,
    unanswered_since: null,
    failed_at: null,
    claimed_by: null,
    lease_until: null,
  });
  const row = await getOutboxRow(db, id);
  if (!row) return { ok: false, reason: 'not_found' };
  if (!n) return { ok: false, reason: row.status !== 'failed' ? 'not_failed' : 'other_transport', row };
  return { ok: true, row };
}

/** Whether any row of these transports waits to be sent or is being sent (a sender running until idle). */
export async function outboxHasWork(db: Knex, transports?: readonly string[]): Promise<boolean> {
  const q = db('outbox').whereIn('status', ['pending', 'sending']);
  if (transports) q.whereIn('transport', transports);
  const [r] = await q.count({ n: '*' });
  return Number((r as any).n) !== 0;
}

/** How many rows wait to be sent by a transport other than these, by transport (told at a sender's start). */
export async function countUnsentOfOtherTransports(db: Knex, transports: readonly string[]): Promise<Map<string, number>> {
  const rows = await db('outbox')
    .select('transport')
    .count({ n: '*' })
    .whereIn('status', ['pending', 'sending'])
    .whereNotIn('transport', transports)
    .groupBy('transport');
  return new Map((rows as any[]).map((r) => [String(r.transport), Number(r.n)]));
}

/** Rows after the given id, oldest first (the console's view of what the bot sent). */
export async function outboxRowsAfter(db: Knex, afterId: number, limit = 50): Promise<OutboxRow[]> {
  return (await db('outbox').where('id', '>', afterId).orderBy('id').limit(limit)).map(toOutboxRow);
}

/** How many rows wait to be sent, for /metrics and the CLI. */
export async function countOutboxByStatus(db: Knex): Promise<Record<OutboxStatus, number>> {
  const rows = await db('outbox').select('status').count({ n: '*' }).groupBy('status');
  const out: Record<OutboxStatus, number> = { pending: 0, sending: 0, sent: 0, failed: 0 };
  for (const r of rows as any[]) out[r.status as OutboxStatus] = Number(r.n);
  return out;
}

/** The statuses of the messages of each of these sources (e.g. reminder:<id>), by source. */
export async function outboxStatusesBySource(db: Knex | Knex.Transaction, sources: readonly string[]): Promise<Map<string, OutboxStatus[]>> {
  const statuses = new Map<string, OutboxStatus[]>();
  for (let i = 0; i < sources.length; i += 500) {
    for (const o of await db('outbox').whereIn('source', sources.slice(i, i + 500)).select('source', 'status')) {
      statuses.set(o.source, [...(statuses.get(o.source) ?? []), o.status]);
    }
  }
  return statuses;
}

/** The newest outbox row's id (0 when there is none): a mark to drop what was queued after it. */
export async function lastOutboxId(db: Knex | Knex.Transaction): Promise<number> {
  return Number((await db('outbox').max('id as m').first())?.m ?? 0);
}

/** Drops every row queued after the mark, unsent (the demo's seeding: history, not news). */
export async function dropOutboxAfter(db: Knex | Knex.Transaction, id: number): Promise<number> {
  return db('outbox').where('id', '>', id).delete();
}
