/**
 * A sliding-window budget: at most `limit` events in any window, and (with `spread`, the
 * default) evenly spaced, at least window/limit apart. Spread is stricter than a token bucket,
 * which lets a full bucket burst on top of the steady rate: a burst of requests leaves together
 * and arrives bunched, and Lark counts arrivals over any one-second window. A long window (Lark's
 * 1,000 per minute) is not spread: within it the one-second window paces the sends, and the
 * minute's budget may be spent at that pace and then waited out. The window can be widened at
 * run time (see OutboxWorker's margin).
 */
export class SlidingWindow {
  private readonly times: number[] = [];

  constructor(
    private readonly limit: number,
    private windowMs: number,
    private readonly spread = true,
  ) {}

  setWindow(ms: number): void {
    this.windowMs = ms;
  }

  /** Milliseconds until one more event fits; 0 when it fits now. */
  waitMs(now: number): number {
    this.prune(now);
    const n = this.times.length;
    if (!n) return 0;
    const byWindow = n < this.limit ? 0 : this.times[n - this.limit] + this.windowMs - now;
    const byGap = this.spread ? this.times[n - 1] + this.windowMs / this.limit - now : 0;
    const w = Math.max(byWindow, byGap);
    return w > 0 ? Math.max(1, Math.ceil(w)) : 0;
  }

  record(now: number): void {
    this.times.push(now);
    if (this.times.length > this.limit * 2) this.times.splice(0, this.times.length - this.limit);
  }

  /** True when nothing happened within the window (the window may be forgotten). */
  idle(now: number): boolean {
    this.prune(now);
    return this.times.length === 0;
  }

  private prune(now: number): void {
    while (this.times.length && this.times[0] <= now - this.windowMs) this.times.shift();
  }
}
