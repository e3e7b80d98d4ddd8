import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { pingDatabase } from '../database/connection';
import { DbOutage, isDbUnavailable } from './db-outage';
import {
  claimOutboxRows,
  extendOutboxLeases,
  findDueOutbox,
  outboxBudgetKey,
  outboxHasWork,
  OutboxRow,
  releaseOutboxRows,
} from './outbox-store';
import type { OutboxWorkerOptions } from './outbox-worker-options';
import { SendBudget } from './send-budget';
import { bringOneRetryForward, bringRetriesForward } from './outbox-backlog';
import { cappedBackoff, SendOutcomes } from './send-outcome';
import { warnOfOthersRows, type SendResult } from './transport';

export type { OutboxWorkerOptions };

interface Queued {
  row: OutboxRow;
  claim: string;
  key: string;
}

/**
 * The one sender of every outgoing message. It claims due outbox rows of its own transport (a row
 * belongs to the transport it was queued for; several replicas may run one each: a row is claimed
 * by a conditional UPDATE, with a lease), keeps them in per-chat
 * queues, and sends them oldest first within the budgets: one message in flight per chat (so a
 * chat reads its messages in order), at most `chatRate` per second per chat and `appRate` per
 * second in all. Rate-limit answers pause the chat or the whole app for as long as Lark says and
 * keep the row; 5xx and network errors send it back to the table with a capped back-off, for as
 * long as the retry horizon (a probe every 15 s while Lark fails; the first accepted send makes
 * every waiting row due); anything else marks it failed with Lark's code and message. The budgets are SendBudget's; what becomes of a
 * row after its send is SendOutcomes'. While the database is away it sends nothing and looks
 * again after a capped exponential back-off, logging the outage once and a summary after (DbOutage).
 */
export class OutboxWorker {
  readonly workerId: string;
  private readonly clock: () => number;
  private readonly budget: SendBudget;
  private readonly outcomes: SendOutcomes;
  private readonly outage: DbOutage;
  /** The rows this sender may take: those queued for its transport. */
  private readonly transports: readonly string[];
  private readonly perChatQueue: number;
  private readonly maxQueued: number;

  private readonly queues = new Map<string, Queued[]>();
  private readonly busyKeys = new Set<string>();
  private readonly inflight = new Map<number, Promise<void>>();
  private readonly claimCounts = new Map<string, number>();
  private claimSeq = 0;
  private queued = 0;

  private running = false;
  private stopping = false;
  private ticking = false;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private currentTick: Promise<void> | null = null;
  private leaseTimer: NodeJS.Timeout | null = null;
  private nextFillAt = 0;
  private nextProbeAt = 0;
  private lastFillEmpty = false;
  private idleWaiters: Array<() => void> = [];
  private waitForScheduled = false;


  constructor(private readonly o: OutboxWorkerOptions) {
    this.workerId = o.workerId ?? `${os.hostname().slice(0, 40)}:${process.pid}:${randomBytes(3).toString('hex')}`;
    this.clock = o.clock ?? Date.now;
    const baseMarginMs = o.windowMarginMs ?? 30;
    const maxMarginMs = Math.max(baseMarginMs, o.maxWindowMarginMs ?? 250);
    this.budget = new SendBudget({ chatRate: o.chatRate, appRate: o.appRate, appPerMinute: o.appPerMinute, baseMarginMs, maxMarginMs, clock: this.clock });
    this.outcomes = new SendOutcomes({
      db: o.db,
      logger: o.logger,
      transport: o.transport.name,
      retryHorizonMs: o.retryHorizonMs ?? 6 * 3_600_000,
      maxAttempts: o.maxAttempts,
      cardMaxBytes: o.cardMaxBytes,
      backoffMs: o.backoffMs ?? cappedBackoff(o.retryMaxMs ?? 5 * 60_000),
      clock: this.clock,
    });
    this.outage = new DbOutage({ logger: o.logger, who: '发件箱', baseMs: Math.max(50, Math.min(o.pollMs, 1000)), maxMs: o.dbRetryMaxMs ?? 10_000, clock: this.clock });
    this.transports = [o.transport.name];
    this.perChatQueue = Math.max(2, o.chatRate * 2);
    this.maxQueued = Math.max(20, o.appRate * 2);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopping = false;
    this.leaseTimer = setInterval(() => void this.extendLeases(), Math.max(50, Math.floor(this.o.leaseMs / 3)));
    this.leaseTimer.unref?.();
    this.wake();
    void warnOfOthersRows(this.o.db, this.o.transport.name, this.o.logger);
  }

