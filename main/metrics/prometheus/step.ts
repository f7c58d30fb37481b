import { RampartError } from '../../../shared/errors';

/**
 * The step for a range query so that no series exceeds `maxPoints` points, never finer than asked.
 *
 * A range [from, to] evaluated every `step` has floor((to - from) / step) + 1 points (both ends inclusive, as in
 * Prometheus' query_range), so the step must be at least (to - from) / (maxPoints - 1). The result is rounded up
 * to whole seconds: Prometheus and Datadog both resolve time to the second, and a fractional step would make the
 * evaluation instants drift against the data's own timestamps.
 */
export function chooseStepMs(from: number, to: number, requestedStepMs: number, maxPoints: number): number {
  if (!Number.isFinite(from) || !Number.isFinite(to)) {
    throw new RampartError('bad_request', `Time range must be finite epoch milliseconds (got from=${from}, to=${to})`);
  }
  if (to < from) {
    throw new RampartError('bad_request', `Time range ends before it starts (from=${from}, to=${to})`);
  }
  if (!Number.isFinite(requestedStepMs) || requestedStepMs <= 0) {
    throw new RampartError('bad_request', `Step must be a positive number of milliseconds (got ${requestedStepMs})`);
  }
  if (!Number.isInteger(maxPoints) || maxPoints < 2) {
    throw new RampartError('bad_request', `maxPoints must be an integer ≥ 2 (got ${maxPoints})`);
  }
  const minimumForRange = (to - from) / (maxPoints - 1);
  const step = Math.max(requestedStepMs, minimumForRange, 1000);
  return Math.ceil(step / 1000) * 1000;
}

/** Number of evaluation instants in [from, to] at `stepMs` (what the provider will return at most per series). */
export function pointCount(from: number, to: number, stepMs: number): number {
  return Math.floor((to - from) / stepMs) + 1;
}
