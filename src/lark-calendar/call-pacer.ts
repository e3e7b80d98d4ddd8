/**
 * A per-second cap on this process's calendar calls: each waits until `perSecond` calls fit
 * in the last second. Lark allows calendar.v4 50/s and 1,000/min per app; the default 10/s
 * per replica keeps two or three replicas well inside both.
 */
export class CallPacer {
  private readonly times: number[] = [];

  constructor(private readonly perSecond: number, private readonly clock: () => number = Date.now) {}

  async take(): Promise<void> {
    if (this.perSecond <= 0) return;
    for (;;) {
      const now = this.clock();
      while (this.times.length && this.times[0] <= now - 1000) this.times.shift();
      if (this.times.length < this.perSecond) {
        this.times.push(now);
        return;
      }
      await new Promise((r) => setTimeout(r, this.times[0] + 1000 - now + 1));
    }
  }
}
