/**
 * The judge: per-metric verdicts against the margin combined into one Kayenta-compatible overall verdict with
 * Kayenta's `mustHaveData` semantics (docs/statistics.md "Overall verdict"). With weights w (default 1):
 *
 *  score    = Σw(pass) / Σw(metrics with data) × 100 — undecided (inconclusive) metrics count as not passing;
 *             metrics without data are left out (0 when no metric has data).
 *  verdict  = fail          if a critical metric fails;
 *             fail          if the metrics with data score below marginalScore even counting their undecided ones
 *                           as passes — an unambiguous failure, whatever the metrics without data would show;
 *             inconclusive  if metrics without data carry ≥ 50 % of the weight;
 *             inconclusive  if a critical metric has no data or is undecided (no data is never a pass);
 *             pass          if score ≥ passScore (95);
 *             marginal      if the score is in [marginalScore, passScore) whatever the undecided metrics turn into;
 *             inconclusive  otherwise (the undecided metrics could still move it across a threshold).
 *
 * judge() never throws: anything it cannot judge becomes a nodata metric with a reason. The caller parses the
 * input with the zod JudgeInput schema first (bad input → exit code 2); the parsed type is accepted as is.
 */
import {
  DEFAULT_MARGINAL_SCORE,
  DEFAULT_PASS_SCORE,
  type JudgeInput,
  type JudgeInputParsed,
  type JudgeMetricInput,
  type JudgeOutput,
  type MetricVerdict,
} from '../domain/verdict';
import {
  DEFAULT_CONFIDENCE,
  judgeErrors,
  judgeHistogram,
  judgeLatency,
  judgeQuantile,
  nodataVerdict,
} from './metric-verdicts';

export { DEFAULT_MARGINAL_SCORE, DEFAULT_PASS_SCORE };
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

const KINDS = ['latency', 'errors', 'quantile', 'histogram'] as const;

function finite(m: MetricVerdict): boolean {
  const numbers = [
    m.pValue,
    m.estimate,
    m.ratio,
    m.margin,
    ...(m.ci ?? []),
    ...(m.relativeCi ?? []),
    m.baselineN,
    m.canaryN,
  ];
  return numbers.every((x) => x === null || Number.isFinite(x));
}

/** One metric's verdict; anything unexpected (a bug or a malformed metric) becomes nodata instead of an exception. */
export function judgeMetric(metric: JudgeMetricInput, confidence: number, index = 0): MetricVerdict {
  const name = metricName(metric, index);
  const critical = (metric as { critical?: unknown } | null)?.critical === true;
  const kind = KINDS.find((k) => k === metric?.kind) ?? 'latency';
  // The last line of defence: a verdict resting on a non-finite number (overflow, subnormal scales) is no verdict.
  const verdict = judgeKind(metric, confidence, name, critical, kind);
  return finite(verdict)
    ? verdict
    : nodataVerdict(
        name,
        kind,
        critical,
        `${name}: no data: could not be judged (a result overflowed)`,
        Number.isFinite(verdict.baselineN) ? verdict.baselineN : 0,
        Number.isFinite(verdict.canaryN) ? verdict.canaryN : 0,
      );
}

