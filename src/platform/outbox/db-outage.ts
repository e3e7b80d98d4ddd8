import { isDbUnavailable } from '../database/database-error';
import type { Logger } from '../logging/logger';

export interface DbOutageOptions {
  logger: Logger;
  /** What pauses, in the log lines: '发件箱', '入站事件轮询'. */
  who: string;
  /** The first wait after a failure; doubled on each further one, up to maxMs. */
  baseMs: number;
  maxMs: number;
  clock?: () => number;
}

// The one reading of "the database is away", shared with the CLI's error lines (database-error.ts).
export { isDbUnavailable };

/** A short reason for the log: the driver's code and the start of its message (never the whole SQL). */
function reason(err: unknown): string {
  const e = err as { code?: unknown; message?: unknown } | null;
  const msg = String(e?.message ?? err ?? '').split(' - ').pop()!.slice(0, 160);
  return typeof e?.code === 'string' ? `${e.code}: ${msg}` : msg;
}

/**
 * A loop's view of the database being away. The first failure is logged once ("数据库不可用…"),
 * every further one only counted; between tries the loop waits a capped exponential back-off
 * (failed() says how long); the first success after an outage logs one summary: how long it
 * lasted and how many tries it took. So an outage costs a few lines and a few queries, not a
 * spin.
 */
export class DbOutage {
  private since: number | null = null;
  private tries = 0;
  private nextTry = 0;
  private readonly clock: () => number;

  constructor(private readonly o: DbOutageOptions) {
    this.clock = o.clock ?? Date.now;
  }

  /** The database failed us last time and has not answered since. */
  get down(): boolean {
    return this.since !== null;
  }

  /** While down: when the next try is due. */
  get retryAt(): number {
    return this.nextTry;
  }

  /**
   * A loop failed for another reason than an unreachable database (a bug, a schema not migrated):
   * said as what it is, at most once a minute, and tried again after `waitMs`; not an outage.
   */
  otherFailure(err: unknown, waitMs: number): number {
    const now = this.clock();
    if (now - this.lastOther >= 60_000) {
      this.lastOther = now;
      this.o.logger.error({ err }, `${this.o.who}处理出错（不是数据库中断），稍后再试`);
    }
    return waitMs;
  }

  private lastOther = Number.NEGATIVE_INFINITY;

  /** A try failed: logs the outage the first time, and returns how long to wait before the next try. */
  failed(err: unknown): number {
    const now = this.clock();
    if (this.since === null) {
      this.since = now;
      this.tries = 0;
      this.o.logger.error(
        { reason: reason(err), retryMaxSeconds: this.o.maxMs / 1000 },
        `数据库不可用（${reason(err)}），${this.o.who}暂停，按退避重试（最长每 ${Math.round(this.o.maxMs / 1000)} 秒一次）`,
      );
    }
    this.tries++;
    const base = Math.min(this.o.maxMs, this.o.baseMs * 2 ** Math.min(20, this.tries - 1));
    const wait = Math.min(this.o.maxMs, Math.round(base * (0.85 + Math.random() * 0.3)));
    this.nextTry = now + wait;
    return wait;
  }

  /** A try succeeded: after an outage, logs how long it lasted and how many tries it took. */
  recovered(): void {
    if (this.since === null) return;
    const downMs = this.clock() - this.since;
    const tries = this.tries;
    this.since = null;
    this.tries = 0;
    this.nextTry = 0;
    this.o.logger.warn({ downMs, tries }, `数据库已恢复，${this.o.who}继续：中断 ${(downMs / 1000).toFixed(1)} 秒，其间尝试 ${tries} 次`);
  }
}
