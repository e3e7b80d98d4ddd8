import { performance } from 'node:perf_hooks';

/** How often the event loop's load is sampled. */
const SAMPLE_MS = 100;

/**
 * Whether the acknowledgements are pressing: the event loop was at least `busyAbove` busy (0–1)
 * over the last sample (≥ 100 ms) and events were recorded in it, i.e. a burst is arriving. While
 * it is, new batches wait (see InboundProcessorOptions.yieldAbove). busyAbove 1 turns this off.
 */
export class AckPressure {
  private mark = performance.eventLoopUtilization();
  private sampledAt = performance.now();
  private recordedSinceSample = 0;
  private pressing = false;

  constructor(private readonly busyAbove: number) {}

  /** Events were recorded (acknowledged). */
  noteRecorded(n: number): void {
    this.recordedSinceSample += n;
  }

  /** At `now` (performance.now()); samples the event loop when the last sample is old enough. */
  isPressing(now: number): boolean {
    if (this.busyAbove >= 1) return false;
    if (now - this.sampledAt >= SAMPLE_MS) {
      const busy = performance.eventLoopUtilization(this.mark).utilization;
      this.mark = performance.eventLoopUtilization();
      this.pressing = busy >= this.busyAbove && this.recordedSinceSample > 0;
      this.recordedSinceSample = 0;
      this.sampledAt = now;
    }
    return this.pressing;
  }
}
