/**
 * Distribution-free confidence interval for a quantile of raw observations (Hahn & Meeker, "Statistical
 * Intervals", §5.2): with B ~ Binomial(n, q) the number of observations below the true q-quantile ξ,
 *     P(x₍l₎ ≤ ξ ≤ x₍u₎) = P(l ≤ B ≤ u − 1).
 * We use the equal-tailed interval: l is the largest rank with P(B ≤ l − 1) ≤ α/2 and u the smallest with
 * P(B ≥ u) ≤ α/2. The upper bound can be at most the largest observation (u = n), which needs P(B ≥ n) = qⁿ ≤ α/2;
 * below that n no interval exists and the judge reports nodata.
 *
 * With a 95% interval per arm (α/2 = 0.025): 0.99ⁿ ≤ 0.025 first holds at n = 368 and 0.999ⁿ ≤ 0.025 at n = 3,688 —
 * the thresholds in STATISTICS.md. (At 98%, α/2 = 0.01, they would be 459 and 4,603.) The judge therefore compares
 * quantiles with 95% intervals in each arm; two such intervals failing to overlap is itself a stricter test than a
 * 98% two-sample test (for intervals of similar width, non-overlap of two 95% intervals corresponds to p ≈ 0.006).
 */
import { binomialCdf, binomialSf } from './special';

/** Confidence of each arm's order-statistic interval in the judge's quantile comparison. */
export const QUANTILE_ARM_CONFIDENCE = 0.95;

export interface QuantileIndices {
  /** 1-based rank of the lower bound. */
  lower: number;
  /** 1-based rank of the upper bound. */
  upper: number;
  /** Exact coverage P(l ≤ B ≤ u − 1) ≥ confidence. */
  coverage: number;
}

/** Ranks of the equal-tailed order-statistic interval for the q-quantile of n observations; null if none exists. */
export function quantileCiIndices(n: number, q: number, confidence: number): QuantileIndices | null {
  if (!(n >= 1) || !(q > 0 && q < 1) || !(confidence > 0 && confidence < 1)) return null;
  const tail = (1 - confidence) / 2;
  // Upper bound needs P(B ≥ n) = P(B > n − 1) ≤ tail; lower bound needs P(B ≤ 0) ≤ tail.
  if (binomialSf(n - 1, n, q) > tail || binomialCdf(0, n, q) > tail) return null;
  // Largest l in [1, n] with P(B ≤ l − 1) ≤ tail (the cdf increases with l).
  let a = 1;
  let b = n;
  while (a < b) {
    const mid = Math.ceil((a + b) / 2);
    if (binomialCdf(mid - 1, n, q) <= tail) a = mid;
    else b = mid - 1;
  }
  const lower = a;
  // Smallest u in [1, n] with P(B ≥ u) = P(B > u − 1) ≤ tail (the tail shrinks as u grows).
  a = 1;
  b = n;
  while (a < b) {
    const mid = Math.floor((a + b) / 2);
    if (binomialSf(mid - 1, n, q) <= tail) b = mid;
    else a = mid + 1;
  }
  const upper = a;
  const coverage = 1 - binomialCdf(lower - 1, n, q) - binomialSf(upper - 1, n, q);
  return { lower, upper, coverage };
}

/** Smallest n for which an equal-tailed interval for the q-quantile exists at `confidence` (Infinity if absurd). */
export function quantileCiMinN(q: number, confidence: number): number {
  const tail = (1 - confidence) / 2;
  const worst = Math.max(q, 1 - q);
  // max(q,1−q)ⁿ ≤ tail ⇔ n ≥ ln(tail)/ln(worst); check the neighbours exactly against the binomial tails.
  const estimate = Math.ceil(Math.log(tail) / Math.log(worst));
  if (!Number.isFinite(estimate) || estimate > 1e12) return Infinity; // q within ~1e-12 of 0 or 1: no usable n
  let n = Math.max(1, estimate);
  while (n > 1 && quantileCiIndices(n - 1, q, confidence) !== null) n--;
  while (quantileCiIndices(n, q, confidence) === null) n++;
  return n;
}

export interface QuantileCi {
  /** Sample quantile (linear interpolation, numpy's default). */
  estimate: number;
  ci: [number, number];
  indices: QuantileIndices;
}

/** Order-statistic CI for the q-quantile of a sorted sample; null when n is below quantileCiMinN. */
export function quantileCi(sorted: ArrayLike<number>, q: number, confidence = QUANTILE_ARM_CONFIDENCE): QuantileCi | null {
  const indices = quantileCiIndices(sorted.length, q, confidence);
  if (!indices) return null;
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const estimate = lo + 1 < sorted.length ? sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]) : sorted[lo];
  return { estimate, ci: [sorted[indices.lower - 1], sorted[indices.upper - 1]], indices };
}