  /** Looks for due rows now (e.g. right after this process queued one). */
  kick(): void {
    this.nextFillAt = 0;
    if (this.running) this.wake();
  }

  /**
   * Stops claiming. Graceful: waits (up to timeoutMs) for the sends in flight, and hands the rows
   * still queued back to the table, so another replica sends them at once. Not graceful: just
   * stops, leaving every claim to lapse as a crash would (tests use this).
   */
  async stop(opts: { graceful?: boolean; timeoutMs?: number } = {}): Promise<void> {
    if (!this.running) return;
    this.stopping = true;
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    if (this.leaseTimer) clearInterval(this.leaseTimer);
    this.timer = null;
    this.leaseTimer = null;
    if (opts.graceful === false) return;
    const all = Promise.all([...this.inflight.values(), this.currentTick]);
    let t: NodeJS.Timeout | undefined;
    await Promise.race([all, new Promise<void>((r) => { t = setTimeout(r, opts.timeoutMs ?? 10_000); })]);
    clearTimeout(t);
    const left = [...this.queues.values()].flat();
    this.queues.clear();
    this.queued = 0;
    if (left.length) {
      try {
        await releaseOutboxRows(this.o.db, left.map((q) => q.row.id), [...new Set(left.map((q) => q.claim))]);
      } catch (err) {
        this.o.logger.warn({ err }, 'outbox: could not hand back queued rows; their leases will lapse');
      }
    }
    this.resolveIdle();
  }

