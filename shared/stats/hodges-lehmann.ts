/**
 * Hodges–Lehmann shift (median of the pairwise differences canary − baseline) and its distribution-free confidence
 * interval [D₍k₎, D₍N+1−k₎] over the N = n·m sorted differences, where
 *     k = ⌊N/2 − z_{1−α/2} · √(N(n+m+1)/12)⌋
 * is the large-sample Mann-Whitney critical value (Hollander & Wolfe; Lehmann). When k < 1 the sample is too small
 * for an interval at that confidence.
 *
 * The n·m differences are never materialized (10k × 10k would be 10⁸ numbers): the median pair and both bounds are
 * selected by rank over the implicit sorted matrix of differences (pairwise-select.ts), in O((n + m)·rounds).
 */
import { twoSidedZ } from './distributions';
import { selectPairwiseDifferences } from './pairwise-select';

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
export function hodgesLehmann(canary: Float64Array, baseline: Float64Array, confidence = 0.98): HodgesLehmannResult {
  const total = canary.length * baseline.length;
  if (total === 0) return { estimate: Number.NaN, ci: null, k: 0, confidence };
  const half = Math.floor((total + 1) / 2);
  const medianRanks = total % 2 === 1 ? [half] : [half, half + 1];
  const k = hodgesLehmannRank(baseline.length, canary.length, confidence);
  const ranks = k >= 1 ? [...medianRanks, k, total + 1 - k] : medianRanks;
  const values = selectPairwiseDifferences(canary, baseline, ranks);
  // Halve before adding so two huge differences cannot overflow.
  const estimate = medianRanks.length === 1 ? values[0] : values[0] / 2 + values[1] / 2;
  if (k < 1) return { estimate, ci: null, k, confidence };
  return { estimate, ci: [values[medianRanks.length], values[medianRanks.length + 1]], k, confidence };
}
