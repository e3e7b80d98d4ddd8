import { SlidingWindow } from './rate-window';

export interface SendBudgetOptions {
  /** Messages per second to one chat (Lark: 5). */
  chatRate: number;
  /** Messages per second for the app (Lark: 50 for message sends). */
  appRate: number;
  /** The margin added to the one-second window, at first and at most (see OutboxWorkerOptions.windowMarginMs). */
  baseMarginMs: number;
  maxMarginMs: number;
  clock: () => number;
}

/** Whether one more send to a chat fits now; if not, when to look again and which budget is spent. */
export type BudgetCheck = { ok: true } | { ok: false; at: number; scope: 'chat' | 'app' };

/**
 * What the sender may send, and when: at most `chatRate` per second per chat and `appRate` per
 * second in all, each over a sliding window of one second plus a margin, and the pauses Lark asks
 * for in its rate-limit answers (one chat, or the whole app). Lark counts arrivals, we count
 * departures: each rate-limit answer widens the margin (up to maxMarginMs), a long run of
 * accepted sends narrows it again.
 */
export class SendBudget {
  private margin: number;
  private acceptedSinceLimit = 0;
  private readonly chatWindows = new Map<string, SlidingWindow>();
  private readonly appWindow: SlidingWindow;
  private readonly pausedUntil = new Map<string, number>();
  private appPaused = 0;

  constructor(private readonly o: SendBudgetOptions) {
    this.margin = o.baseMarginMs;
    this.appWindow = new SlidingWindow(o.appRate, 1000 + this.margin);
  }

  get marginMs(): number {
    return this.margin;
  }

  /** Until when Lark asked the whole app to wait (0: it did not). */
  appPausedUntil(): number {
    return this.appPaused;
  }

  /** Whether one more send to this chat (budget key) fits now, the app's pause aside. */
  check(key: string, now: number): BudgetCheck {
    const paused = this.pausedUntil.get(key) ?? 0;
    if (paused > now) return { ok: false, at: paused, scope: 'chat' };
    const wc = this.chatWindow(key).waitMs(now);
    if (wc > 0) return { ok: false, at: now + wc, scope: 'chat' };
    const wa = this.appWindow.waitMs(now);
    if (wa > 0) return { ok: false, at: now + wa, scope: 'app' };
    return { ok: true };
  }

  /** A send to this chat leaves now. */
  spend(key: string, now: number): void {
    this.chatWindow(key).record(now);
    this.appWindow.record(now);
  }

  /** Lark accepted a send that counted against the budgets. */
  accepted(): void {
    if (++this.acceptedSinceLimit >= 500 && this.margin > this.o.baseMarginMs) {
      this.acceptedSinceLimit = 0;
      this.setMargin(Math.max(this.o.baseMarginMs, this.margin - 10));
    }
  }

  /** Lark answered "too fast": pause the chat or the app until `until`, and widen the margin. */
  limited(scope: 'chat' | 'app' | undefined, key: string, until: number): void {
    if (scope === 'chat') this.pausedUntil.set(key, Math.max(this.pausedUntil.get(key) ?? 0, until));
    else this.appPaused = Math.max(this.appPaused, until);
    this.acceptedSinceLimit = 0;
    this.setMargin(Math.min(this.o.maxMarginMs, this.margin + 25));
  }

  private setMargin(ms: number): void {
    if (ms === this.margin) return;
    this.margin = ms;
    this.appWindow.setWindow(1000 + ms);
    for (const w of this.chatWindows.values()) w.setWindow(1000 + ms);
  }

  private chatWindow(key: string): SlidingWindow {
    let w = this.chatWindows.get(key);
    if (!w) {
      if (this.chatWindows.size > 5000) {
        const now = this.o.clock();
        for (const [k, v] of this.chatWindows) if (v.idle(now)) this.chatWindows.delete(k);
      }
      w = new SlidingWindow(this.o.chatRate, 1000 + this.margin);
      this.chatWindows.set(key, w);
    }
    return w;
  }
}
