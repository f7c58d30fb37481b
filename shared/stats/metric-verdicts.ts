/**
 * One verdict per metric, exactly as STATISTICS.md prescribes:
 *  - latency (per-step values): Mann-Whitney U p-value, Hodges–Lehmann shift with its distribution-free CI at the
 *    judge's confidence, mean ratio. Fails when the CI lies above 0 AND canary/baseline mean ≥ allowedIncrease.
 *  - errors (counts): pooled two-proportion z p-value, Newcombe interval for the rate difference. Fails when the
 *    interval lies above 0 AND the relative increase ≥ 10% AND the absolute one ≥ 0.1 percentage point.
 *  - quantile (raw observations): 95% order-statistic CI per arm. Fails when the canary's interval lies entirely
 *    above the baseline's. No verdict below the n where such intervals exist (368 for p99, 3,688 for p99.9).
 * Direction is 'higher' / 'lower' only when the interval excludes 0, else 'same' (Kayenta's High / Low / Pass).
 * Values that are null, NaN or ±Infinity are dropped (a count metric's missing step = 0 is the caller's business:
 * it arrives here already summed into `errors`/`total`).
 */
import type { JudgeMetricInput, MetricVerdict } from '../domain/verdict';
import { hodgesLehmann, hodgesLehmannMinPerArm } from './hodges-lehmann';
import { mannWhitneySorted } from './mann-whitney';
import { twoProportions } from './proportions';
import { QUANTILE_ARM_CONFIDENCE, quantileCi, quantileCiMinN } from './quantile-ci';
import { cleanSample, mean, type CleanSample } from './sample';
import * as f from './format';

export const DEFAULT_CONFIDENCE = 0.98;
export const DEFAULT_ALLOWED_INCREASE = 1.1;
export const ERROR_RELATIVE_LIMIT = 0.1;
export const ERROR_ABSOLUTE_LIMIT = 0.001;

type Kind = MetricVerdict['kind'];
type LatencyInput = Extract<JudgeMetricInput, { kind: 'latency' }>;
type ErrorsInput = Extract<JudgeMetricInput, { kind: 'errors' }>;
type QuantileInput = Extract<JudgeMetricInput, { kind: 'quantile' }>;

const METHODS: Record<Kind, string> = {
  latency: 'mann-whitney-u + hodges-lehmann',
  errors: 'two-proportion-z + newcombe',
  quantile: 'order-statistic-ci (hahn-meeker)',
};

export function nodataVerdict(name: string, kind: Kind, critical: boolean, reason: string, baselineN = 0, canaryN = 0): MetricVerdict {
  return { name, kind, verdict: 'nodata', direction: 'same', method: METHODS[kind], pValue: null, estimate: null, ci: null, ratio: null, baselineN, canaryN, critical, reason };
}

function directionOf(ci: [number, number]): MetricVerdict['direction'] {
  return ci[0] > 0 ? 'higher' : ci[1] < 0 ? 'lower' : 'same';
}

function finiteOrNull(x: number | null): number | null {
  return x !== null && Number.isFinite(x) ? x : null;
}

/** Why a sample cannot be judged at all (empty provider answer or nothing finite in it), or null. */
function emptyReason(arm: 'baseline' | 'canary', s: CleanSample): string | null {
  if (s.received === 0) return `the provider returned no points for the ${arm}`;
  if (s.sorted.length === 0) return `all ${s.received} ${arm} values are NaN or missing`;
  return null;
}

function droppedNote(b: CleanSample, c: CleanSample): string {
  const dropped = b.dropped + c.dropped;
  return dropped > 0 ? ` (${dropped} NaN/missing value${dropped === 1 ? '' : 's'} dropped)` : '';
}

