import { SlidingWindow } from '../../../src/platform/outbox/rate-window';

describe('SlidingWindow', () => {
  test('an empty window allows at once; after a send, the next waits window/limit (evenly spaced)', () => {
    const w = new SlidingWindow(5, 1000);
    expect(w.waitMs(0)).toBe(0);
    w.record(0);
    expect(w.waitMs(0)).toBe(200);
    expect(w.waitMs(150)).toBe(50);
    expect(w.waitMs(200)).toBe(0);
  });

  test('sent as soon as allowed, five go out in a second and the sixth one second after the first', () => {
    const w = new SlidingWindow(5, 1000);
    const sent: number[] = [];
    for (let now = 0; sent.length < 6; now++) {
      if (w.waitMs(now) === 0) {
        w.record(now);
        sent.push(now);
      }
    }
    expect(sent).toEqual([0, 200, 400, 600, 800, 1000]);
  });

  test('a burst recorded at once (on top of the spacing) is refused until the oldest leaves the window', () => {
    const w = new SlidingWindow(2, 1000);
    w.record(0);
    w.record(10);
    expect(w.waitMs(10)).toBe(990);
    expect(w.waitMs(999)).toBe(1);
    expect(w.waitMs(1000)).toBe(0);
  });

  test('a fraction of a millisecond still waits 1 ms; a gap of window/limit is rounded up', () => {
    const w = new SlidingWindow(3, 1000);
    w.record(0);
    expect(w.waitMs(0)).toBe(334);
    expect(w.waitMs(333)).toBe(1);
    expect(w.waitMs(334)).toBe(0);
  });

  test('a widened window (the margin after a rate-limit answer) spaces and holds longer', () => {
    const w = new SlidingWindow(5, 1000);
    w.record(0);
    w.setWindow(1250);
    expect(w.waitMs(0)).toBe(250);
    expect(w.waitMs(200)).toBe(50);
  });

  test('idle once nothing happened within the window, so it may be forgotten', () => {
    const w = new SlidingWindow(5, 1000);
    expect(w.idle(0)).toBe(true);
    w.record(0);
    expect(w.idle(999)).toBe(false);
    expect(w.idle(1000)).toBe(true);
  });

  test('a long run keeps to the budget in every window', () => {
    const w = new SlidingWindow(5, 1000);
    const sent: number[] = [];
    for (let now = 0; now < 10_000; now += 7) {
      if (w.waitMs(now) === 0) {
        w.record(now);
        sent.push(now);
      }
    }
    for (let i = 5; i < sent.length; i++) expect(sent[i] - sent[i - 5]).toBeGreaterThanOrEqual(1000);
    expect(sent.length).toBeGreaterThanOrEqual(45);
  });

  test('without spreading (the minute’s window) the whole budget may go at once, then waits for the oldest', () => {
    const w = new SlidingWindow(3, 60_000, false);
    for (const t of [0, 1, 2]) {
      expect(w.waitMs(t)).toBe(0);
      w.record(t);
    }
    expect(w.waitMs(2)).toBe(59_998);
    expect(w.waitMs(60_000)).toBe(0);
  });
});
