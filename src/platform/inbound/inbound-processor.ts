import { UNKNOWN_USER_REPLY_ONCE_A_DAY } from '../chat/unknown-user';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Knex } from 'knex';
import type { Router } from '../chat/router';
import type { Outgoing } from '../chat/messages';
import type { User } from '../directory/user-store';
import { runTransaction } from '../database/transaction';
import { addDays, shanghaiDate } from '../calendar/domain/dates';
import type { Core } from '../feature';
import { enqueueMessage, enqueueMessages, OutboxMessage } from '../outbox/outbox-store';
import { InboundEventStore, NewInboundEvent } from './inbound-event-store';
import type { LarkInbound, ReplyTarget } from '../lark/event-normalizer';

/** What an unknown Lark user is told, once a day. */
export const LARK_UNKNOWN_USER_REPLY = UNKNOWN_USER_REPLY_ONCE_A_DAY;
export const UNSUPPORTED_MESSAGE_REPLY = '目前只能识别文字消息。请直接输入文字，例如“帮助”。';
export const CARD_ACTION_PENDING_TOAST = '正在处理，结果稍后以消息发送';

/** An event the channel recorded and will work on. */
export type RecordedEvent = Exclude<LarkInbound, { kind: 'ignore' }>;

/** A recorded event: its row, and the claim under which this process may finish it. */
export interface Recorded {
  id: number;
  claim: string;
  /** Recorded for the poller (this process was too busy), not for this process. */
  polled: boolean;
}

/** The answer to a card callback (Lark card JSON 2.0 callbacks). */
export interface CardActionAnswer {
  toast?: { type: 'success' | 'info' | 'warning' | 'error'; content: string };
  card?: { type: 'raw'; data: Record<string, unknown> };
}

export interface InboundProcessorOptions {
  core: Core;
  router: Router;
  /**
   * Where events are recorded before they are acknowledged: a pool of its own (sidePool), so an
   * acknowledgement never waits for a connection held by the processing. Default: core.db.
   */
  recordDb?: Knex;
  /** Called after replies were queued, so the sender looks at once. */
  onQueued?: () => void;
  /** Events whose router runs, and whose replies are committed, together (one transaction). */
  batchSize?: number;
  /** Batches in flight at once. */
  batches?: number;
  /** Events waiting in memory; more are recorded for the poller. */
  maxWaiting?: number;
  /**
   * How long a lone event waits for others to share its batch (one commit instead of several:
   * fewer log flushes competing with the acknowledgements' inserts). The reply is that much later.
   */
  lingerMs?: number;
  /**
   * Acknowledgements first: while the event loop is this busy (0–1, over the last ≥ 100 ms) and
   * events keep arriving, new batches wait, so a burst is acknowledged in time (an event Lark
   * does not hear back about within 3 s is delivered again, which only adds to the load) and its
   * replies follow when the burst has passed. 1 turns this off.
   */
  yieldAbove?: number;
  /** …but no event waits longer than this for its turn because of it (at most a quarter of the lease). */
  maxYieldMs?: number;
  workerId?: string;
}

interface Job {
  id: number;
  ev: RecordedEvent;
  claim: string;
  /** performance.now() when it was queued here. */
  queuedAt: number;
}

/** A job whose router has run: what its commit writes. */
interface Prepared {
  job: Job;
  now: Date;
  messages: OutboxMessage[];
  /** An unknown user: the refusal is queued only if none went out today. */
  refusal?: { openId: string; day: string; message: OutboxMessage };
  answer: CardActionAnswer | null;
}

interface RecordRequest {
  ev: RecordedEvent;
  channel: 'ws' | 'webhook';
  inline: boolean;
  resolve: (r: Recorded | null) => void;
  reject: (err: unknown) => void;
}

const TOAST_MAX = 60;
/** INSERTs of recorded events that may be under way at once. */
const MAX_RECORD_WRITES = 2;
/**
 * A second INSERT starts only when the one under way has taken this long: under load, events
 * then gather into bigger INSERTs (each costs a round trip, whatever its size), and a commit
 * that stalls (a slow log flush) still holds nobody up for long.
 */
const SECOND_WRITE_AFTER_MS = 2;
/** A second batch of events is processed beside one that has run this long (a slow command). */
const SECOND_LANE_AFTER_MS = 250;