  /**
   * Runs until nothing is due, queued or in flight, then stops (tests, benchmarks). With
   * waitForScheduled, rows waiting for a retry (or a lapsed lease) are waited for too.
   */
  async runUntilIdle(timeoutMs = 60_000, opts: { waitForScheduled?: boolean } = {}): Promise<void> {
    this.waitForScheduled = opts.waitForScheduled ?? false;
    const idle = new Promise<void>((r) => this.idleWaiters.push(r));
    const wasRunning = this.running;
    this.start();
    this.kick();
    let t: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((_, reject) => {
      t = setTimeout(() => reject(new Error(`outbox not idle after ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([idle, timeout]);
    } finally {
      clearTimeout(t);
      if (!wasRunning) await this.stop();
    }
  }

  /**
   * Sends one row now, outside the budgets (`xinfang outbox retry`): claims it if it is due,
   * sends, records the outcome. Returns false when the row was not due (e.g. another sender has it).
   */
  async sendOne(id: number): Promise<boolean> {
    const now = this.clock();
    const claim = this.nextClaim();
    const [row] = await claimOutboxRows(this.o.db, [id], claim, new Date(now), new Date(now + this.o.leaseMs), this.transports);
    if (!row) return false;
    await this.sendRow({ row, claim, key: outboxBudgetKey(row) }, false);
    return true;
  }

  get stats(): { queued: number; inflight: number; marginMs: number } {
    return { queued: this.queued, inflight: this.inflight.size, marginMs: this.budget.marginMs };
  }

  private nextClaim(): string {
    return `${this.workerId}#${++this.claimSeq}`;
  }

  private wake(delay = 0): void {
    if (!this.running) return;
    if (this.outage.down) delay = Math.max(delay, this.outage.retryAt - this.clock());
    if (this.ticking) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.currentTick = this.tick().finally(() => {
        this.currentTick = null;
      });
    }, Math.max(0, delay));
  }

  private async tick(): Promise<void> {
    this.timer = null;
    if (!this.running) return;
    this.ticking = true;
    let next = Number.POSITIVE_INFINITY;
    try {
      if (this.outage.down) {
        await pingDatabase(this.o.db);
        this.outage.recovered();
      }
      const now = this.clock();
      if (this.outcomes.troubled && now >= this.nextProbeAt) await this.probe(now);
      if (this.queued < this.maxQueued / 2 + 1 && now >= this.nextFillAt) await this.fill(now);
      next = this.dispatch(this.clock());
    } catch (err) {
      // The database away: nothing is sent until it answers. Anything else (a bug, a schema not migrated) is said as such, once a minute.
      if (isDbUnavailable(err) || this.outage.down) next = this.clock() + this.outage.failed(err);
      else next = this.clock() + this.outage.otherFailure(err, Math.max(this.o.pollMs, 1000));
      this.nextFillAt = next;
    } finally {
      this.ticking = false;
    }
    if (!this.running) return;
    if (this.idleWaiters.length && this.queued === 0 && this.inflight.size === 0 && this.lastFillEmpty && (await this.nothingLeftToSend())) {
      this.resolveIdle();
    }
    if (this.again) {
      this.again = false;
      return this.wake();
    }
    const now = this.clock();
    const fillAt = this.queued < this.maxQueued / 2 + 1 ? this.nextFillAt : Number.POSITIVE_INFINITY;
    const at = this.outage.down ? this.outage.retryAt : Math.min(next, fillAt, now + this.o.pollMs);
    this.wake(at - now);
  }

  /** Claims due rows up to the queue's room, fairly across chats. */
  private async fill(now: number): Promise<void> {
    const room = this.maxQueued - this.queued;
    if (room <= 0) return;
    const full = [...this.queues.entries()].filter(([, q]) => q.length >= this.perChatQueue).map(([k]) => k);
    const refs = await findDueOutbox(this.o.db, new Date(now), { limit: Math.min(1000, room * 5), skipReceivers: full, transports: this.transports });
    this.lastFillEmpty = refs.length === 0;
    this.nextFillAt = now + (refs.length ? Math.min(this.o.pollMs, 200) : this.o.pollMs);
    const counts = new Map<string, number>();
    const ids: number[] = [];
    for (const r of refs) {
      if (ids.length >= room) break;
      const c = counts.get(r.budgetKey) ?? this.queues.get(r.budgetKey)?.length ?? 0;
      if (c >= this.perChatQueue) continue;
      counts.set(r.budgetKey, c + 1);
      ids.push(r.id);
    }
    if (!ids.length) return;
    const claim = this.nextClaim();
    const rows = await claimOutboxRows(this.o.db, ids, claim, new Date(now), new Date(now + this.o.leaseMs), this.transports);
    if (!rows.length) return;
    this.claimCounts.set(claim, rows.length);
    for (const row of rows) {
      const key = outboxBudgetKey(row);
      const q = this.queues.get(key);
      if (q) q.push({ row, claim, key });
      else this.queues.set(key, [{ row, claim, key }]);
      this.queued++;
    }
  }

  /** Starts every send the budgets allow now; returns when to look again. */
  private dispatch(now: number): number {
    let next = Number.POSITIVE_INFINITY;
    if (!this.running || this.outage.down) return next;
    const appPaused = this.budget.appPausedUntil();
    if (appPaused > now) return appPaused;
    for (const [key, q] of [...this.queues.entries()]) {
      if (this.busyKeys.has(key)) continue;
      const fits = this.budget.check(key, now);
      if (!fits.ok) {
        next = Math.min(next, fits.at);
        if (fits.scope === 'app') break;
        continue;
      }
      const item = q.shift()!;
      this.queued--;
      // Round robin: a chat that just sent goes to the back of the line.
      this.queues.delete(key);
      if (q.length) this.queues.set(key, q);
      this.budget.spend(key, now);
      this.busyKeys.add(key);
      const p = this.sendRow(item, true).finally(() => {
        this.busyKeys.delete(key);
        this.inflight.delete(item.row.id);
        this.wake();
      });
      this.inflight.set(item.row.id, p);
    }
    return next;
  }

  /** Sends one row and records what became of it; `budgeted`: it was sent within the budgets. */
  private async sendRow(item: Queued, budgeted: boolean): Promise<void> {
    const { row, claim, key } = item;
    try {
      if (await this.outcomes.refuseOversize(row, claim)) return this.release(claim);
      const result = await this.attempt(row);
      const now = this.clock();
      if (result.ok) {
        if (budgeted) this.budget.accepted();
        if (await this.outcomes.sent(row, claim, result.messageId, now)) await this.bringRetriesForward(now);
        return this.release(claim);
      }
      if (result.kind === 'rate_limit' && budgeted && this.running) {
        const pauseMs = result.retryAfterMs ?? this.o.rateLimitPauseMs ?? 1000;
        this.budget.limited(result.scope, key, now + pauseMs);
        this.outcomes.rateLimited(row, result, pauseMs);
        // Keep the row (and its place at the head of its chat's queue).
        const q = this.queues.get(key);
        if (q) q.unshift(item);
        else this.queues.set(key, [item]);
        this.queued++;
        return;
      }
      await this.outcomes.failed(row, claim, result, now);
      return this.release(claim);
    } catch (err) {
      // The database failed us: the row stays claimed until its lease lapses, then goes again
      // with the same uuid. An outage is logged once (and pauses the sends), not row by row.
      if (isDbUnavailable(err)) this.outage.failed(err);
      else this.o.logger.error({ err, outboxId: row.id }, 'outbox: could not record the outcome of a send');
      this.release(claim);
    }
  }

  /** The transport's answer; a transport that throws counts as a network error. */
  private async attempt(row: OutboxRow): Promise<SendResult> {
    try {
      return await this.o.transport.send(row);
    } catch (err) {
      this.o.logger.warn({ err, outboxId: row.id }, 'outbox: transport threw');
      return { ok: false, kind: 'retry', code: null, msg: err instanceof Error ? err.message : String(err) };
    }
  }

  /**
   * While the transport keeps failing, one row waiting out its back-off is tried every probe
   * interval (15 s, or the back-off's cap when shorter), so the sender sees the transport back
   * within it, not only at the next row's back-off (up to OUTBOX_RETRY_MAX_SECONDS later).
   */
  private async probe(now: number): Promise<void> {
    this.nextProbeAt = now + Math.min(15_000, this.o.retryMaxMs ?? 15_000);
    if (await bringOneRetryForward(this.o.db, new Date(now), this.transports)) this.nextFillAt = 0;
  }

  /** The transport answers again: the rows waiting out a back-off go now (within the budgets). */
  private async bringRetriesForward(now: number): Promise<void> {
    try {
      if (await bringRetriesForward(this.o.db, new Date(now), this.transports)) this.kick();
    } catch (err) {
      if (isDbUnavailable(err)) this.outage.failed(err);
      else this.o.logger.warn({ err }, 'outbox: could not bring the waiting retries forward; each goes at its own time');
    }
  }

  private release(claim: string): void {
    const n = (this.claimCounts.get(claim) ?? 1) - 1;
    if (n <= 0) this.claimCounts.delete(claim);
    else this.claimCounts.set(claim, n);
  }

  private async extendLeases(): Promise<void> {
    const claims = [...this.claimCounts.keys()];
    const ids = [...[...this.queues.values()].flat().map((q) => q.row.id), ...this.inflight.keys()];
    if (!claims.length || !ids.length || !this.running) return;
    try {
      await extendOutboxLeases(this.o.db, ids, claims, new Date(this.clock() + this.o.leaseMs));
    } catch (err) {
      if (isDbUnavailable(err)) this.outage.failed(err);
      else this.o.logger.warn({ err }, 'outbox: could not extend leases');
    }
  }

  private async nothingLeftToSend(): Promise<boolean> {
    if (!this.waitForScheduled) return true;
    try {
      return !(await outboxHasWork(this.o.db, this.transports));
    } catch {
      return false;
    }
  }

  private resolveIdle(): void {
    const w = this.idleWaiters;
    this.idleWaiters = [];
    for (const r of w) r();
  }
}