function judgeKind(
  metric: JudgeMetricInput,
  confidence: number,
  name: string,
  critical: boolean,
  kind: MetricVerdict['kind'],
): MetricVerdict {
  try {
    switch (metric?.kind) {
      case 'latency':
        return judgeLatency(metric, confidence);
      case 'errors':
        return judgeErrors(metric, confidence);
      case 'quantile':
        return judgeQuantile(metric, confidence);
      case 'histogram':
        return judgeHistogram(metric, confidence);
      default:
        return nodataVerdict(name, 'latency', critical, `${name}: no data: unknown metric kind`);
    }
  } catch (error) {
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

function formatScore(score: number): string {
  return Number.isInteger(score) ? String(score) : score.toFixed(1);
}

interface Tally {
  pass: number;
  fail: number;
  undecided: number;
  nodata: number;
}

export function judge(input: JudgeInput | JudgeInputParsed): JudgeOutput {
  const confidence = usable(input?.confidence, 0.5, 1) ? input.confidence : DEFAULT_CONFIDENCE;
  const passScore = usable(input?.passScore, -Infinity, Infinity) ? input.passScore : DEFAULT_PASS_SCORE;
  const marginalScore = usable(input?.marginalScore, -Infinity, Infinity)
    ? input.marginalScore
    : DEFAULT_MARGINAL_SCORE;
  const inputs: JudgeMetricInput[] = Array.isArray(input?.metrics) ? input.metrics : [];
  if (inputs.length === 0) return { verdict: 'inconclusive', score: 0, metrics: [], reason: 'no metrics to judge' };

  const metrics = inputs.map((m, i) => judgeMetric(m, confidence, i));
  // Scale weights by the largest so that absurd weights (1e306) cannot overflow the sums.
  const rawWeights = inputs.map(weightOf);
  const largest = Math.max(...rawWeights);
  const w: Tally = { pass: 0, fail: 0, undecided: 0, nodata: 0 };
  metrics.forEach((m, i) => {
    const share = rawWeights[i] / largest;
    if (m.verdict === 'pass') w.pass += share;
    else if (m.verdict === 'fail') w.fail += share;
    else if (m.verdict === 'inconclusive') w.undecided += share;
    else w.nodata += share;
  });
  const withData = w.pass + w.fail + w.undecided;
  const score = withData > 0 ? (100 * w.pass) / withData : 0;
  const bestCase = withData > 0 ? (100 * (w.pass + w.undecided)) / withData : 0;
  const named = (pick: (m: MetricVerdict) => boolean): string[] => metrics.filter(pick).map((m) => m.name);
  const failing = named((m) => m.verdict === 'fail');
  const undecided = named((m) => m.verdict === 'inconclusive');
  const nodata = named((m) => m.verdict === 'nodata');
  const total = metrics.length;
  const tally = [
    `${total - failing.length - undecided.length - nodata.length} of ${total} pass`,
    failing.length ? `${failing.length} fail (${list(failing)})` : '',
    undecided.length ? `${undecided.length} not yet decided (${list(undecided)})` : '',
    nodata.length ? `${nodata.length} without data (${list(nodata)})` : '',
  ]
    .filter(Boolean)
    .join(', ');
  const criticalFailing = named((m) => m.critical && m.verdict === 'fail');
  const criticalNodata = named((m) => m.critical && m.verdict === 'nodata');
  const criticalUndecided = named((m) => m.critical && m.verdict === 'inconclusive');
  const s = formatScore(score);

  const result = (verdict: OverallVerdict, reason: string): JudgeOutput => ({ verdict, score, metrics, reason });
  if (criticalFailing.length > 0)
    return result(
      'fail',
      `critical metric${criticalFailing.length > 1 ? 's' : ''} failed: ${list(criticalFailing)} (${tally})`,
    );
  if (withData > 0 && failing.length > 0 && bestCase < marginalScore) {
    const unambiguous = [
      undecided.length ? `at most ${formatScore(bestCase)} even if the undecided metrics pass` : '',
      nodata.length ? 'whatever the metrics without data show' : '',
    ]
      .filter(Boolean)
      .join(', ');
    return result('fail', `score ${s} < ${marginalScore}${unambiguous ? ` (${unambiguous})` : ''} (${tally})`);
  }
  if (w.nodata / (withData + w.nodata) >= NODATA_INCONCLUSIVE_SHARE)
    return result(
      'inconclusive',
      `too little data: ${nodata.length} of ${total} metrics have no data (${list(nodata)})`,
    );
  if (criticalNodata.length > 0)
    return result(
      'inconclusive',
      `critical metric${criticalNodata.length > 1 ? 's' : ''} without data: ${list(criticalNodata)} — no data is never a pass (${tally})`,
    );
  if (criticalUndecided.length > 0)
    return result(
      'inconclusive',
      `critical metric${criticalUndecided.length > 1 ? 's' : ''} not yet decided: ${list(criticalUndecided)} — keep baking (${tally})`,
    );
  if (score >= passScore) return result('pass', `score ${s} ≥ ${passScore} (${tally})`);
  if (score >= marginalScore && bestCase < passScore)
    return result('marginal', `score ${s} is below ${passScore} but at least ${marginalScore} (${tally})`);
  return result('inconclusive', `score ${s} could still move to ${formatScore(bestCase)}: not yet decided (${tally})`);
}
