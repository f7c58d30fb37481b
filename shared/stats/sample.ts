/**
 * Turning provider values into samples. Policy (docs/statistics.md): NaN, ±Infinity and missing (null) steps are
 * dropped, never replaced by 0. (For count metrics a missing step means 0 — that substitution belongs to the caller
 * that sums the counts, because only it knows the metric is a count.)
 */
import { sortFloat64 } from './sort';

export interface CleanSample {
  /** Finite values, sorted ascending. */
  sorted: Float64Array;
  /** How many values the provider gave, including the dropped ones. */
  received: number;
  /** How many were null, NaN or infinite and therefore dropped. */
  dropped: number;
}

export function cleanSample(values: ReadonlyArray<number | null | undefined>): CleanSample {
  const received = Array.isArray(values) ? values.length : 0;
  const kept = new Float64Array(received);
  const n = received > 0 ? copyFinite(values, kept) : 0;
  return { sorted: sortFloat64(n === received ? kept : kept.slice(0, n)), received, dropped: received - n };
}

/** Copies the finite values into `out` and returns how many (one loop per function keeps V8's optimized code). */
function copyFinite(values: ReadonlyArray<number | null | undefined>, out: Float64Array): number {
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v === 'number' && v - v === 0) out[n++] = v + 0; // v − v is 0 only for finite v; + 0 turns −0 into 0
  }
  return n;
}

/** Mean that cannot overflow for finite inputs (each term is divided before summing). */
export function mean(values: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) return Number.NaN;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i] / n;
  return sum;
}

/** Sample variance (n − 1 denominator) by Welford's method; 0 for fewer than 2 values. */
export function variance(values: ArrayLike<number>): number {
  const n = values.length;
  if (n < 2) return 0;
  let m = 0;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const x = values[i];
    const d = x - m;
    m += d / (i + 1);
    s += d * (x - m);
  }
  return s / (n - 1);
}

/** Quantile of a sorted sample by linear interpolation between order statistics (numpy's default, R type 7). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  const frac = h - lo;
  return frac === 0 ? sorted[lo] : sorted[lo] + frac * (sorted[hi] - sorted[lo]);
}

export function medianSorted(sorted: ArrayLike<number>): number {
  return quantileSorted(sorted, 0.5);
}

/** Summary statistics of one arm, the unit the sequential test and the bake-time estimate work with. */
export interface ArmStats {
  n: number;
  mean: number;
  /** Sample variance (n − 1 denominator). */
  variance: number;
}

export function armStats(values: ReadonlyArray<number | null | undefined>): ArmStats {
  const { sorted } = cleanSample(values);
  return { n: sorted.length, mean: sorted.length ? mean(sorted) : 0, variance: variance(sorted) };
}

/** Combine two summaries of disjoint samples (parallel-variance formula of Chan et al.). */
export function mergeArmStats(a: ArmStats, b: ArmStats): ArmStats {
  if (a.n === 0) return { ...b };
  if (b.n === 0) return { ...a };
  const n = a.n + b.n;
  const delta = b.mean - a.mean;
  const m2 = a.variance * (a.n - 1) + b.variance * (b.n - 1) + (delta * delta * a.n * b.n) / n;
  return { n, mean: a.mean + (delta * b.n) / n, variance: n > 1 ? m2 / (n - 1) : 0 };
}
