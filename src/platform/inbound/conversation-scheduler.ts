import { performance } from 'node:perf_hooks';
import type { Logger } from '../logging/logger';
import { AckPressure } from './ack-pressure';
import { conversationOf, HeldEvent } from './inbound-event';

/** A second batch of events is processed beside one that has run this long (a slow command). */
const SECOND_LANE_AFTER_MS = 250;

export interface ConversationSchedulerOptions {
  /** Runs one batch of events, one after the other (see TurnExecutor.runBatch). */
  runBatch: (events: HeldEvent[]) => Promise<void>;
  logger: Logger;
  /** Events per batch at most. */
  batchSize: number;
  /** Batches (lanes) in flight at once. */
  batches: number;
  /** How long a lone event waits for others to share its batch. */
  lingerMs: number;
  /** Tells when the acknowledgements are pressing (a burst arriving). */
  pressure: AckPressure;
  /** How long an event may wait for its turn because of a burst, at most. */
  maxYieldMs: number;
}

/**
 * When each held event runs. The events of one conversation (person + chat) run in order, one at
 * a time (a form's turns depend on each other); a batch takes the next event of each of up to
 * `batchSize` conversations, oldest conversation first. One batch runs at a time, and a second
 * lane opens only beside a slow batch. A lone event lingers a little for company (one commit
 * instead of several). While a burst arrives, new batches wait, so its acknowledgements go out
 * in time, but no event waits longer than maxYieldMs for that.
 */
export class ConversationScheduler {
  /** Events waiting, per conversation, in arrival order. */
  private readonly queues = new Map<string, HeldEvent[]>();
  /** Conversations with an event waiting and none running, oldest first. */
  private readonly ready: string[] = [];
  private readonly busyKeys = new Set<string>();
  private waitingCount = 0;
  private lingerTimer: NodeJS.Timeout | null = null;
  /** Set while batches wait (a burst, or for a second lane): the next look. */
  private yieldTimer: NodeJS.Timeout | null = null;
  /** Batches under way, with when each started (performance.now()). */
  private readonly running = new Map<Promise<void>, number>();

  constructor(private readonly o: ConversationSchedulerOptions) {}

  /** Events waiting here (not yet in a batch). */
  get waiting(): number {
    return this.waitingCount;
  }

  /** Batches under way. */
  get batchesRunning(): Promise<void>[] {
    return [...this.running.keys()];
  }

  /** Something waits, runs, or is about to be looked at. */
  get busy(): boolean {
    return this.running.size > 0 || this.waitingCount > 0 || this.lingerTimer !== null || this.yieldTimer !== null;
  }

  /** Queues a held event behind the others of its conversation; it runs after the acknowledgement has gone out. */
  add(event: HeldEvent): void {
    const key = conversationOf(event.ev);
    const q = this.queues.get(key);
    if (q) q.push(event);
    else {
      this.queues.set(key, [event]);
      if (!this.busyKeys.has(key)) this.ready.push(key);
    }
    this.waitingCount++;
    if (this.yieldTimer) return; // pump looks again soon
    if (this.ready.length >= this.o.batchSize || this.o.lingerMs <= 0) setImmediate(() => this.pump());
    else this.lingerTimer ??= setTimeout(() => {
      this.lingerTimer = null;
      this.pump();
    }, this.o.lingerMs);
  }

  /** Stops the timers (lingering, yielding); the batches under way go on. */
  stopTimers(): void {
    if (this.lingerTimer) clearTimeout(this.lingerTimer);
    this.lingerTimer = null;
    if (this.yieldTimer) clearTimeout(this.yieldTimer);
    this.yieldTimer = null;
  }

  /** Hands back the events not started, forgetting them. */
  takeWaiting(): HeldEvent[] {
    const left = [...this.queues.values()].flat();
    this.queues.clear();
    this.ready.length = 0;
    this.waitingCount = 0;
    return left;
  }

  /**
   * Whether new batches should wait for the acknowledgements: they are pressing, and the oldest
   * event ready to start has not waited maxYieldMs yet.
   */
  private yieldingToAcks(): boolean {
    const now = performance.now();
    if (!this.o.pressure.isPressing(now) || !this.ready.length) return false;
    // The oldest event ready to start (a conversation back from a batch goes to the end of ready,
    // though its next event may be older than those before it).
    let oldest = Infinity;
    for (const key of this.ready) oldest = Math.min(oldest, this.queues.get(key)![0].queuedAt);
    return now - oldest < this.o.maxYieldMs;
  }

  /** Starts batches: one event per conversation at a time, at most `batches` batches at once. */
  private pump(): void {
    if (this.running.size < this.o.batches && this.ready.length && this.yieldingToAcks()) {
      this.lookAgainIn(50);
      return;
    }
    while (this.running.size < this.o.batches && this.ready.length) {
      if (this.running.size > 0) {
        // Another lane opens only beside a slow batch.
        const running = performance.now() - Math.min(...this.running.values());
        if (running < SECOND_LANE_AFTER_MS) return this.lookAgainIn(SECOND_LANE_AFTER_MS - running);
      }
      this.startBatch();
    }
  }

  private startBatch(): void {
    const batch: HeldEvent[] = [];
    const keys: string[] = [];
    while (batch.length < this.o.batchSize && this.ready.length) {
      const key = this.ready.shift()!;
      const q = this.queues.get(key)!;
      batch.push(q.shift()!);
      if (!q.length) this.queues.delete(key);
      this.busyKeys.add(key);
      keys.push(key);
      this.waitingCount--;
    }
    const p: Promise<void> = this.o
      .runBatch(batch)
      .catch((err) => this.o.logger.error({ err }, 'lark: event processing failed'))
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

  private lookAgainIn(ms: number): void {
    this.yieldTimer ??= setTimeout(() => {
      this.yieldTimer = null;
      this.pump();
    }, Math.ceil(ms));
  }
}
