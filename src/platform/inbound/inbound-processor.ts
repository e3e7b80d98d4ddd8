import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Knex } from 'knex';
import type { Router } from '../chat/router';
import type { Core } from '../core/feature';
import { AckPressure } from './ack-pressure';
import { ConversationScheduler } from './conversation-scheduler';
import { EventRecorder } from './event-recorder';
import { InboundEventStore } from './inbound-event-store';
import type { CardActionAnswer, Recorded, RecordedEvent } from './inbound-event';
import { RecoveryPoller } from './recovery-poller';
import { InlineAnswer, TurnExecutor } from './turn-executor';

export type { CardActionAnswer, Recorded, RecordedEvent } from './inbound-event';
export { LARK_UNKNOWN_USER_REPLY, UNSUPPORTED_MESSAGE_REPLY } from './turn-executor';
export const CARD_ACTION_PENDING_TOAST = '正在处理，结果稍后以消息发送';

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
  /**
   * The web role: events are recorded for the workers (unclaimed, taken by their pollers) and
   * nothing is processed in this process; a card action is answered with a toast, its result
   * patching the card through the outbox.
   */
  recordOnly?: boolean;
}

/**
 * Ack fast, work after. A channel records each event (EventRecorder: a re-delivered one is
 * refused by the unique key and changes nothing), acknowledges Lark, and hands the recorded row
 * here (enqueue). The ConversationScheduler decides when each runs (one person's events in one
 * chat in order; small batches; acknowledgements first during a burst), the TurnExecutor runs
 * it through the router in one transaction (the turn) that holds the handler's writes, queues the
 * replies in the outbox and marks the event done. If the process dies before that commit, nothing
 * of the run is kept, the row's lease lapses and the RecoveryPoller of any replica takes it over.
 */
export class InboundProcessor {
  readonly store: InboundEventStore;
  readonly workerId: string;
  private readonly maxWaiting: number;
  private readonly pressure: AckPressure;
  private readonly recorder: EventRecorder;
  private readonly scheduler: ConversationScheduler;
  private readonly executor: TurnExecutor;
  private readonly poller: RecoveryPoller;
  private stopped = false;
  /** Records for the workers only (the web role, see InboundProcessorOptions.recordOnly). */
  readonly recordOnly: boolean;
  /** Events recorded as this process stops, being handed back (see handBack). */
  private readonly handingBack = new Set<Promise<unknown>>();

  constructor(o: InboundProcessorOptions) {
    const { core } = o;
    this.store = new InboundEventStore(core.db);
    this.workerId = o.workerId ?? `${os.hostname().slice(0, 40)}:${process.pid}:${randomBytes(3).toString('hex')}`;
    const leaseMs = core.config.OUTBOX_LEASE_SECONDS * 1000;
    const logger = core.logger;
    this.maxWaiting = o.maxWaiting ?? 2000;
    this.recordOnly = o.recordOnly ?? false;
    this.pressure = new AckPressure(o.yieldAbove ?? 0.85);
    const room = () => (this.stopped || this.recordOnly ? 0 : this.maxWaiting - this.scheduler.waiting);
    this.recorder = new EventRecorder({
      store: o.recordDb ? new InboundEventStore(o.recordDb) : this.store,
      workerId: this.workerId,
      leaseMs,
      logger,
      room,
      forWorkers: this.recordOnly,
      onRecorded: (n) => this.pressure.noteRecorded(n),
    });
    this.executor = new TurnExecutor({
      core, router: o.router, store: this.store, leaseMs, onQueued: o.onQueued, maxAttempts: core.config.INBOUND_MAX_ATTEMPTS,
    });
    this.scheduler = new ConversationScheduler({
      runBatch: (events) => this.executor.runBatch(events),
      logger,
      batchSize: o.batchSize ?? 16,
      batches: o.batches ?? 2,
      lingerMs: o.lingerMs ?? 50,
      pressure: this.pressure,
      // Well inside the lease, so a held event is not taken over by a poller meanwhile (see TurnExecutor.renewIfOld).
      maxYieldMs: Math.min(o.maxYieldMs ?? 30_000, leaseMs / 4),
    });
    this.poller = new RecoveryPoller({
      store: this.store,
      workerId: this.workerId,
      leaseMs,
      logger,
      retentionHours: core.config.LARK_EVENT_RETENTION_HOURS,
      failedRetentionDays: core.config.INBOUND_FAILED_RETENTION_DAYS,
      room: () => this.maxWaiting - this.scheduler.waiting,
      stopped: () => this.stopped,
      take: (rec, ev) => this.enqueue(rec, ev),
    });
  }

