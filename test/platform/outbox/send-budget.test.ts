import { SendBudget } from '../../../src/platform/outbox/send-budget';

const budget = (over: Partial<ConstructorParameters<typeof SendBudget>[0]> = {}) =>
  new SendBudget({ chatRate: 2, appRate: 3, baseMarginMs: 0, maxMarginMs: 60, clock: () => 0, ...over });

describe('SendBudget', () => {
  test('each chat has its own budget, and all chats share the app’s', () => {
    const b = budget();
    expect(b.check('oc_a', 0)).toEqual({ ok: true });
    b.spend('oc_a', 0);
    expect(b.check('oc_a', 0)).toEqual({ ok: false, at: 500, scope: 'chat' });
    expect(b.check('oc_b', 0)).toEqual({ ok: false, at: 334, scope: 'app' });
    expect(b.check('oc_b', 334)).toEqual({ ok: true });
    b.spend('oc_b', 334);
    expect(b.check('oc_a', 500)).toEqual({ ok: false, at: 668, scope: 'app' });
    expect(b.check('oc_a', 668)).toEqual({ ok: true });
  });

  test('a chat’s rate-limit answer pauses that chat only; an app’s pauses every chat', () => {
    const b = budget();
    b.limited('chat', 'oc_a', 5000);
    expect(b.check('oc_a', 1000)).toEqual({ ok: false, at: 5000, scope: 'chat' });
    expect(b.check('oc_b', 1000)).toEqual({ ok: true });
    expect(b.appPausedUntil()).toBe(0);
    b.limited('app', 'oc_b', 7000);
    b.limited('app', 'oc_b', 6000);
    expect(b.appPausedUntil()).toBe(7000);
  });

  test('each rate-limit answer widens the window’s margin (up to the most); 500 accepted sends narrow it again', () => {
    const b = budget({ baseMarginMs: 30, maxMarginMs: 70 });
    expect(b.marginMs).toBe(30);
    b.limited('app', 'oc_a', 0);
    expect(b.marginMs).toBe(55);
    b.limited('app', 'oc_a', 0);
    expect(b.marginMs).toBe(70);
    // The wider window spaces the sends further: (1000 + 70) / 2 per chat.
    b.spend('oc_a', 0);
    expect(b.check('oc_a', 0)).toEqual({ ok: false, at: 535, scope: 'chat' });
    for (let i = 0; i < 499; i++) b.accepted();
    expect(b.marginMs).toBe(70);
    b.accepted();
    expect(b.marginMs).toBe(60);
    for (let i = 0; i < 5000; i++) b.accepted();
    expect(b.marginMs).toBe(30);
  });

  /** Sends to 100 chats in turn whenever the budget allows, every millisecond for `ms`; the departures. */
  const run = (b: SendBudget, ms: number) => {
    const sent: number[] = [];
    for (let now = 0; now < ms; now++) {
      const key = `oc_${sent.length % 100}`;
      if (b.check(key, now).ok) {
        b.spend(key, now);
        sent.push(now);
      }
    }
    return sent;
  };
  const most = (times: number[], windowMs: number) => {
    let best = 0;
    for (let i = 0, j = 0; i < times.length; i++) {
      while (times[i] - times[j] >= windowMs) j++;
      best = Math.max(best, i - j + 1);
    }
    return best;
  };

  test('Lark’s app budget is 50/s and 1,000/min: the minute’s 1,000 go in 20 s, the next waits until the first has left the minute', () => {
    const sent = run(budget({ chatRate: 100, appRate: 50, baseMarginMs: 0, maxMarginMs: 0 }), 185_000);
    expect(sent[999]).toBeLessThan(20_000);
    expect(sent[1000]).toBeGreaterThanOrEqual(60_000);
    expect(most(sent, 60_000)).toBe(1000);
    expect(most(sent, 1000)).toBe(50);
    // Sustained: the minute's budget, spent in full each minute.
    expect(sent.filter((t) => t < 180_000)).toHaveLength(3000);
    expect(budget().check('oc_x', 0)).toEqual({ ok: true });
  });

  test('the minute’s budget is a setting (0: none, only the second)', () => {
    // 100 a minute: 100 in the first two seconds, then nothing until the first has left the minute.
    const hundred = run(budget({ chatRate: 100, appRate: 50, appPerMinute: 100, baseMarginMs: 0, maxMarginMs: 0 }), 61_000);
    expect(hundred.filter((t) => t < 60_000)).toHaveLength(100);
    expect(hundred.length).toBe(150);
    const secondOnly = run(budget({ chatRate: 100, appRate: 50, appPerMinute: 0, baseMarginMs: 0, maxMarginMs: 0 }), 61_000);
    expect(secondOnly.length).toBeGreaterThan(3000);
  });

  test('the margin widens the minute too: after a rate-limit answer the 1,001st waits a minute and the margin', () => {
    const b = budget({ chatRate: 100, appRate: 50, baseMarginMs: 0, maxMarginMs: 100 });
    b.limited('chat', 'oc_none', 0);
    expect(b.marginMs).toBe(25);
    const sent = run(b, 62_000);
    expect(sent[1000] - sent[0]).toBeGreaterThanOrEqual(60_025);
  });
});
