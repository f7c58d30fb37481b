import { describe, expect, it } from 'vitest';
import { manualClock, throttle } from '../../renderer/src/lib/throttle';

describe('throttle (leading + trailing)', () => {
  it('runs the first call at once and collapses a burst into one trailing run', () => {
    const clock = manualClock(0);
    let runs = 0;
    const t = throttle(() => runs++, 2_000, clock);
    t.call();
    expect(runs).toBe(1);
    for (let i = 0; i < 10; i++) {
      clock.advance(100);
      t.call();
    }
    expect(runs).toBe(1);
    expect(t.pending()).toBe(true);
    clock.advance(1_000); // t = 2000: the trailing run is due
    expect(runs).toBe(2);
    expect(t.pending()).toBe(false);
  });

  it('never runs more often than once per interval under a steady stream', () => {
    const clock = manualClock(0);
    const at: number[] = [];
    const t = throttle(() => at.push(clock.now()), 2_000, clock);
    for (let i = 0; i < 100; i++) {
      t.call();
      clock.advance(250); // a tick every 250 ms for 25 s
    }
    for (let i = 1; i < at.length; i++) expect(at[i] - at[i - 1]).toBeGreaterThanOrEqual(2_000);
    expect(at.length).toBeGreaterThanOrEqual(12);
    expect(at.length).toBeLessThanOrEqual(14);
  });

  it('runs immediately again once the interval has passed', () => {
    const clock = manualClock(0);
    let runs = 0;
    const t = throttle(() => runs++, 2_000, clock);
    t.call();
    clock.advance(5_000);
    t.call();
    expect(runs).toBe(2);
  });

  it('cancel drops the scheduled trailing run', () => {
    const clock = manualClock(0);
    let runs = 0;
    const t = throttle(() => runs++, 2_000, clock);
    t.call();
    t.call();
    t.cancel();
    clock.advance(10_000);
    expect(runs).toBe(1);
  });
});