  /**
   * Records the event, claimed by this process, which processes it right after the
   * acknowledgement (see enqueue); a card action answered inline is always claimed. When this
   * process already has too much waiting, the event is recorded for the poller (of any replica).
   * Null when it was recorded before: a re-delivery.
   */
  record(ev: RecordedEvent, channel: 'ws' | 'webhook', opts: { inline?: boolean } = {}): Promise<Recorded | null> {
    return this.recorder.record(ev, channel, !this.recordOnly && (opts.inline ?? false));
  }

  /** Processes a recorded event after the acknowledgement (one recorded for the poller: nudges it). */
  enqueue(rec: Recorded, ev: RecordedEvent): void {
    if (rec.polled) return void this.poller.nudge();
    if (this.stopped) return this.handBack(rec);
    this.scheduler.add({ id: rec.id, ev, claim: rec.claim, queuedAt: performance.now() });
  }

  /** Runs one recorded event now, outside the scheduler: a card action answered inline (see TurnExecutor.process). */
  process(id: number, ev: RecordedEvent, claim: string, inline?: InlineAnswer): Promise<{ answer: CardActionAnswer | null; done: boolean }> {
    return this.executor.process(id, ev, claim, inline);
  }

  /** Looks for events nobody finished (a crash, or too many waiting) now and every pollMs. */
  startPoller(pollMs: number): void {
    this.stopped = false;
    this.poller.start(pollMs);
  }

  /** Takes over unfinished events as far as there is room; returns how many (see RecoveryPoller.pollOnce). */
  pollOnce(limit = 50): Promise<number> {
    return this.poller.pollOnce(limit);
  }

  /** Drops events handled more than the retention ago, and old refusal days. */
  prune(): Promise<void> {
    return this.poller.prune();
  }

  /** Waits for the events in hand; nothing new is started. */
  async stop(timeoutMs = 10_000): Promise<void> {
    this.stopped = true;
    this.poller.stop();
    this.scheduler.stopTimers();
    const deadline = Date.now() + timeoutMs;
    // Events being recorded are written first (unclaimed now, for any replica's poller), so their
    // requests are answered before the recording pool closes.
    await this.recorder.drain(deadline);
    await Promise.all([...this.handingBack]);
    // Events not started yet go back to the table at once, for whichever replica polls first.
    for (const w of this.scheduler.takeWaiting()) await this.store.release(w.id, w.claim, 'process stopping', { countAttempt: false }).catch(() => undefined);
    let t: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all([...this.scheduler.batchesRunning, ...this.poller.underWay]),
      new Promise<void>((r) => {
        t = setTimeout(r, Math.max(0, deadline - Date.now()));
      }),
    ]);
    clearTimeout(t);
  }

  /**
   * An event recorded for this process (claimed) as it stops, before it could be queued: back to
   * the table at once, unclaimed, for whichever replica polls first (not left to its lease).
   */
  private handBack(rec: Recorded): void {
    const p: Promise<unknown> = this.store
      .release(rec.id, rec.claim, 'process stopping', { countAttempt: false })
      .catch(() => undefined)
      .finally(() => this.handingBack.delete(p));
    this.handingBack.add(p);
  }

  /** Resolves when nothing is being recorded, waiting or running (tests). */
  async idle(): Promise<void> {
    while (this.scheduler.busy || this.poller.busy || this.recorder.busy) {
      await Promise.race([...this.scheduler.batchesRunning, new Promise((r) => setTimeout(r, 5))]);
    }
  }
}
