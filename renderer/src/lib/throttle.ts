/**
 * Leading + trailing throttle: the first call runs at once, calls inside the interval collapse into one call at
 * its end. Live events (a tick every second) then cost at most one refetch per interval, and the last event is
 * never lost. The clock is injectable so tests run without real time.
 */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export interface Throttled {
  /** Request a run; runs now or at the end of the current interval. */
  call(): void;
  /** Drop a scheduled trailing run. */
  cancel(): void;
  /** Whether a trailing run is scheduled. */
  pending(): boolean;
}

export function throttle(fn: () => void, intervalMs: number, clock: Clock = realClock): Throttled {
  let lastRun = -Infinity;
  let timer: unknown = null;
  const run = (): void => {
    timer = null;
    lastRun = clock.now();
    fn();
  };
  return {
    call() {
      if (timer !== null) return; // a trailing run is already scheduled: it will see this call's effect
      const wait = lastRun + intervalMs - clock.now();
      if (wait <= 0) run();
      else timer = clock.setTimeout(run, wait);
    },
    cancel() {
      if (timer !== null) clock.clearTimeout(timer);
      timer = null;
    },
    pending: () => timer !== null,
  };
}

/** A manual clock for tests: `advance(ms)` runs the timers that fall due, in order. */
export function manualClock(start = 0): Clock & { advance(ms: number): void } {
  let now = start;
  let seq = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  return {
    now: () => now,
    setTimeout(fn, ms) {
      const id = ++seq;
      timers.set(id, { at: now + Math.max(0, ms), fn });
      return id;
    },
    clearTimeout(h) {
      timers.delete(h as number);
    },
    advance(ms) {
      const end = now + ms;
      for (;;) {
        let next: [number, { at: number; fn: () => void }] | null = null;
        for (const e of timers) if (e[1].at <= end && (!next || e[1].at < next[1].at)) next = e;
        if (!next) break;
        timers.delete(next[0]);
        now = next[1].at;
        next[1].fn();
      }
      now = end;
    },
  };
}
