/**
 * The `quantile` kind (raw observations) and the `histogram` kind (per-bucket counts merged over the window):
 * docs/statistics.md "Tests per metric kind". Both compare the canary's q-quantile with the baseline's as a ratio
 * whose interval (quantile-compare.ts) is judged against the margin (allowedIncrease − 1) at the judge's
 * confidence. Histograms are the preferred tail: per-minute quantiles of a small arm run low and are blind.
 */
import type { JudgeMetricInput, MetricVerdict } from '../domain/verdict';
import * as f from './format';
import { mergeHistogram, histogramQuantile, valueAtRank, type MergedHistogram } from './histogram';
import {
  decideAgainstMargin,
  directionOf,
  fixedHorizonLevel,
  formatRelative,
  formatRelativeInterval,
  marginPhrase,
} from './margin';
import { compareQuantiles, type ArmQuantiles } from './quantile-compare';
import { cleanSample, quantileSorted } from './sample';
import {
  METHODS,
  droppedNote,
  emptyReason,
  finiteOrNull,
  marginFrom,
  nodataVerdict,
  nonNegative,
} from './verdict-common';

type QuantileInput = Extract<JudgeMetricInput, { kind: 'quantile' }>;
type HistogramInput = Extract<JudgeMetricInput, { kind: 'histogram' }>;

/** Raw observations (sorted): the value at a 1-based rank, interpolated between neighbouring order statistics. */
export function rawArm(sorted: Float64Array, q: number): ArmQuantiles {
  const n = sorted.length;
  return {
    n,
    estimate: { value: quantileSorted(sorted, q), open: false },
    at(rank: number) {
      const r = Math.min(n, Math.max(1, rank)) - 1;
      const lo = Math.floor(r);
      const hi = Math.min(n - 1, lo + 1);
      return { value: sorted[lo] + (r - lo) * (sorted[hi] - sorted[lo]), open: false };
    },
  };
}

/** Merged buckets: whole requests for the ranks (increase() may give fractions), histogram_quantile positions. */
export function histogramArm(h: MergedHistogram, q: number): ArmQuantiles {
  const n = Math.round(h.total);
  const scale = n > 0 ? h.total / n : 1;
  return { n, estimate: histogramQuantile(h, q), at: (rank: number) => valueAtRank(h, rank * scale) };
}

interface Arms {
  baseline: ArmQuantiles;
  canary: ArmQuantiles;
}

function judgeArms(
  metric: QuantileInput | HistogramInput,
  arms: Arms,
  confidence: number,
  note: string,
): MetricVerdict {
  const { name, kind } = metric;
  const critical = metric.critical === true;
  const q = metric.quantile;
  const label = f.quantileLabel(q);
  const margin = marginFrom(metric.allowedIncrease);
  const cmp = compareQuantiles(arms.baseline, arms.canary, q, confidence);
  const nb = arms.baseline.n;
  const nc = arms.canary.n;
  const unit = f.unitFromName(name);
  const u = unit ? ` ${unit}` : '';
  const what = kind === 'histogram' ? 'requests' : 'observations';
  if (cmp.status === 'too-few') {
    return nodataVerdict(
      name,
      kind,
      critical,
      `${name}: too few ${what}: baseline has ${nb}, canary ${nc}; a ${label} interval needs ${Number.isFinite(cmp.needed) ? `at least ${cmp.needed}` : 'more'} per arm${note}`,
      nb,
      nc,
    );
  }
  const level = fixedHorizonLevel(
    confidence,
    `approximate: per-arm order-statistic intervals at ${f.confidenceLabel(cmp.perArmLevel)} combined`,
  );
  if (cmp.status === 'zero-baseline')
    return nodataVerdict(
      name,
      kind,
      critical,
      `${name}: no data: the baseline ${label} is 0, so a ratio means nothing${note}`,
      nb,
      nc,
      level,
    );
  let outcome = decideAgainstMargin(cmp.relativeCi, margin);
  let caveat = '';
  if (outcome === 'fail' && cmp.lowerOpen) {
    outcome = 'inconclusive';
    caveat = `; the baseline's ${label} bound lies in the +Inf bucket, so the lower bound is not trustworthy`;
  } else if (outcome === 'pass' && cmp.upperOpen) {
    outcome = 'inconclusive';
    caveat = `; the canary's ${label} bound lies in the +Inf bucket (beyond the largest finite bucket), so the upper bound is only a floor`;
  }
  const direction = directionOf(cmp.differenceCi);
  const numbers = `${label} canary ${f.formatNumber(cmp.canary.estimate)}${u} vs baseline ${f.formatNumber(cmp.baseline.estimate)}${u} (${formatRelative(cmp.relative)}, ${f.confidenceLabel(confidence)} interval ${formatRelativeInterval(cmp.relativeCi)})`;
  const phrase = caveat ? `not decided${caveat}` : `the interval is ${marginPhrase(outcome, margin, direction)}`;
  return {
    name,
    kind,
    verdict: outcome,
    direction,
    method: METHODS[kind],
    pValue: null,
    estimate: finiteOrNull(cmp.difference),
    ci: cmp.differenceCi,
    ratio: finiteOrNull(cmp.relative + 1),
    baselineN: nb,
    canaryN: nc,
    critical,
    margin,
    relativeCi: cmp.relativeCi,
    level,
    reason: `${name}: ${numbers}; ${phrase}${note}`,
  };
}