/** A batch commit found an event no longer held here: roll back and commit one by one. */
class NotAllHeld extends Error {}

/**
 * Ack fast, work after. A channel records each event (a re-delivered one is refused by the
 * unique key and changes nothing), acknowledges Lark, and hands the recorded row here.
 *
 * Recording: requests arriving together are written in one multi-row INSERT, so a burst costs
 * one commit, not one per event.
 *
 * Processing runs the router and then, in one transaction, queues the replies in the outbox and
 * marks the event done; events are taken in small batches whose replies commit together, one
 * batch at a time and one event after the other (a second batch runs beside a slow one), and the
 * events of one person in one chat are processed in order (a form's turns depend on each other).
 * Acknowledgements come first: during a burst the batches wait (see yieldAbove). If the process
 * dies in between, the row's lease lapses and the poller of any replica processes it. A handler's
 * own database writes are committed by the handler, so in that crash window a handler may run
 * twice; the replies are still queued once.
 */
export class InboundProcessor {
  readonly store: InboundEventStore;
  /** The same table through recordDb. */
  private readonly recordStore: InboundEventStore;
  readonly workerId: string;
  private readonly leaseMs: number;
  private readonly batchSize: number;
  private readonly maxBatches: number;
  private readonly maxWaiting: number;
  /** Jobs waiting, per conversation (person + chat), in arrival order. */
  private readonly queues = new Map<string, Job[]>();
  /** Conversations with a job waiting and none running, oldest first. */
  private readonly ready: string[] = [];
  private readonly busyKeys = new Set<string>();
  private waitingCount = 0;
  private readonly lingerMs: number;
  private lingerTimer: NodeJS.Timeout | null = null;
  private readonly yieldAbove: number;
  private readonly maxYieldMs: number;
  /** Set while batches wait for the acknowledgements: the next look. */
  private yieldTimer: NodeJS.Timeout | null = null;
  private eluMark = performance.eventLoopUtilization();
  private eluSampledAt = performance.now();
  private recordedSinceSample = 0;
  private acksPressing = false;
  /** Batches under way, with when each started (performance.now()). */
  private readonly running = new Map<Promise<void>, number>();
  private readonly p2pSeen = new Map<string, string>();
  private readonly recordQueue: RecordRequest[] = [];
  /** INSERTs of recorded events under way. */
  private recording = 0;
  /** Room in the queue promised to events being recorded. */
  private reservedRoom = 0;
  /** When each INSERT under way started (performance.now()). */
  private readonly writesStartedAt = new Set<number>();
  private secondWriteTimer: NodeJS.Timeout | null = null;
  private flushScheduled = false;
  private claimSeq = 0;
  private pollTimer: NodeJS.Timeout | null = null;
  /** Set while the poller runs: nudges it when an event was left for it. */
  private poller: (() => void) | null = null;
  private pruneTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  private polling = false;
  /** Polls and prunes under way, waited for by stop(). */
  private readonly background = new Set<Promise<unknown>>();

  constructor(private readonly o: InboundProcessorOptions) {
    this.store = new InboundEventStore(o.core.db);
    this.recordStore = o.recordDb ? new InboundEventStore(o.recordDb) : this.store;
    this.workerId = o.workerId ?? `${os.hostname().slice(0, 40)}:${process.pid}:${randomBytes(3).toString('hex')}`;
    this.leaseMs = o.core.config.OUTBOX_LEASE_SECONDS * 1000;
    this.batchSize = o.batchSize ?? 16;
    this.maxBatches = o.batches ?? 2;
    this.maxWaiting = o.maxWaiting ?? 2000;
    this.lingerMs = o.lingerMs ?? 50;
    this.yieldAbove = o.yieldAbove ?? 0.85;
    // Well inside the lease, so a held event is not taken over by a poller meanwhile (see renewIfOld).
    this.maxYieldMs = Math.min(o.maxYieldMs ?? 30_000, this.leaseMs / 4);
  }

  private get db(): Knex {
    return this.o.core.db;
  }

  // ------------------------------------------------------------------ recording

