/**
 * The `errors` kind (counts summed over the window): docs/statistics.md "Tests per metric kind". The margin is
 * an increase of `relativeLimit` (10 %) relative AND `absoluteLimit` (0.1 pp) absolute:
 *   fail  needs both exceeded: the ratio interval lies above 1 + relativeLimit AND the difference interval above
 *         absoluteLimit;
 *   pass  needs either bounded: the ratio interval lies below 1 + relativeLimit OR the difference interval below
 *         absoluteLimit;
 *   otherwise not yet decided.
 * Intervals: Newcombe hybrid score for the difference, MOVER-R for the ratio, both from continuity-corrected
 * Wilson intervals (Newcombe's method 11), two-sided at the judge's confidence. p-value: pooled two-proportion z
 * (against 0). Floor: each arm needs enough requests to expect 5 errors at the baseline's rate (or at the absolute
 * limit when errors are rarer than that) — below it a couple of early errors in a small canary are not evidence,
 * and a watch that re-judges every step would fail healthy rollouts (bench/out/judge.md, A/A rows).
 */
import type { JudgeMetricInput, MetricVerdict } from '../domain/verdict';
import * as f from './format';
import { directionOf, fixedHorizonLevel, formatRelativeInterval } from './margin';
import { moverRatioInterval, newcombeInterval, twoProportions } from './proportions';
import { ERROR_ABSOLUTE_LIMIT, ERROR_RELATIVE_LIMIT, METHODS, finiteOrNull, nodataVerdict } from './verdict-common';

type ErrorsInput = Extract<JudgeMetricInput, { kind: 'errors' }>;

function validCounts(x: { errors: number; total: number } | undefined): x is { errors: number; total: number } {
  return !!x && Number.isFinite(x.errors) && Number.isFinite(x.total) && x.errors >= 0 && x.total >= 0;
}

function limitOf(x: unknown, fallback: number, min: number): number {
  return typeof x === 'number' && Number.isFinite(x) && x >= min ? x : fallback;
}

/** Errors an arm must be expected to show before its rate is judged. */
export const ERRORS_FLOOR_EXPECTED = 5;

/**
 * Requests each arm needs: ERRORS_FLOOR_EXPECTED errors at the BASELINE's rate, or at the absolute limit if that is
 * larger (the baseline's rate, not the pooled one, so that more canary errors can never lift a metric out of nodata).
 */
export function errorsFloor(errors: number, total: number, absoluteLimit: number): number {
  const rate = Math.max(total > 0 ? errors / total : 0, absoluteLimit, 1e-4);
  return Math.ceil(ERRORS_FLOOR_EXPECTED / rate);
}

export function judgeErrors(metric: ErrorsInput, confidence: number): MetricVerdict {
  const critical = metric.critical === true;
  const { name, baseline, canary } = metric;
  const relativeLimit = limitOf(metric.relativeLimit, ERROR_RELATIVE_LIMIT, Number.MIN_VALUE);
  const absoluteLimit = limitOf(metric.absoluteLimit, ERROR_ABSOLUTE_LIMIT, 0);
  const level = fixedHorizonLevel(
    confidence,
    'Newcombe interval of the difference, MOVER-R interval of the ratio, continuity-corrected',
  );
  if (!validCounts(baseline) || !validCounts(canary))
    return nodataVerdict(
      name,
      'errors',
      critical,
      `${name}: no data: error counts are missing, negative or not finite`,
    );
  for (const [arm, counts] of [
    ['baseline', baseline],
    ['canary', canary],
  ] as const) {
    // Counts are whole requests; a total below 1 means nothing was served.
    if (counts.total < 1)
      return nodataVerdict(
        name,
        'errors',
        critical,
        `${name}: no data: the ${arm} saw no requests (total ${counts.total})`,
        baseline.total,
        canary.total,
      );
  }
  const be = Math.min(baseline.total, baseline.errors);
  const ce = Math.min(canary.total, canary.errors);
  const needed = errorsFloor(be, baseline.total, absoluteLimit);
  if (baseline.total < needed || canary.total < needed) {
    return nodataVerdict(
      name,
      'errors',
      critical,
      `${name}: too few requests: baseline has ${baseline.total}, canary ${canary.total}; at the baseline's ${f.formatRate(be / baseline.total)} error rate each arm needs at least ${needed} (${ERRORS_FLOOR_EXPECTED} expected errors)`,
      baseline.total,
      canary.total,
      level,
    );
  }
  const t = twoProportions(baseline, canary, confidence);
  t.ci = newcombeInterval(be, baseline.total, ce, canary.total, confidence, true);
  const ratioCi = moverRatioInterval(be, baseline.total, ce, canary.total, confidence, true);
  if (![t.difference, t.ci[0], t.ci[1], ratioCi[0]].every(Number.isFinite)) {
    return nodataVerdict(
      name,
      'errors',
      critical,
      `${name}: no data: error counts could not be compared`,
      baseline.total,
      canary.total,
    );
  }
  const ratioBounded = Number.isFinite(ratioCi[1]);
  const relativeCi: [number, number] | null = ratioBounded ? [ratioCi[0] - 1, ratioCi[1] - 1] : null;
  const relativeExceeded = ratioCi[0] - 1 > relativeLimit;
  const absoluteExceeded = t.ci[0] > absoluteLimit;
  const relativeBounded = ratioBounded && ratioCi[1] - 1 < relativeLimit;
  const absoluteBounded = t.ci[1] < absoluteLimit;
  const verdict: MetricVerdict['verdict'] =
    relativeExceeded && absoluteExceeded ? 'fail' : relativeBounded || absoluteBounded ? 'pass' : 'inconclusive';
  const direction = directionOf(t.ci);

  const rel = `+${f.formatLimit(relativeLimit)}`;
  const abs = f.formatPoints(absoluteLimit);
  const rates = `canary ${f.formatRate(t.canaryRate)} vs baseline ${f.formatRate(t.baselineRate)}`;
  const diff = `${f.formatPoints(t.difference)}, ${f.confidenceLabel(confidence)} interval [${f.formatPoints(t.ci[0]).replace(' pp', '')}, ${f.formatPoints(t.ci[1])}]`;
  const ratio =
    t.ratio !== null && relativeCi
      ? `; ${f.formatNumber(t.ratio)}× baseline, relative change ${formatRelativeInterval(relativeCi)}`
      : '; ratio unbounded (no baseline errors)';
  let outcome: string;
  if (verdict === 'fail') outcome = `above both the ${rel} and the ${abs} limits: fail`;
  else if (verdict === 'pass')
    outcome = `${absoluteBounded ? `within the ${abs} limit` : `within the ${rel} limit`}: pass${direction === 'lower' ? ' (an improvement)' : ''}`;
  else
    outcome = `not yet decided: may exceed ${relativeBounded ? '' : `the ${rel}`}${!relativeBounded && !absoluteBounded ? ' and ' : ''}${absoluteBounded ? '' : `the ${abs}`} limit${!relativeBounded && !absoluteBounded ? 's' : ''}, keep baking`;
  const what = t.canaryRate === 0 && t.baselineRate === 0 ? 'no errors in either arm' : rates;
  return {
    name,
    kind: 'errors',
    verdict,
    direction,
    method: METHODS.errors,
    pValue: finiteOrNull(t.pValue),
    estimate: t.difference,
    ci: t.ci,
    ratio: finiteOrNull(t.ratio),
    baselineN: baseline.total,
    canaryN: canary.total,
    critical,
    margin: relativeLimit,
    relativeCi,
    level,
    reason: `${name}: ${what} (${diff}${ratio}); ${outcome}`,
  };
}
