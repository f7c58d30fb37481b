/**
 * The judge: per-metric verdicts combined into one Kayenta-compatible overall verdict.
 *
 *  score = Σ weight(pass) / Σ weight(pass or fail) × 100 — metrics without data are left out of the score, as in
 *          Kayenta's weighted-sum scorer (0 when no metric has data);
 *  verdict = fail         if any critical metric fails,
 *            inconclusive if metrics without data carry ≥ 50% of the weight,
 *            pass         if score ≥ passScore (95),
 *            marginal     if score ≥ marginalScore (75),
 *            fail         otherwise.
 *
 * judge() never throws: anything it cannot judge becomes a nodata metric with a reason. The caller parses the
 * input with the zod JudgeInput schema first (bad input → exit code 2); the parsed type is accepted as is.
 */
import type { JudgeInput, JudgeMetricInput, JudgeOutput, MetricVerdict } from '../domain/verdict';
import { DEFAULT_CONFIDENCE, judgeErrors, judgeLatency, judgeQuantile, nodataVerdict } from './metric-verdicts';

export const DEFAULT_PASS_SCORE = 95;
export const DEFAULT_MARGINAL_SCORE = 75;
export const NODATA_INCONCLUSIVE_SHARE = 0.5;

export type OverallVerdict = JudgeOutput['verdict'];

/** Exit code of `rampart judge` for a verdict: pass 0, fail 1, marginal or inconclusive 3 (bad input is 2). */
export function exitCodeFor(verdict: OverallVerdict): 0 | 1 | 3 {
  return verdict === 'pass' ? 0 : verdict === 'fail' ? 1 : 3;
}

/** Orders verdicts from worst to best, for "never better" comparisons: fail < inconclusive < marginal < pass. */
export function verdictRank(verdict: OverallVerdict): number {
  return { fail: 0, inconclusive: 1, marginal: 2, pass: 3 }[verdict];
}

function usable(x: unknown, lo: number, hi: number): x is number {
  return typeof x === 'number' && Number.isFinite(x) && x > lo && x < hi;
}

function metricName(metric: unknown, index: number): string {
  const name = (metric as { name?: unknown } | null)?.name;
  return typeof name === 'string' && name.length > 0 ? name : `metric ${index + 1}`;
}

/** One metric's verdict; anything unexpected (a bug or a malformed metric) becomes nodata instead of an exception. */
export function judgeMetric(metric: JudgeMetricInput, confidence: number, index = 0): MetricVerdict {
  const name = metricName(metric, index);
  const critical = (metric as { critical?: unknown } | null)?.critical === true;
  try {
    switch (metric?.kind) {
      case 'latency':
        return judgeLatency(metric, confidence);
      case 'errors':
        return judgeErrors(metric, confidence);
      case 'quantile':
        return judgeQuantile(metric);
      default:
        return nodataVerdict(name, 'latency', critical, `${name}: no data: unknown metric kind`);
    }
  } catch (error) {
    const kind = metric?.kind === 'errors' || metric?.kind === 'quantile' ? metric.kind : 'latency';
    const message = error instanceof Error ? error.message : String(error);
    return nodataVerdict(name, kind, critical, `${name}: no data: could not be judged (${message})`);
  }
}

function weightOf(metric: unknown): number {
  const w = (metric as { weight?: unknown } | null)?.weight;
  return typeof w === 'number' && Number.isFinite(w) && w > 0 ? w : 1;
}

function list(names: string[]): string {
  return names.length <= 5 ? names.join(', ') : `${names.slice(0, 5).join(', ')} and ${names.length - 5} more`;
}

export function judge(input: JudgeInput): JudgeOutput {
  const confidence = usable(input?.confidence, 0.5, 1) ? input.confidence : DEFAULT_CONFIDENCE;
  const passScore = usable(input?.passScore, -Infinity, Infinity) ? input.passScore : DEFAULT_PASS_SCORE;
  const marginalScore = usable(input?.marginalScore, -Infinity, Infinity) ? input.marginalScore : DEFAULT_MARGINAL_SCORE;
  const inputs: JudgeMetricInput[] = Array.isArray(input?.metrics) ? input.metrics : [];
  if (inputs.length === 0) return { verdict: 'inconclusive', score: 0, metrics: [], reason: 'no metrics to judge' };

  const metrics = inputs.map((m, i) => judgeMetric(m, confidence, i));
  let passWeight = 0;
  let failWeight = 0;
  let nodataWeight = 0;
  // Scale weights by the largest so that absurd weights (1e306) cannot overflow the sums.
  const rawWeights = inputs.map(weightOf);
  const largest = Math.max(...rawWeights);
  metrics.forEach((m, i) => {
    const w = rawWeights[i] / largest;
    if (m.verdict === 'pass') passWeight += w;
    else if (m.verdict === 'fail') failWeight += w;
    else nodataWeight += w;
  });
  const judged = passWeight + failWeight;
  const score = judged > 0 ? (100 * passWeight) / judged : 0;
  const failing = metrics.filter((m) => m.verdict === 'fail');
  const criticalFailing = failing.filter((m) => m.critical);
  const nodata = metrics.filter((m) => m.verdict === 'nodata');
  const total = metrics.length;
  const tally = `${total - failing.length - nodata.length} of ${total} pass${failing.length ? `, ${failing.length} fail` : ''}${nodata.length ? `, ${nodata.length} without data` : ''}`;

  let verdict: OverallVerdict;
  let reason: string;
  if (criticalFailing.length > 0) {
    verdict = 'fail';
    reason = `critical metric${criticalFailing.length > 1 ? 's' : ''} failed: ${list(criticalFailing.map((m) => m.name))} (${tally})`;
  } else if (nodataWeight / (judged + nodataWeight) >= NODATA_INCONCLUSIVE_SHARE) {
    verdict = 'inconclusive';
    reason = `too little data: ${nodata.length} of ${total} metrics have no data (${list(nodata.map((m) => m.name))})`;
  } else if (score >= passScore) {
    verdict = 'pass';
    reason = `score ${formatScore(score)} ≥ ${passScore} (${tally})`;
  } else if (score >= marginalScore) {
    verdict = 'marginal';
    reason = `score ${formatScore(score)} is below ${passScore} but at least ${marginalScore} (${tally}; failing: ${list(failing.map((m) => m.name))})`;
  } else {
    verdict = 'fail';
    reason = `score ${formatScore(score)} < ${marginalScore} (${tally}; failing: ${list(failing.map((m) => m.name))})`;
  }
  return { verdict, score, metrics, reason };
}

function formatScore(score: number): string {
  return Number.isInteger(score) ? String(score) : score.toFixed(1);
}
