/**
 * What the live guard's always-valid interval is computed on, per metric kind (docs/statistics.md "Watching live"):
 * an asymptotically normal estimate Δ̂ of canary vs baseline with its variance, the margin on Δ's scale, and how Δ
 * maps back to a relative change.
 *  - latency (per-step values): difference of the arms' mean LOG values (a ratio of geometric means; a load
 *    factor shared by both arms cancels), or of raw means when a value ≤ 0 was present at the first look;
 *  - errors: difference of rates with the pooled variance (pooledProportionStats); margin max(absolute limit,
 *    relative limit × baseline rate) — fail needs both exceeded, pass needs either bounded;
 *  - quantile / histogram: difference of log quantiles, variances from the order statistics (logQuantileSe).
 */
import type { JudgeMetricInput } from '../domain/verdict';
import { histogramArm, rawArm } from './quantile-verdict';
import { mergeHistogram } from './histogram';
import { logQuantileSe, QUANTILE_FLOOR_CONFIDENCE, type ArmQuantiles } from './quantile-compare';
import { quantileCiMinN } from './quantile-ci';
import { cleanSample, mean, variance } from './sample';
import { pooledProportionStats, SEQUENTIAL_MIN_SAMPLES } from './sequential';
import { errorsFloor } from './errors-verdict';
import { ERROR_ABSOLUTE_LIMIT, ERROR_RELATIVE_LIMIT, marginFrom } from './verdict-common';

export type LatencyScale = 'log' | 'linear';

export interface GuardObservation {
  estimate: number;
  variance: number;
  /** The margin on Δ's scale: fail when the lower bound exceeds it, pass when the upper bound stays below. */
  marginOnScale: number;
  /** Δ on its scale → relative change vs the baseline. */
  relative(x: number): number;
  scale: LatencyScale | null;
}

function perStep(
  metric: Extract<JudgeMetricInput, { kind: 'latency' }>,
  scale: LatencyScale | null,
): GuardObservation | null {
  const b = cleanSample(metric.baseline).sorted;
  const c = cleanSample(metric.canary).sorted;
  if (b.length < SEQUENTIAL_MIN_SAMPLES || c.length < SEQUENTIAL_MIN_SAMPLES) return null;
  const chosen: LatencyScale = scale ?? (b[0] > 0 && c[0] > 0 ? 'log' : 'linear');
  const margin = marginFrom(metric.allowedIncrease);
  if (chosen === 'log') {
    const lb = Float64Array.from(
      b.filter((v) => v > 0),
      Math.log,
    );
    const lc = Float64Array.from(
      c.filter((v) => v > 0),
      Math.log,
    );
    if (lb.length < SEQUENTIAL_MIN_SAMPLES || lc.length < SEQUENTIAL_MIN_SAMPLES) return null;
    return {
      estimate: mean(lc) - mean(lb),
      variance: variance(lc) / lc.length + variance(lb) / lb.length,
      marginOnScale: Math.log1p(margin),
      relative: (x) => Math.expm1(x),
      scale: chosen,
    };
  }
  const mb = mean(b);
  if (!(mb > 0)) return null;
  return {
    estimate: mean(c) - mb,
    variance: variance(c) / c.length + variance(b) / b.length,
    marginOnScale: margin * mb,
    relative: (x) => x / mb,
    scale: chosen,
  };
}

function counts(metric: Extract<JudgeMetricInput, { kind: 'errors' }>): GuardObservation | null {
  const { treatment, control } = pooledProportionStats(metric.canary, metric.baseline);
  const rel =
    typeof metric.relativeLimit === 'number' && metric.relativeLimit > 0 ? metric.relativeLimit : ERROR_RELATIVE_LIMIT;
  const abs =
    typeof metric.absoluteLimit === 'number' && metric.absoluteLimit >= 0 ? metric.absoluteLimit : ERROR_ABSOLUTE_LIMIT;
  // The judge's own floor (errors-verdict.ts): the normal approximation needs a few expected errors per arm.
  const floor = Math.max(SEQUENTIAL_MIN_SAMPLES, errorsFloor(metric.baseline.errors, control.n, abs));
  if (treatment.n < floor || control.n < floor) return null;
  const rate = control.mean;
  return {
    estimate: treatment.mean - control.mean,
    variance: treatment.variance / treatment.n + control.variance / control.n,
    marginOnScale: Math.max(abs, rel * rate),
    // Relative to the baseline rate; with no baseline errors there is no relative change (NaN → relativeCi null).
    relative: (x) => (rate > 0 ? x / rate : Number.NaN),
    scale: null,
  };
}

function quantiles(
  baseline: ArmQuantiles,
  canary: ArmQuantiles,
  q: number,
  allowedIncrease: number | undefined,
): GuardObservation | null {
  // The judge's own sample floor: below it a quantile's standard error is not worth a plug-in variance.
  const floor = quantileCiMinN(q, QUANTILE_FLOOR_CONFIDENCE);
  if (baseline.n < floor || canary.n < floor) return null;
  const sb = logQuantileSe(baseline, q);
  const sc = logQuantileSe(canary, q);
  const eb = baseline.estimate;
  const ec = canary.estimate;
  if (sb === null || sc === null || eb.open || ec.open || !(eb.value > 0) || !(ec.value > 0)) return null;
  return {
    estimate: Math.log(ec.value) - Math.log(eb.value),
    variance: sb * sb + sc * sc,
    marginOnScale: Math.log1p(marginFrom(allowedIncrease)),
    relative: (x) => Math.expm1(x),
    scale: null,
  };
}

/** The observation for one metric at one step; null when there is not yet enough to form it. */
export function guardObservation(metric: JudgeMetricInput, scale: LatencyScale | null): GuardObservation | null {
  switch (metric.kind) {
    case 'latency':
      return perStep(metric, scale);
    case 'errors':
      return counts(metric);
    case 'quantile': {
      const b = cleanSample(metric.baseline).sorted;
      const c = cleanSample(metric.canary).sorted;
      if (b.length < 2 || c.length < 2) return null;
      return quantiles(rawArm(b, metric.quantile), rawArm(c, metric.quantile), metric.quantile, metric.allowedIncrease);
    }
    case 'histogram': {
      const hb = mergeHistogram(metric.bounds, metric.baseline);
      const hc = mergeHistogram(metric.bounds, metric.canary);
      if (!hb || !hc || hb.total < 1 || hc.total < 1) return null;
      return quantiles(
        histogramArm(hb, metric.quantile),
        histogramArm(hc, metric.quantile),
        metric.quantile,
        metric.allowedIncrease,
      );
    }
    default:
      return null;
  }
}