  /**
   * Records the event, claimed by this process, which processes it right after the
   * acknowledgement (see schedule); a card action answered inline is always claimed. When this
   * process already has too much waiting, the event is recorded for the poller (of any replica).
   * Null when it was recorded before: a re-delivery.
   */
  record(ev: RecordedEvent, channel: 'ws' | 'webhook', opts: { inline?: boolean } = {}): Promise<Recorded | null> {
    return new Promise((resolve, reject) => {
      this.recordQueue.push({ ev, channel, inline: opts.inline ?? false, resolve, reject });
      this.scheduleFlush();
    });
  }

  /**
   * Requests that arrive while an INSERT is under way go together in the next one; a second
   * INSERT may start beside a slow one (SECOND_WRITE_AFTER_MS).
   */
  private scheduleFlush(): void {
    if (this.flushScheduled || !this.recordQueue.length) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      void this.flushRecords();
    });
  }

  private async flushRecords(): Promise<void> {
    if (this.recording >= MAX_RECORD_WRITES || !this.recordQueue.length) return;
    if (this.recording > 0) {
      const waited = performance.now() - Math.min(...this.writesStartedAt);
      if (waited < SECOND_WRITE_AFTER_MS) {
        this.secondWriteTimer ??= setTimeout(() => {
          this.secondWriteTimer = null;
          void this.flushRecords();
        }, Math.ceil(SECOND_WRITE_AFTER_MS - waited));
        return;
      }
    }
    if (this.secondWriteTimer) clearTimeout(this.secondWriteTimer);
    this.secondWriteTimer = null;
    const batch = this.recordQueue.splice(0, 200);
    const startedAt = performance.now();
    this.writesStartedAt.add(startedAt);
    this.recording++;
    try {
      const results = await this.recordBatch(batch);
      batch.forEach((r, i) => r.resolve(results[i]));
    } catch (err) {
      for (const r of batch) r.reject(err);
    } finally {
      this.recording--;
      this.writesStartedAt.delete(startedAt);
      this.scheduleFlush();
    }
  }

  private async recordBatch(batch: RecordRequest[]): Promise<Array<Recorded | null>> {
    const now = new Date();
    const claim = `${this.workerId}#r${++this.claimSeq}`;
    const leaseUntil = new Date(now.getTime() + this.leaseMs);
    // Room is reserved until the events are scheduled: two INSERTs under way never both take it.
    let room = this.stopped ? 0 : this.maxWaiting - this.waitingCount - this.reservedRoom;
    const claimed = batch.map((r) => r.inline || room-- > 0);
    const reserved = claimed.filter((c, i) => c && !batch[i].inline).length;
    this.reservedRoom += reserved;
    const events: Array<NewInboundEvent & { claimed: boolean }> = batch.map((r, i) => ({
      eventKey: r.ev.key,
      eventType: r.ev.eventType,
      channel: r.channel,
      payload: JSON.stringify(r.ev),
      claimed: claimed[i],
    }));
    let ids: Array<number | null>;
    try {
      ids = await this.recordStore.recordMany(events, claim, now, leaseUntil);
    } finally {
      this.reservedRoom -= reserved;
    }
    this.recordedSinceSample += batch.length;
    const polled = claimed.some((c, i) => !c && ids[i] !== null);
    if (polled) this.o.core.logger.warn('lark: busy; events left for the poller');
    return ids.map((id, i) => (id === null ? null : { id, claim, polled: !claimed[i] }));
  }

  // ------------------------------------------------------------------ processing

  /** Processes a recorded event after the acknowledgement. */
  schedule(rec: Recorded, ev: RecordedEvent): void {
    if (rec.polled) return void this.poller?.();
    if (this.stopped) return; // its lease lapses and a poller takes it
    const job = { id: rec.id, ev, claim: rec.claim, queuedAt: performance.now() };
    const key = InboundProcessor.key(ev);
    const q = this.queues.get(key);
    if (q) q.push(job);
    else {
      this.queues.set(key, [job]);
      if (!this.busyKeys.has(key)) this.ready.push(key);
    }
    this.waitingCount++;
    if (this.yieldTimer) return; // pump looks again soon
    // After the acknowledgement has gone out; a lone event lingers a little for company.
    if (this.ready.length >= this.batchSize || this.lingerMs <= 0) setImmediate(() => this.pump());
    else this.lingerTimer ??= setTimeout(() => {
      this.lingerTimer = null;
      this.pump();
    }, this.lingerMs);
  }

  private static key(ev: RecordedEvent): string {
    return ev.kind === 'incoming' ? `${ev.incoming.userId}|${ev.incoming.chatId}` : `${ev.userId}|${ev.reply.receiveId}`;
  }

  /**
   * Whether new batches should wait for the acknowledgements (see InboundProcessorOptions.yieldAbove):
   * the event loop was busy over the last sample and events were recorded in it, and the oldest
   * job ready to start has not waited maxYieldMs yet.
   */
  private yieldingToAcks(): boolean {
    if (this.yieldAbove >= 1) return false;
    const now = performance.now();
    if (now - this.eluSampledAt >= 100) {
      const busy = performance.eventLoopUtilization(this.eluMark).utilization;
      this.eluMark = performance.eventLoopUtilization();
      this.acksPressing = busy >= this.yieldAbove && this.recordedSinceSample > 0;
      this.recordedSinceSample = 0;
      this.eluSampledAt = now;
    }
    if (!this.acksPressing || !this.ready.length) return false;
    // The oldest job ready to start (a conversation back from a batch goes to the end of ready,
    // though its next job may be older than those before it).
    let oldest = Infinity;
    for (const key of this.ready) oldest = Math.min(oldest, this.queues.get(key)![0].queuedAt);
    return now - oldest < this.maxYieldMs;
  }

  /** Starts batches: one job per conversation at a time, at most `batches` batches at once. */
  private pump(): void {
    if (this.running.size < this.maxBatches && this.ready.length && this.yieldingToAcks()) {
      this.lookAgainIn(50);
      return;
    }
    while (this.running.size < this.maxBatches && this.ready.length) {
      if (this.running.size > 0) {
        // Another lane opens only beside a slow batch.
        const running = performance.now() - Math.min(...this.running.values());
        if (running < SECOND_LANE_AFTER_MS) return this.lookAgainIn(SECOND_LANE_AFTER_MS - running);
      }
      const batch: Job[] = [];
      const keys: string[] = [];
      while (batch.length < this.batchSize && this.ready.length) {
        const key = this.ready.shift()!;
        const q = this.queues.get(key)!;
        batch.push(q.shift()!);
        if (!q.length) this.queues.delete(key);
        this.busyKeys.add(key);
        keys.push(key);
        this.waitingCount--;
      }
      const p: Promise<void> = this.processBatch(batch)
        .catch((err) => this.o.core.logger.error({ err }, 'lark: event processing failed'))
        .finally(() => {
          for (const k of keys) {
            this.busyKeys.delete(k);
            if (this.queues.has(k)) this.ready.push(k);
          }
          this.running.delete(p);
          this.pump();
        });
      this.running.set(p, performance.now());
    }
  }

  private lookAgainIn(ms: number): void {
    this.yieldTimer ??= setTimeout(() => {
      this.yieldTimer = null;
      this.pump();
    }, Math.ceil(ms));
  }

  private async processBatch(jobs: Job[]): Promise<void> {
    // One query finds the batch's senders; the router gets each one's record from here.
    let known: Map<string, User>;
    try {
      known = await this.o.core.users.getMany(jobs.map((j) => InboundProcessor.userOf(j.ev)));
    } catch (err) {
      for (const j of jobs) await this.store.release(j.id, j.claim, 'user lookup failed').catch(() => undefined);
      throw err;
    }
    const run = (job: Job) =>
      this.prepare(job, undefined, known.get(InboundProcessor.userOf(job.ev)) ?? null).catch((err) => {
        this.o.core.logger.error({ err, eventId: job.id }, 'lark: event processing failed; left for the poller');
        return null;
      });
    // One after the other: the acknowledgements' INSERTs meet one query of ours at a time, not sixteen.
    const prepared: Prepared[] = [];
    for (const job of jobs) {
      if (!(await this.renewIfOld(job))) continue;
      const p = await run(job);
      if (p) prepared.push(p);
    }
    if (prepared.length) await this.commit(prepared);
  }

  /**
   * An event that waited here a third of its lease (a burst, a long queue) has its lease renewed
   * before it runs, so no poller takes it over while it runs; false when another process already has.
   */
  private async renewIfOld(job: Job): Promise<boolean> {
    const now = performance.now();
    if (now - job.queuedAt < this.leaseMs / 3) return true;
    const held = await this.store.renew(job.id, job.claim, new Date(Date.now() + this.leaseMs)).catch(() => false);
    if (held) job.queuedAt = now;
    else this.o.core.logger.warn({ eventId: job.id }, 'lark: an event waited past its lease and was taken over elsewhere');
    return held;
  }

  /**
   * Runs the router for one recorded event and queues the replies (a card action: see
   * LarkEventIntake.onCardAction). `inline.take()` is asked once the replies are known: when it
   * says yes, the first card (or a short text, as a toast) becomes the callback's answer instead
   * of a message; when it says no, the first card patches the clicked card.
   */
  async process(id: number, ev: RecordedEvent, claim: string, inline?: { take: () => boolean }): Promise<{ answer: CardActionAnswer | null; done: boolean }> {
    const p = await this.prepare({ id, ev, claim, queuedAt: performance.now() }, inline);
    const [done] = await this.commit([p]);
    return { answer: done ? p.answer : null, done };
  }

  private static userOf(ev: RecordedEvent): string {
    return ev.kind === 'incoming' ? ev.incoming.userId : ev.userId;
  }

  /** `sender`: the sender's record (null: not registered), when the caller looked it up already. */
  private async prepare(job: Job, inline?: { take: () => boolean }, sender?: User | null): Promise<Prepared> {
    const { id, ev, claim } = job;
    const core = this.o.core;
    const userId = InboundProcessor.userOf(ev);
    if (sender === undefined) {
      try {
        sender = await core.users.get(userId);
      } catch (err) {
        await this.store.release(id, claim, 'user lookup failed').catch(() => undefined);
        throw err;
      }
    }
    const now = core.now();
    if (!sender) {
      // One polite refusal a day, and nothing else.
      const message = this.outboxMessage(ev.reply, { type: 'text', text: LARK_UNKNOWN_USER_REPLY }, id);
      return { job, now, messages: [], refusal: { openId: userId, day: shanghaiDate(now), message }, answer: inline ? {} : null };
    }

    const replies: Outgoing[] =
      ev.kind === 'unsupported' ? [{ type: 'text', text: UNSUPPORTED_MESSAGE_REPLY }] : await this.o.router.handle(ev.incoming, sender);
    let answer: CardActionAnswer | null = null;
    let queued = replies;
    let patchFirstCard = false;
    if (inline) {
      if (inline.take()) {
        const split = this.inlineAnswer(replies);
        answer = split.answer;
        queued = split.rest;
      } else {
        patchFirstCard = true;
      }
    }
    const messages = queued.map((r, i): OutboxMessage => {
      if (patchFirstCard && i === 0 && r.type === 'card' && ev.reply.cardMessageId) {
        const { receiveIdType, receiveId, cardMessageId } = ev.reply;
        return { kind: 'patch', messageId: cardMessageId, receiveIdType, receiveId, msgType: 'interactive', content: r.card, source: `lark-event:${id}` };
      }
      return this.outboxMessage(ev.reply, r, id);
    });
    return { job, now, messages, answer };
  }

  /**
   * Commits prepared jobs in one transaction: one UPDATE marks them all done (each under its
   * claim), one INSERT queues all their replies. If any is no longer held here, or anything
   * fails, each is committed on its own instead.
   */
  private async commit(prepared: Prepared[]): Promise<boolean[]> {
    let done: boolean[];
    try {
      done = await runTransaction(this.db, async (trx) => {
        if (prepared.length === 1) return [await this.commitOne(trx, prepared[0])];
        const now = prepared[0].now;
        const n = await this.store.completeMany(trx, prepared.map((p) => ({ id: p.job.id, claim: p.job.claim })), now);
        if (n !== prepared.length) throw new NotAllHeld();
        const messages: OutboxMessage[] = [];
        for (const p of prepared) {
          if (p.refusal) {
            if (await this.store.recordRefusal(trx, p.refusal.openId, p.refusal.day, now)) messages.push(p.refusal.message);
            continue;
          }
          const p2p = p.job.ev.p2pChat;
          if (p2p && this.p2pSeen.get(p2p.openId) !== p2p.chatId) await this.store.rememberP2pChat(trx, p2p.openId, p2p.chatId, now);
          messages.push(...p.messages);
        }
        await enqueueMessages(trx, messages, now);
        return prepared.map(() => true);
      });
    } catch (err) {
      if (prepared.length === 1) throw err;
      done = [];
      for (const p of prepared) {
        done.push(
          await runTransaction(this.db, (trx) => this.commitOne(trx, p)).catch((e) => {
            this.o.core.logger.error({ err: e, eventId: p.job.id }, 'lark: could not queue the replies; left for the poller');
            return false;
          }),
        );
      }
    }
    let queued = false;
    prepared.forEach((p, i) => {
      if (!done[i]) {
        this.o.core.logger.warn({ eventId: p.job.id }, 'lark: event not finished here (taken over by another process, or failed)');
        return;
      }
      if (p.messages.length || p.refusal) queued = true;
      const ev = p.job.ev;
      if (ev.p2pChat) this.rememberSeen(ev.p2pChat.openId, ev.p2pChat.chatId);
    });
    if (queued) this.o.onQueued?.();
    return done;
  }

  private async commitOne(trx: Knex.Transaction, p: Prepared): Promise<boolean> {
    const { job, now } = p;
    if (!(await this.store.complete(trx, job.id, job.claim, now))) return false;
    if (p.refusal) {
      if (await this.store.recordRefusal(trx, p.refusal.openId, p.refusal.day, now)) await enqueueMessage(trx, p.refusal.message, now);
      return true;
    }
    const p2p = job.ev.p2pChat;
    if (p2p && this.p2pSeen.get(p2p.openId) !== p2p.chatId) await this.store.rememberP2pChat(trx, p2p.openId, p2p.chatId, now);
    for (const m of p.messages) await enqueueMessage(trx, m, now);
    return true;
  }

  /** The first card replaces the clicked card; a short first text becomes a toast; the rest are sent. */
  private inlineAnswer(replies: Outgoing[]): { answer: CardActionAnswer; rest: Outgoing[] } {
    const [first, ...rest] = replies;
    const maxBytes = this.o.core.config.LARK_CARD_MAX_BYTES;
    if (first?.type === 'card' && Buffer.byteLength(JSON.stringify(first.card), 'utf8') <= maxBytes) {
      return { answer: { card: { type: 'raw', data: first.card } }, rest };
    }
    if (first?.type === 'text' && first.text.length <= TOAST_MAX && !first.text.includes('\n')) {
      return { answer: { toast: { type: 'info', content: first.text } }, rest };
    }
    return { answer: {}, rest: replies };
  }

  private outboxMessage(target: ReplyTarget, r: Outgoing, eventId: number): OutboxMessage {
    const base: OutboxMessage = target.replyTo
      ? { kind: 'reply', replyTo: target.replyTo, receiveIdType: target.receiveIdType, receiveId: target.receiveId, msgType: 'text', content: '' }
      : { kind: 'create', receiveIdType: target.receiveIdType, receiveId: target.receiveId, msgType: 'text', content: '' };
    const source = `lark-event:${eventId}`;
    if (r.type === 'text') return { ...base, msgType: 'text', content: { text: r.text }, source };
    if (r.type === 'card') return { ...base, msgType: 'interactive', content: r.card, source };
    return { ...base, msgType: 'file', content: { name: r.name, mime: r.mime, base64: r.base64 }, source };
  }

  private rememberSeen(openId: string, chatId: string): void {
    if (this.p2pSeen.size > 10_000) this.p2pSeen.clear();
    this.p2pSeen.set(openId, chatId);
  }

  // ------------------------------------------------------------------ the poller

  /** Looks for events nobody finished (a crash, or too many waiting) now and every pollMs. */
  startPoller(pollMs: number): void {
    this.stopped = false;
    if (this.pollTimer) return;
    const tick = () => this.track(this.pollOnce().catch((err) => this.o.core.logger.error({ err }, 'lark: inbound poller failed')));
    let nudged = false;
    this.poller = () => {
      if (nudged) return;
      nudged = true;
      setTimeout(() => {
        nudged = false;
        tick();
      }, 100).unref?.();
    };
    this.pollTimer = setInterval(tick, pollMs);
    this.pollTimer.unref?.();
    tick();
    const prune = () => this.track(this.prune().catch((err) => this.o.core.logger.warn({ err }, 'lark: pruning old events failed')));
    this.pruneTimer = setInterval(prune, 60 * 60_000);
    this.pruneTimer.unref?.();
    prune();
  }

  /**
   * Takes over unfinished events (never claimed, or their lease lapsed) as far as there is room,
   * and queues them for processing; returns how many.
   */
  async pollOnce(limit = 50): Promise<number> {
    if (this.polling || this.stopped) return 0;
    const room = Math.min(limit, this.maxWaiting - this.waitingCount);
    if (room <= 0) return 0;
    this.polling = true;
    try {
      const now = new Date();
      const claim = `${this.workerId}#p${++this.claimSeq}`;
      const rows = await this.store.claimStale(claim, now, new Date(now.getTime() + this.leaseMs), room);
      for (const row of rows) {
        let ev: RecordedEvent;
        try {
          ev = JSON.parse(row.payload ?? '');
          if (!ev || (ev.kind !== 'incoming' && ev.kind !== 'unsupported')) throw new Error('bad payload');
        } catch {
          await this.store.fail(row.id, claim, 'payload unreadable', now);
          continue;
        }
        this.o.core.logger.debug({ eventId: row.id, type: row.eventType, attempts: row.attempts }, 'lark: polled event taken');
        this.schedule({ id: row.id, claim, polled: false }, ev);
      }
      // A full batch: there may be more; look again as soon as these are under way.
      if (rows.length === room && room === limit) setTimeout(() => this.track(this.pollOnce(limit).catch(() => undefined)), 50).unref?.();
      return rows.length;
    } finally {
      this.polling = false;
    }
  }

  private track(p: Promise<unknown>): void {
    this.background.add(p);
    void p.finally(() => this.background.delete(p));
  }

  /** Drops events handled more than the retention ago, and old refusal days. */
  async prune(): Promise<void> {
    const now = new Date();
    const hours = this.o.core.config.LARK_EVENT_RETENTION_HOURS;
    const n = await this.store.prune(new Date(now.getTime() - hours * 3600_000));
    await this.store.pruneRefusals(addDays(shanghaiDate(now), -7));
    if (n) this.o.core.logger.info({ pruned: n }, 'lark: old event records pruned');
  }

  /** Waits for the events in hand; nothing new is started. */
  async stop(timeoutMs = 10_000): Promise<void> {
    this.stopped = true;
    this.poller = null;
    if (this.lingerTimer) clearTimeout(this.lingerTimer);
    this.lingerTimer = null;
    if (this.yieldTimer) clearTimeout(this.yieldTimer);
    this.yieldTimer = null;
    const deadline = Date.now() + timeoutMs;
    // Events being recorded are written first (unclaimed now, for any replica's poller), so their
    // requests are answered before the recording pool closes.
    while ((this.recordQueue.length || this.recording > 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    if (this.secondWriteTimer) clearTimeout(this.secondWriteTimer);
    this.secondWriteTimer = null;
    if (this.pollTimer) clearInterval(this.pollTimer);
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    this.pollTimer = null;
    this.pruneTimer = null;
    // Events not started yet go back to the table at once, for whichever replica polls first.
    const left = [...this.queues.values()].flat();
    this.queues.clear();
    this.ready.length = 0;
    this.waitingCount = 0;
    for (const w of left) await this.store.release(w.id, w.claim, 'process stopping').catch(() => undefined);
    let t: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all([...this.running.keys(), ...this.background]),
      new Promise<void>((r) => {
        t = setTimeout(r, Math.max(0, deadline - Date.now()));
      }),
    ]);
    clearTimeout(t);
  }

  /** Resolves when nothing is being recorded, waiting or running (tests). */
  async idle(): Promise<void> {
    while (this.running.size || this.waitingCount || this.polling || this.recording > 0 || this.recordQueue.length || this.secondWriteTimer || this.lingerTimer || this.yieldTimer) {
      await Promise.race([...this.running.keys(), new Promise((r) => setTimeout(r, 5))]);
    }
  }
}
