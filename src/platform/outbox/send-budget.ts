import { SlidingWindow } from './rate-window';

/** Lark's app budget for sending over a minute: "1000 次/分钟、50 次/秒" (either limit triggers 99991400). */
export const LARK_APP_PER_MINUTE = 1000;

export interface SendBudgetOptions {
  /** Messages per second to one chat (Lark: 5). */
  chatRate: number;
  /** Messages per second for the app (Lark: 50 for message sends). */
  appRate: number;
  /** Messages per minute for the app (Lark: 1,000; the default); 0: no minute budget. */
  appPerMinute?: number;
  /** The margin added to the one-second window, at first and at most (see OutboxWorkerOptions.windowMarginMs). */
  baseMarginMs: number;
  maxMarginMs: number;
  clock: () => number;
}

/** Whether one more send to a chat fits now; if not, when to look again and which budget is spent. */
export type BudgetCheck = { ok: true } | { ok: false; at: number; scope: 'chat' | 'app' };

/**
 * What the sender may send, and when: at most `chatRate` per second per chat, `appRate` per
 * second and `appPerMinute` per minute in all, each over a sliding window (of one second, or one
 * minute, plus a margin), and the pauses Lark asks for in its rate-limit answers (one chat, or
 * the whole app). Lark's app budget is both 50/s and 1,000/min: at 50/s the minute's 1,000 are
 * spent in 20 s, and a sender that kept only the second would then be refused for 40 s of every
 * minute. The minute is counted over every send of the app (Lark counts each message API apart;
 * one count for all is the safe side). Lark counts arrivals, we count departures: each rate-limit
 * answer widens the margin (up to maxMarginMs), a long run of accepted sends narrows it again.
 */
export class SendBudget {
  private margin: number;
  private acceptedSinceLimit = 0;
  private readonly chatWindows = new Map<string, SlidingWindow>();
  private readonly appWindow: SlidingWindow;
  private readonly appMinute: SlidingWindow | null;
  private readonly pausedUntil = new Map<string, number>();
  private appPaused = 0;

  constructor(private readonly o: SendBudgetOptions) {
    this.margin = o.baseMarginMs;
    this.appWindow = new SlidingWindow(o.appRate, 1000 + this.margin);
    const perMinute = o.appPerMinute ?? LARK_APP_PER_MINUTE;
    this.appMinute = perMinute > 0 ? new SlidingWindow(perMinute, 60_000 + this.margin, false) : null;
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
    const wa = Math.max(this.appWindow.waitMs(now), this.appMinute?.waitMs(now) ?? 0);
    if (wa > 0) return { ok: false, at: now + wa, scope: 'app' };
    return { ok: true };
  }

  /** A send to this chat leaves now. */
  spend(key: string, now: number): void {
    this.chatWindow(key).record(now);
    this.appWindow.record(now);
    this.appMinute?.record(now);
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
    this.appMinute?.setWindow(60_000 + ms);
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
