/**
 * Hodges–Lehmann shift (median of the pairwise differences canary − baseline) and its distribution-free confidence
 * interval [D₍k₎, D₍N+1−k₎] over the N = n·m sorted differences, where
 *     k = ⌊N/2 − z_{1−α/2} · √(N(n+m+1)/12)⌋
 * is the large-sample Mann-Whitney critical value (Hollander & Wolfe; Lehmann). When k < 1 the sample is too small
 * for an interval at that confidence.
 *
 * The n·m differences are never materialized (10k × 10k would be 10⁸ numbers). Instead we select by rank over the
 * implicit sorted matrix D[i][j] = x[j] − y[i] (rows ascend in j, columns descend in i): keep, per row, the index
 * range [lo, hi) of differences still in play; draw a random sample of those, take two pivots that bracket the
 * wanted rank, and count the differences below each pivot with one monotone pointer per pass (O(n + m)). Each
 * round keeps a few percent of the candidates; once few enough remain they are copied out and sorted.
 */
import { twoSidedZ } from './distributions';
import { selectInPlace } from './sort';

const SAMPLE_SIZE = 1000;

/** Deterministic generator for pivot sampling, so the function stays pure (result never depends on it; speed does). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * For each row i, the first j in [lo[i], hi[i]) whose difference x[j] − y[i] is ≥ pivot (strict=false: > pivot).
 * Returns how many in-play differences lie before those positions.
 */
function countBelow(x: ArrayLike<number>, y: ArrayLike<number>, lo: Int32Array, hi: Int32Array, pivot: number, inclusive: boolean, out: Int32Array): number {
  let count = 0;
  let j = 0;
  for (let i = 0; i < y.length; i++) {
    const yi = y[i];
    if (j < lo[i]) j = lo[i];
    const end = hi[i];
    if (inclusive) while (j < end && x[j] - yi <= pivot) j++;
    else while (j < end && x[j] - yi < pivot) j++;
    out[i] = j;
    count += j - lo[i];
  }
  return count;
}

/** The k-th smallest (1-based) of all differences x[j] − y[i]; x and y sorted ascending and non-empty. */
export function selectPairwiseDifference(x: ArrayLike<number>, y: ArrayLike<number>, k: number): number {
  const m = x.length;
  const n = y.length;
  const total = n * m;
  if (total === 0 || !(k >= 1 && k <= total)) return Number.NaN;
  const lo = new Int32Array(n);
  const hi = new Int32Array(n).fill(m);
  const posLow = new Int32Array(n);
  const posHigh = new Int32Array(n);
  const prefix = new Float64Array(n + 1);
  const sample = new Float64Array(SAMPLE_SIZE);
  const random = mulberry32(0x9e3779b9 ^ (n * 31 + m));
  const enumerateLimit = Math.max(2048, n + m);
  let below = 0; // differences known to rank below everything still in play
  let active = total;
  let stalled = false;
  for (;;) {
    if (active <= enumerateLimit) {
      const rest = new Float64Array(active);
      let t = 0;
      for (let i = 0; i < n; i++) for (let j = lo[i]; j < hi[i]; j++) rest[t++] = x[j] - y[i];
      return selectInPlace(rest, k - below - 1);
    }
    for (let i = 0; i < n; i++) prefix[i + 1] = prefix[i] + (hi[i] - lo[i]);
    const s = SAMPLE_SIZE;
    for (let t = 0; t < s; t++) {
      const r = Math.floor(random() * active);
      let a = 0;
      let b = n; // find the row i with prefix[i] ≤ r < prefix[i + 1]
      while (b - a > 1) {
        const mid = (a + b) >> 1;
        if (prefix[mid] <= r) a = mid;
        else b = mid;
      }
      sample[t] = x[lo[a] + (r - prefix[a])] - y[a];
    }
    const f = (k - below - 0.5) / active;
    const centre = f * s;
    const spread = stalled ? 0 : 2.5 * Math.sqrt(s * f * (1 - f)) + 1;
    const lowIndex = Math.min(s - 1, Math.max(0, Math.floor(centre - spread)));
    const highIndex = Math.min(s - 1, Math.max(0, Math.ceil(centre + spread)));
    const pivotLow = selectInPlace(sample, lowIndex);
    const pivotHigh = stalled ? pivotLow : selectInPlace(sample, highIndex, lowIndex, s - 1);
    const countLow = below + countBelow(x, y, lo, hi, pivotLow, false, posLow);
    const countHigh = below + countBelow(x, y, lo, hi, pivotHigh, true, posHigh);
    const before = active;
    if (k <= countLow) {
      hi.set(posLow);
      active = countLow - below;
    } else if (k > countHigh) {
      active -= countHigh - below;
      below = countHigh;
      lo.set(posHigh);
    } else {
      if (pivotLow === pivotHigh) return pivotLow; // every difference between the two counts equals the pivot
      lo.set(posLow);
      hi.set(posHigh);
      below = countLow;
      active = countHigh - countLow;
    }
    stalled = active === before; // heavy ties: fall back to a single pivot, which always removes its own value
  }
}

export interface HodgesLehmannResult {
  /** Median of the pairwise differences canary − baseline. */
  estimate: number;
  /** Distribution-free CI at `confidence`; null when the samples are too small for one. */
  ci: [number, number] | null;
  /** Rank k of the lower bound (1-based); < 1 means no interval exists. */
  k: number;
  confidence: number;
}

/** The rank k of the lower CI bound for sample sizes n, m. */
export function hodgesLehmannRank(n: number, m: number, confidence: number): number {
  const total = n * m;
  return Math.floor(total / 2 - twoSidedZ(confidence) * Math.sqrt((total * (n + m + 1)) / 12));
}

/** Smallest equal per-arm size for which the HL interval exists at `confidence` (k ≥ 1). */
export function hodgesLehmannMinPerArm(confidence: number): number {
  for (let n = 1; n < 1_000_000; n++) if (hodgesLehmannRank(n, n, confidence) >= 1) return n;
  return Infinity;
}

/**
 * @param canary sorted ascending
 * @param baseline sorted ascending
 */
export function hodgesLehmann(canary: ArrayLike<number>, baseline: ArrayLike<number>, confidence = 0.98): HodgesLehmannResult {
  const total = canary.length * baseline.length;
  if (total === 0) return { estimate: Number.NaN, ci: null, k: 0, confidence };
  const half = Math.floor((total + 1) / 2);
  const estimate =
    total % 2 === 1
      ? selectPairwiseDifference(canary, baseline, half)
      : selectPairwiseDifference(canary, baseline, half) / 2 + selectPairwiseDifference(canary, baseline, half + 1) / 2;
  const k = hodgesLehmannRank(baseline.length, canary.length, confidence);
  if (k < 1) return { estimate, ci: null, k, confidence };
  const ci: [number, number] = [selectPairwiseDifference(canary, baseline, k), selectPairwiseDifference(canary, baseline, total + 1 - k)];
  return { estimate, ci, k, confidence };
}