export function judgeLatency(metric: LatencyInput, confidence: number): MetricVerdict {
  const critical = metric.critical === true;
  const { name } = metric;
  const allowed = typeof metric.allowedIncrease === 'number' && metric.allowedIncrease > 1 ? metric.allowedIncrease : DEFAULT_ALLOWED_INCREASE;
  const b = cleanSample(metric.baseline);
  const c = cleanSample(metric.canary);
  const empty = emptyReason('baseline', b) ?? emptyReason('canary', c);
  if (empty) return nodataVerdict(name, 'latency', critical, `${name}: no data: ${empty}`, b.sorted.length, c.sorted.length);
  const hl = hodgesLehmann(c.sorted, b.sorted, confidence);
  if (!hl.ci) {
    const needed = hodgesLehmannMinPerArm(confidence);
    return nodataVerdict(name, 'latency', critical,
      `${name}: too few samples: baseline has ${b.sorted.length}, canary ${c.sorted.length}; a ${f.confidenceLabel(confidence)} interval needs at least ${needed} per arm`,
      b.sorted.length, c.sorted.length);
  }
  const mw = mannWhitneySorted(c.sorted, b.sorted);
  const baselineMean = mean(b.sorted);
  const canaryMean = mean(c.sorted);
  if (![hl.estimate, hl.ci[0], hl.ci[1], baselineMean, canaryMean].every(Number.isFinite)) {
    return nodataVerdict(name, 'latency', critical, `${name}: no data: values too large to compare (differences overflow)`, b.sorted.length, c.sorted.length);
  }
  const ratio = baselineMean > 0 ? canaryMean / baselineMean : null;
  const direction = directionOf(hl.ci);
  // A non-positive baseline mean has no meaningful ratio; then any higher canary mean counts as "above allowed".
  const aboveAllowed = ratio !== null ? ratio >= allowed : canaryMean > baselineMean;
  const failed = direction === 'higher' && aboveAllowed;
  const unit = f.unitFromName(name);
  const u = unit ? ` ${unit}` : '';
  const change = ratio !== null
    ? `canary is ${f.formatPercentChange(ratio - 1)} ${ratio >= 1 ? 'higher' : 'lower'}`
    : `canary mean ${f.formatNumber(canaryMean)}${u} vs baseline ${f.formatNumber(baselineMean)}${u}`;
  const shift = `HL shift ${f.formatSigned(hl.estimate)}${u}, ${f.confidenceLabel(confidence)} CI ${f.formatInterval(hl.ci)}`;
  const limit = `${f.formatLimit(allowed - 1)} increase`;
  let reason: string;
  if (direction === 'same') reason = `${name}: no significant difference (${change}; ${shift})`;
  else if (direction === 'lower') reason = `${name}: ${change} (${shift}); an improvement`;
  else reason = `${name}: ${change} (${shift}); ${failed ? 'above' : 'within'} the allowed ${limit}`;
  return {
    name, kind: 'latency', verdict: failed ? 'fail' : 'pass', direction, method: METHODS.latency,
    pValue: finiteOrNull(mw.pValue), estimate: hl.estimate, ci: hl.ci, ratio: finiteOrNull(ratio),
    baselineN: b.sorted.length, canaryN: c.sorted.length, critical, reason: reason + droppedNote(b, c),
  };
}

function validCounts(x: { errors: number; total: number } | undefined): x is { errors: number; total: number } {
  return !!x && Number.isFinite(x.errors) && Number.isFinite(x.total) && x.errors >= 0 && x.total >= 0;
}

