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
});
