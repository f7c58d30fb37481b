/**
 * Two arms' q-quantiles compared as a ratio with an interval at the judge's confidence, from raw observations or
 * from merged histogram buckets (docs/statistics.md, the `quantile` and `histogram` kinds).
 *
 * Each arm gets an exact, distribution-free order-statistic interval [x₍l₎, x₍u₎] (Hahn & Meeker; quantile-ci.ts);
 * the ratio interval is [L_c / U_b, U_c / L_b]. Two intervals each at level γ combine to about the wanted level
 * when γ's normal quantile is z_γ = z · √(s_c² + s_b²) / (s_c + s_b) (Goldstein & Healy 1995), where sᵢ is the
 * arm's standard error of log q̂ — proportional to 1/√nᵢ when the arms differ by a scale (the null at the margin),
 * so the rule needs no density estimate. Equal arms: γ ≈ 90.3 % each for a 98 % ratio interval; a 1 % canary:
 * γ ≈ 96.6 %. The combination is approximate (asymptotically exact); the per-arm intervals are exact.
 *
 * Sample floor: both arms need the per-arm interval at γ AND at 95 % to exist (368 observations for p99, 3,688 for
 * p99.9 at 95 %; more when γ > 95 %). Below it the judge reports nodata.
 */
import { normalSf, twoSidedZ } from './distributions';
import type { RankValue } from './histogram';
import { quantileCiIndices, quantileCiMinN } from './quantile-ci';

/** One arm as the comparison sees it: its size, its q-quantile estimate and its value at an order-statistic rank. */
export interface ArmQuantiles {
  n: number;
  estimate: RankValue;
  /** Value at rank r ∈ [1, n] (1-based, interpolated between ranks). */
  at(rank: number): RankValue;
}

export const QUANTILE_FLOOR_CONFIDENCE = 0.95;

export type QuantileComparison =
  | { status: 'too-few'; needed: number; perArmLevel: number }
  | { status: 'zero-baseline'; perArmLevel: number }
  | {
      status: 'ok';
      baseline: { estimate: number; ci: [number, number] };
      canary: { estimate: number; ci: [number, number] };
      /** canary / baseline − 1 and its interval. */
      relative: number;
      relativeCi: [number, number];
      /** canary − baseline and its interval (in the metric's units). */
      difference: number;
      differenceCi: [number, number];
      perArmLevel: number;
      /** The lower bound is not trustworthy (the baseline's upper bound lies in the +Inf bucket): cannot fail. */
      lowerOpen: boolean;
      /** The upper bound is only a floor (the canary's upper bound lies in the +Inf bucket): cannot pass. */
      upperOpen: boolean;
    };

/** Level γ of each arm's interval so that the ratio interval has about `confidence` (Goldstein–Healy). */
export function perArmLevel(nBaseline: number, nCanary: number, confidence: number): number {
  const sb = 1 / Math.sqrt(nBaseline);
  const sc = 1 / Math.sqrt(nCanary);
  const z = (twoSidedZ(confidence) * Math.sqrt(sb * sb + sc * sc)) / (sb + sc);
  return 1 - 2 * normalSf(z);
}

/** The floor for one arm at per-arm level γ. */
export function quantileFloor(q: number, level: number): number {
  return Math.max(quantileCiMinN(q, QUANTILE_FLOOR_CONFIDENCE), quantileCiMinN(q, level));
}

export function compareQuantiles(
  baseline: ArmQuantiles,
  canary: ArmQuantiles,
  q: number,
  confidence: number,
): QuantileComparison {
  const level = perArmLevel(Math.max(1, baseline.n), Math.max(1, canary.n), confidence);
  const needed = quantileFloor(q, level);
  const bi = baseline.n >= needed ? quantileCiIndices(baseline.n, q, level) : null;
  const ci = canary.n >= needed ? quantileCiIndices(canary.n, q, level) : null;
  if (!bi || !ci) return { status: 'too-few', needed, perArmLevel: level };
  const bl = baseline.at(bi.lower);
  const bu = baseline.at(bi.upper);
  const cl = canary.at(ci.lower);
  const cu = canary.at(ci.upper);
  const be = baseline.estimate.value;
  const ce = canary.estimate.value;
  if (!(bl.value > 0) || !(be > 0)) return { status: 'zero-baseline', perArmLevel: level };
  const relativeCi: [number, number] = [cl.value / bu.value - 1, cu.value / bl.value - 1];
  return {
    status: 'ok',
    baseline: { estimate: be, ci: [bl.value, bu.value] },
    canary: { estimate: ce, ci: [cl.value, cu.value] },
    relative: ce / be - 1,
    relativeCi,
    difference: ce - be,
    differenceCi: [cl.value - bu.value, cu.value - bl.value],
    perArmLevel: level,
    lowerOpen: bu.open || baseline.estimate.open,
    upperOpen: cu.open || canary.estimate.open,
  };
}

/**
 * Standard error of log q̂ from the order statistics one binomial standard deviation either side of q·n
 * (the log-scale analogue of the Maritz–Jarrett / Price–Bonett estimate); null when it cannot be formed.
 * Used by the live guard's always-valid interval on quantiles.
 */
export function logQuantileSe(arm: ArmQuantiles, q: number): number | null {
  const n = arm.n;
  const s = Math.sqrt(n * q * (1 - q));
  const lo = arm.at(Math.max(1, q * n - s));
  const hi = arm.at(Math.min(n, q * n + s));
  if (lo.open || hi.open || !(lo.value > 0) || !(hi.value > 0)) return null;
  const se = (Math.log(hi.value) - Math.log(lo.value)) / 2;
  return Number.isFinite(se) && se > 0 ? se : null;
}
