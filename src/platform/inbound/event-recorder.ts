import { performance } from 'node:perf_hooks';
import type { Logger } from '../logging/logger';
import type { InboundEventStore, NewInboundEvent } from './inbound-event-store';
import type { Recorded, RecordedEvent } from './inbound-event';

/** INSERTs of recorded events that may be under way at once. */
const MAX_RECORD_WRITES = 2;
/**
 * A second INSERT starts only when the one under way has taken this long: under load, events
 * then gather into bigger INSERTs (each costs a round trip, whatever its size), and a commit
 * that stalls (a slow log flush) still holds nobody up for long.
 */
const SECOND_WRITE_AFTER_MS = 2;
/** Events per INSERT at most. */
const MAX_PER_WRITE = 200;
/** A burst left for the poller is logged once per this many ms (with how many), not once per INSERT. */
const BUSY_NOTICE_MS = 10_000;

interface RecordRequest {
  ev: RecordedEvent;
  channel: 'ws' | 'webhook';
  inline: boolean;
  resolve: (r: Recorded | null) => void;
  reject: (err: unknown) => void;
}

export interface EventRecorderOptions {
  /** The inbound events table, through the pool of its own the acknowledgements use. */
  store: InboundEventStore;
  workerId: string;
  leaseMs: number;
  logger: Logger;
  /** How many more events this process may take on now (0 when stopping). */
  room: () => number;
  /** The web role: every event is recorded for the workers, which is no sign of being busy. */
  forWorkers?: boolean;
  /** Told how many events each INSERT recorded (the acknowledgements' pressure). */
  onRecorded: (n: number) => void;
}

/**
 * Records events before they are acknowledged. Requests arriving together are written in one
 * multi-row INSERT, so a burst costs one commit, not one per event; a re-delivered event is
 * refused by the unique key and changes nothing. Each event is claimed by this process (which
 * runs it right after the acknowledgement) while there is room, else left for the poller.
 */
export class EventRecorder {
  private readonly queue: RecordRequest[] = [];
  /** INSERTs under way. */
  private writing = 0;
  /** Room in the processor's queue promised to events being recorded. */
  private reservedRoom = 0;
  /** When each INSERT under way started (performance.now()). */
  private readonly writesStartedAt = new Set<number>();
  private secondWriteTimer: NodeJS.Timeout | null = null;
  private flushPending = false;
  private claimSeq = 0;

  constructor(private readonly o: EventRecorderOptions) {}

  /**
   * Records the event, claimed by this process when it has room; a card action answered inline
   * is always claimed. Null when it was recorded before: a re-delivery.
   */
  record(ev: RecordedEvent, channel: 'ws' | 'webhook', inline: boolean): Promise<Recorded | null> {
    return new Promise((resolve, reject) => {
      this.queue.push({ ev, channel, inline, resolve, reject });
      this.flushSoon();
    });
  }

  /** Something is being recorded, or waits to be. */
  get busy(): boolean {
    return this.writing > 0 || this.queue.length > 0 || this.secondWriteTimer !== null;
  }

  /** Waits (until the deadline, Date.now()) for the events being recorded, so their requests are answered. */
  async drain(deadline: number): Promise<void> {
    while ((this.queue.length || this.writing > 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    if (this.secondWriteTimer) clearTimeout(this.secondWriteTimer);
    this.secondWriteTimer = null;
  }

  /**
   * Requests that arrive while an INSERT is under way go together in the next one; a second
   * INSERT may start beside a slow one (SECOND_WRITE_AFTER_MS).
   */
  private flushSoon(): void {
    if (this.flushPending || !this.queue.length) return;
    this.flushPending = true;
    setImmediate(() => {
      this.flushPending = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.writing >= MAX_RECORD_WRITES || !this.queue.length) return;
    if (this.writing > 0) {
      const waited = performance.now() - Math.min(...this.writesStartedAt);
      if (waited < SECOND_WRITE_AFTER_MS) {
        this.secondWriteTimer ??= setTimeout(() => {
          this.secondWriteTimer = null;
          void this.flush();
        }, Math.ceil(SECOND_WRITE_AFTER_MS - waited));
        return;
      }
    }
    if (this.secondWriteTimer) clearTimeout(this.secondWriteTimer);
    this.secondWriteTimer = null;
    const batch = this.queue.splice(0, MAX_PER_WRITE);
    const startedAt = performance.now();
    this.writesStartedAt.add(startedAt);
    this.writing++;
    try {
      const results = await this.write(batch);
      batch.forEach((r, i) => r.resolve(results[i]));
    } catch (err) {
      for (const r of batch) r.reject(err);
    } finally {
      this.writing--;
      this.writesStartedAt.delete(startedAt);
      this.flushSoon();
    }
  }

  /** Events left for the poller since the last notice, said at most every BUSY_NOTICE_MS with their count. */
  private busySince = 0;
  private busyLeft = 0;

  private busyNotice(n: number): void {
    this.busyLeft += n;
    const t = Date.now();
    if (t - this.busySince < BUSY_NOTICE_MS) return;
    this.o.logger.warn({ events: this.busyLeft }, 'lark: busy; events left for the poller');
    this.busySince = t;
    this.busyLeft = 0;
  }

  private async write(batch: RecordRequest[]): Promise<Array<Recorded | null>> {
    const now = new Date();
    const claim = `${this.o.workerId}#r${++this.claimSeq}`;
    const leaseUntil = new Date(now.getTime() + this.o.leaseMs);
    // Room is reserved while the INSERT is under way: two INSERTs under way never both take it.
    let room = this.o.room() - this.reservedRoom;
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
      ids = await this.o.store.recordMany(events, claim, now, leaseUntil);
    } finally {
      this.reservedRoom -= reserved;
    }
    this.o.onRecorded(batch.length);
    const polled = claimed.some((c, i) => !c && ids[i] !== null);
    if (polled && !this.o.forWorkers) this.busyNotice(claimed.filter((c, i) => !c && ids[i] !== null).length);
    return ids.map((id, i) => (id === null ? null : { id, claim, polled: !claimed[i] }));
  }
}
