import type { Logger } from '../logging/logger';
import { LeaseStore } from '../database/lease-store';
import type { OutboxWorker } from './outbox-worker';

/** The lease's name: one sender per database (one Lark app). */
export const SENDER_LEASE = 'outbox-sender';

export interface ActiveSenderOptions {
  leases: LeaseStore;
  worker: OutboxWorker;
  leaseMs: number;
  logger: Logger;
  clock?: () => Date;
}

/**
 * Runs the sender only while this process holds the sender's lease, so of all the replicas one
 * sends at a time: Lark's budgets (50/s and 1,000/min) are the app's and 5/s is per chat, and a
 * chat reads its messages in the order they were queued. The others stand by and look every
 * quarter of the lease; when the holder dies, one of them takes over once the lease has lapsed.
 * A graceful stop hands the lease back at once.
 */
export class ActiveSender {
  private timer: NodeJS.Timeout | null = null;
  private holding = false;
  private stopped = true;
  private round: Promise<void> = Promise.resolve();

  constructor(private readonly o: ActiveSenderOptions) {}

  /** Whether this process's sender is the one sending. */
  get active(): boolean {
    return this.holding;
  }

  /** Tries for the lease now (so a lone process sends at once), then every quarter of it. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.check();
    this.timer = setInterval(() => void this.check(), Math.max(100, Math.floor(this.o.leaseMs / 4)));
    this.timer.unref?.();
  }

  /** New rows were queued here: the sender looks at once (when it is this process's). */
  kick(): void {
    if (this.holding) this.o.worker.kick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.round;
    if (!this.holding) return;
    this.holding = false;
    await this.o.worker.stop({ graceful: true });
    await this.o.leases.release(SENDER_LEASE, this.o.worker.workerId, this.now()).catch(() => undefined);
  }

  private check(): Promise<void> {
    this.round = this.round.then(() => this.checkOnce());
    return this.round;
  }

  private async checkOnce(): Promise<void> {
    if (this.stopped) return;
    let mine: boolean;
    try {
      mine = await this.o.leases.acquire(SENDER_LEASE, this.o.worker.workerId, this.o.leaseMs, this.now());
    } catch (err) {
      // The database is away: the sender finds out itself (DbOutage); the lease is looked at again next round.
      this.o.logger.debug({ err }, 'outbox: the sender lease could not be checked');
      return;
    }
    if (this.stopped) return;
    if (mine && !this.holding) {
      this.holding = true;
      this.o.worker.start();
      this.o.logger.info('outbox: this process is the sender');
    } else if (!mine && this.holding) {
      this.holding = false;
      this.o.logger.warn('outbox: another process holds the sender lease; this sender stands by');
      await this.o.worker.stop({ graceful: true });
    }
  }

  private now(): Date {
    return this.o.clock?.() ?? new Date();
  }
}
