import type { Logger } from '../logging/logger';
import { addDays, shanghaiDate } from '../calendar/domain/dates';
import { DbOutage } from '../outbox/db-outage';
import { isRetryable } from '../database/transaction';
import type { InboundEventStore } from './inbound-event-store';
import type { Recorded, RecordedEvent } from './inbound-event';

/** How often old event records are pruned. */
const PRUNE_EVERY_MS = 60 * 60_000;
/** Refusal days kept (one refusal a day per unknown person). */
const REFUSAL_DAYS_KEPT = 7;

export interface RecoveryPollerOptions {
  store: InboundEventStore;
  workerId: string;
  leaseMs: number;
  logger: Logger;
  /** How long handled events are kept. */
  retentionHours: number;
  /** How long failed events are kept (default: as long as handled ones). */
  failedRetentionDays?: number;
  /** How many more events this process may take on now. */
  room: () => number;
  /** Whether the processor is stopping (nothing is taken then). */
  stopped: () => boolean;
  /** Hands a taken event to the processor. */
  take: (rec: Recorded, ev: RecordedEvent) => void;
}

/**
 * Takes over the events nobody finished: recorded for the poller (this process was too busy),
 * or claimed by a process that died (their lease lapsed), in any replica. Looks every pollMs, and
 * soon after being nudged; prunes old event records every hour.
 */
export class RecoveryPoller {
  private pollTimer: NodeJS.Timeout | null = null;
  private pruneTimer: NodeJS.Timeout | null = null;
  /** Set while started: nudges a look soon, when an event was left for the poller. */
  private nudger: (() => void) | null = null;
  private polling = false;
  private claimSeq = 0;
  /** Polls and prunes under way, waited for by stop(). */
  private readonly background = new Set<Promise<unknown>>();
  /** Set at start: the database being away is logged once, and polls back off meanwhile. */
  private outage: DbOutage | null = null;

  constructor(private readonly o: RecoveryPollerOptions) {}

  /** A poll is under way. */
  get busy(): boolean {
    return this.polling;
  }

  /** Polls and prunes under way. */
  get underWay(): Promise<unknown>[] {
    return [...this.background];
  }

  /** Looks now and every pollMs; prunes now and every hour. */
  start(pollMs: number): void {
    if (this.pollTimer) return;
    const outage = (this.outage = new DbOutage({ logger: this.o.logger, who: '入站事件轮询', baseMs: pollMs, maxMs: Math.max(pollMs, 10_000) }));
    const tick = () => {
      if (outage.down && Date.now() < outage.retryAt) return;
      this.track(
        this.pollOnce().catch((err) => {
          // Another replica claimed the same rows at once (on Galera: a conflict at commit, retried
          // and still lost): not an outage; the next poll looks again.
          if (isRetryable(err)) return void this.o.logger.debug({ err: { code: (err as { code?: string }).code } }, 'lark: poll lost a claim race');
          void outage.failed(err);
        }),
      );
    };
    let nudged = false;
    this.nudger = () => {
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
    const prune = () => this.track(this.prune().catch((err) => this.o.logger.warn({ err }, 'lark: pruning old events failed')));
    this.pruneTimer = setInterval(prune, PRUNE_EVERY_MS);
    this.pruneTimer.unref?.();
    prune();
  }

  /** An event was left for the poller: look soon (once started). */
  nudge(): void {
    this.nudger?.();
  }

  /** No more nudges; the timers stop. */
  stop(): void {
    this.nudger = null;
    if (this.pollTimer) clearInterval(this.pollTimer);
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    this.pollTimer = null;
    this.pruneTimer = null;
  }

  /**
   * Takes over unfinished events (never claimed, or their lease lapsed) as far as there is room,
   * and hands them to the processor; returns how many.
   */
  async pollOnce(limit = 50): Promise<number> {
    if (this.polling || this.o.stopped()) return 0;
    const room = Math.min(limit, this.o.room());
    if (room <= 0) return 0;
    this.polling = true;
    try {
      const now = new Date();
      const claim = `${this.o.workerId}#p${++this.claimSeq}`;
      const rows = await this.o.store.claimStale(claim, now, new Date(now.getTime() + this.o.leaseMs), room);
      this.outage?.recovered();
      for (const row of rows) {
        let ev: RecordedEvent;
        try {
          ev = JSON.parse(row.payload ?? '');
          if (!ev || (ev.kind !== 'incoming' && ev.kind !== 'unsupported')) throw new Error('bad payload');
        } catch {
          await this.o.store.fail(row.id, claim, 'payload unreadable', now);
          continue;
        }
        this.o.logger.debug({ eventId: row.id, type: row.eventType, attempts: row.attempts }, 'lark: polled event taken');
        this.o.take({ id: row.id, claim, polled: false }, ev);
      }
      // A full batch: there may be more; look again as soon as these are under way.
      if (rows.length === room && room === limit) setTimeout(() => this.track(this.pollOnce(limit).catch(() => undefined)), 50).unref?.();
      return rows.length;
    } finally {
      this.polling = false;
    }
  }

  /** Drops events handled more than the retention ago, and old refusal days. */
  async prune(): Promise<void> {
    const now = new Date();
    const failedHours = Math.max(this.o.retentionHours, (this.o.failedRetentionDays ?? 0) * 24);
    const n = await this.o.store.prune(new Date(now.getTime() - this.o.retentionHours * 3600_000), new Date(now.getTime() - failedHours * 3600_000));
    await this.o.store.pruneRefusals(addDays(shanghaiDate(now), -REFUSAL_DAYS_KEPT));
    if (n) this.o.logger.info({ pruned: n }, 'lark: old event records pruned');
  }

  private track(p: Promise<unknown>): void {
    this.background.add(p);
    void p.finally(() => this.background.delete(p));
  }
}