export function judgeErrors(metric: ErrorsInput, confidence: number): MetricVerdict {
  const critical = metric.critical === true;
  const { name } = metric;
  const { baseline, canary } = metric;
  if (!validCounts(baseline) || !validCounts(canary)) return nodataVerdict(name, 'errors', critical, `${name}: no data: error counts are missing, negative or not finite`);
  for (const [arm, counts] of [['baseline', baseline], ['canary', canary]] as const) {
    // Counts are whole requests; a total below 1 means nothing was served.
    if (counts.total < 1) return nodataVerdict(name, 'errors', critical, `${name}: no data: the ${arm} saw no requests (total ${counts.total})`, baseline.total, canary.total);
  }
  const t = twoProportions(baseline, canary, confidence);
  if (![t.difference, t.ci[0], t.ci[1]].every(Number.isFinite)) {
    return nodataVerdict(name, 'errors', critical, `${name}: no data: error counts could not be compared`, baseline.total, canary.total);
  }
  const direction = directionOf(t.ci);
  const relative = t.ratio !== null ? t.ratio - 1 : t.canaryRate > 0 ? Infinity : 0;
  const failed = direction === 'higher' && relative >= ERROR_RELATIVE_LIMIT && t.difference >= ERROR_ABSOLUTE_LIMIT;
  const rates = `canary ${f.formatRate(t.canaryRate)} vs baseline ${f.formatRate(t.baselineRate)}`;
  const times = t.ratio !== null ? `, ${f.formatNumber(t.ratio)}× baseline` : '';
  const detail = `${f.formatPoints(t.difference)}, ${f.confidenceLabel(confidence)} CI [${f.formatPoints(t.ci[0]).replace(' pp', '')}, ${f.formatPoints(t.ci[1])}]${times}`;
  const limits = `${f.formatLimit(ERROR_RELATIVE_LIMIT)} and ${f.formatPoints(ERROR_ABSOLUTE_LIMIT).replace('+', '')} limits`;
  let reason: string;
  if (t.canaryRate === 0 && t.baselineRate === 0) reason = `${name}: no errors in either arm`;
  else if (direction === 'same') reason = `${name}: no significant difference (${rates}; ${detail})`;
  else if (direction === 'lower') reason = `${name}: error rate lower, ${rates} (${detail}); an improvement`;
  else reason = `${name}: error rate higher, ${rates} (${detail}); ${failed ? 'above' : 'within'} the ${limits}`;
  return {
    name, kind: 'errors', verdict: failed ? 'fail' : 'pass', direction, method: METHODS.errors,
    pValue: finiteOrNull(t.pValue), estimate: t.difference, ci: t.ci, ratio: finiteOrNull(t.ratio),
    baselineN: baseline.total, canaryN: canary.total, critical, reason,
  };
}

export function judgeQuantile(metric: QuantileInput): MetricVerdict {
  const critical = metric.critical === true;
  const { name } = metric;
  const q = metric.quantile;
  if (!(q > 0 && q < 1)) return nodataVerdict(name, 'quantile', critical, `${name}: no data: quantile must be between 0 and 1`);
  const label = f.quantileLabel(q);
  const b = cleanSample(metric.baseline);
  const c = cleanSample(metric.canary);
  const empty = emptyReason('baseline', b) ?? emptyReason('canary', c);
  if (empty) return nodataVerdict(name, 'quantile', critical, `${name}: no data: ${empty}`, b.sorted.length, c.sorted.length);
  const needed = quantileCiMinN(q, QUANTILE_ARM_CONFIDENCE);
  const bq = quantileCi(b.sorted, q);
  const cq = quantileCi(c.sorted, q);
  if (!bq || !cq) {
    return nodataVerdict(name, 'quantile', critical,
      `${name}: too few observations: baseline has ${b.sorted.length}, canary ${c.sorted.length}; a ${label} interval needs ${Number.isFinite(needed) ? `at least ${needed}` : 'more'} per arm`,
      b.sorted.length, c.sorted.length);
  }
  const ci: [number, number] = [cq.ci[0] - bq.ci[1], cq.ci[1] - bq.ci[0]];
  const estimate = cq.estimate - bq.estimate;
  if (![estimate, ci[0], ci[1]].every(Number.isFinite)) {
    return nodataVerdict(name, 'quantile', critical, `${name}: no data: values too large to compare (differences overflow)`, b.sorted.length, c.sorted.length);
  }
  const ratio = bq.estimate > 0 ? cq.estimate / bq.estimate : null;
  const direction = directionOf(ci); // ci[0] > 0 ⇔ the canary's interval lies above the baseline's
  const unit = f.unitFromName(name);
  const arms = `${label} canary ${f.formatNumber(cq.estimate)} vs baseline ${f.formatNumber(bq.estimate)}${unit ? ` ${unit}` : ''}`;
  const intervals = `95% CIs ${f.formatInterval(cq.ci)} and ${f.formatInterval(bq.ci)}`;
  let reason: string;
  if (direction === 'same') reason = `${name}: no significant difference (${arms}; ${intervals} overlap)`;
  else if (direction === 'lower') reason = `${name}: ${arms} (${intervals} do not overlap); lower, an improvement`;
  else reason = `${name}: ${arms} (${intervals} do not overlap); canary is higher`;
  return {
    name, kind: 'quantile', verdict: direction === 'higher' ? 'fail' : 'pass', direction, method: METHODS.quantile,
    pValue: null, estimate, ci, ratio: finiteOrNull(ratio), baselineN: b.sorted.length, canaryN: c.sorted.length, critical,
    reason: reason + droppedNote(b, c),
  };
}