export function judgeQuantile(metric: QuantileInput, confidence: number): MetricVerdict {
  const critical = metric.critical === true;
  const { name } = metric;
  const q = metric.quantile;
  if (!(q > 0 && q < 1))
    return nodataVerdict(name, 'quantile', critical, `${name}: no data: quantile must be between 0 and 1`);
  const b = nonNegative(cleanSample(metric.baseline));
  const c = nonNegative(cleanSample(metric.canary));
  const empty = emptyReason('baseline', b) ?? emptyReason('canary', c);
  if (empty)
    return nodataVerdict(name, 'quantile', critical, `${name}: no data: ${empty}`, b.sorted.length, c.sorted.length);
  if (!Number.isFinite(b.sorted[b.sorted.length - 1]) || !Number.isFinite(c.sorted[c.sorted.length - 1])) {
    return nodataVerdict(
      name,
      'quantile',
      critical,
      `${name}: no data: values too large to compare`,
      b.sorted.length,
      c.sorted.length,
    );
  }
  return judgeArms(
    metric,
    { baseline: rawArm(b.sorted, q), canary: rawArm(c.sorted, q) },
    confidence,
    droppedNote(b, c),
  );
}

export function judgeHistogram(metric: HistogramInput, confidence: number): MetricVerdict {
  const critical = metric.critical === true;
  const { name } = metric;
  const q = metric.quantile;
  if (!(q > 0 && q < 1))
    return nodataVerdict(name, 'histogram', critical, `${name}: no data: quantile must be between 0 and 1`);
  const hb = mergeHistogram(metric.bounds, metric.baseline);
  const hc = mergeHistogram(metric.bounds, metric.canary);
  if (!hb || !hc)
    return nodataVerdict(name, 'histogram', critical, `${name}: no data: bucket bounds or counts are malformed`);
  if (hb.lastFinite < 0)
    return nodataVerdict(name, 'histogram', critical, `${name}: no data: the histogram has no finite bucket`);
  for (const [arm, h] of [
    ['baseline', hb],
    ['canary', hc],
  ] as const) {
    if (!(h.total >= 0.5))
      return nodataVerdict(
        name,
        'histogram',
        critical,
        `${name}: no data: the ${arm} histogram is empty`,
        Math.round(hb.total),
        Math.round(hc.total),
      );
  }
  return judgeArms(metric, { baseline: histogramArm(hb, q), canary: histogramArm(hc, q) }, confidence, '');
}
