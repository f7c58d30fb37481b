/**
 * The live guard (docs/statistics.md "Watching live without inflating false alarms"), pure and JSON-serializable:
 * the core keeps one GuardState per watch (in SQLite), so any number of viewers, refreshes, the ramp guard and a
 * restart all see the same state and none of them can make it faster.
 *
 *  - It advances on NEW data steps only: `x.step <= prev.lastStep` (the same data seen again) returns the previous
 *    guard unchanged; a different `windowKey` (a new rollout step or change) starts afresh.
 *  - It acts when, for any metric, the always-valid interval (mixture SPRT, guard-observations.ts) lies entirely
 *    beyond the MARGIN on the bad side, or when the metric's fixed-horizon verdict is `fail` on `sustain`
 *    (default 3) consecutive new data steps that together brought at least the judge's own sample floor of NEW
 *    canary data (confirmationFloor). The windows are cumulative, so consecutive verdicts overlap almost entirely:
 *    three looks at nearly the same few errors are one chance, not three, and a plan holding for hours would get
 *    hundreds of such chances (docs/statistics.md "Watching live"). Once it has acted it stays acted for the
 *    window (a rollback is not undone by a later, luckier interval).
 */
import type { LiveGuard } from '../domain/decision';
import type { JudgeMetricInput, MetricVerdict } from '../domain/verdict';
import { errorsFloor } from './errors-verdict';
import { guardObservation, type LatencyScale } from './guard-observations';
import { QUANTILE_FLOOR_CONFIDENCE } from './quantile-compare';
import { quantileCiMinN } from './quantile-ci';
import { ERROR_ABSOLUTE_LIMIT } from './verdict-common';
import { alwaysValidLevel, formatRelativeInterval } from './margin';
import { DEFAULT_SUSTAIN, mixtureLook, type MixtureState } from './sequential';

export interface SequentialMetric {
  metric: string;
  /** Always-valid interval of Δ on its own scale (log ratio for latency and quantiles, rate difference for errors). */
  ci: [number, number] | null;
  /** The same interval as a relative change vs the baseline: what is compared with the margin. */
  relativeCi: [number, number] | null;
  /** Always-valid p-value against "no difference". */
  pValue: number | null;
  /** Entirely beyond the margin on the bad side. */
  fails: boolean;
  /** Entirely on the good side of the margin. */
  passes: boolean;
  level: string;
}

interface MetricState {
  mixture: MixtureState | null;
  scale: LatencyScale | null;
  /** Consecutive new data steps whose fixed-horizon verdict was fail. */
  failStreak: number;
  /** The canary's sample size (requests, or steps for per-step values) at the streak's first fail. */
  streakFromN?: number | null;
}

export interface GuardState {
  version: 1;
  windowKey: string;
  /** The newest data step counted (epoch ms or any increasing step id). */
  lastStep: number | null;
  /** New data steps counted in this window. */
  steps: number;
  metrics: Record<string, MetricState>;
  acted: { trigger: 'always-valid' | 'sustained'; reason: string; step: number } | null;
  guard: LiveGuard;
  sequential: SequentialMetric[];
}

export interface GuardStepInput {
  windowKey: string;
  step: number;
  metrics: JudgeMetricInput[];
  verdicts: MetricVerdict[];
  confidence: number;
  sustain?: number;
}

export interface GuardStepOutput {
  state: GuardState;
  guard: LiveGuard;
  sequential: SequentialMetric[];
}

function sustainOf(x: number | undefined): number {
  return typeof x === 'number' && Number.isFinite(x) && x >= 1 ? Math.floor(x) : DEFAULT_SUSTAIN;
}

/**
 * New canary data a sustained fail must span: the judge's own floor for the metric — requests for 5 expected errors
 * (errorsFloor), the order statistics a quantile's interval needs (quantileCiMinN) — so the confirmation rests on
 * data the first fail had not seen. Per-step values count steps: the streak itself is their new data.
 */
export function confirmationFloor(metric: JudgeMetricInput): number {
  switch (metric.kind) {
    case 'errors': {
      const abs =
        typeof metric.absoluteLimit === 'number' && metric.absoluteLimit >= 0
          ? metric.absoluteLimit
          : ERROR_ABSOLUTE_LIMIT;
      return errorsFloor(Math.max(0, metric.baseline.errors), Math.max(0, metric.baseline.total), abs);
    }
    case 'quantile':
    case 'histogram':
      return quantileCiMinN(metric.quantile, QUANTILE_FLOOR_CONFIDENCE);
    default:
      return 0;
  }
}

function metricLook(
  metric: JudgeMetricInput,
  previous: MetricState | undefined,
  confidence: number,
): { state: MetricState; sequential: SequentialMetric } {
  const level = alwaysValidLevel(confidence);
  const obs = guardObservation(metric, previous?.scale ?? null);
  const base = {
    mixture: previous?.mixture ?? null,
    scale: previous?.scale ?? null,
    failStreak: previous?.failStreak ?? 0,
  };
  if (!obs)
    return {
      state: base,
      sequential: {
        metric: metric.name,
        ci: null,
        relativeCi: null,
        pValue: base.mixture && base.mixture.looks > 0 ? base.mixture.pValue : null,
        fails: false,
        passes: false,
        level,
      },
    };
  const look = mixtureLook(base.mixture, obs.estimate, obs.variance, confidence);
  const state = { ...base, mixture: look.state, scale: obs.scale ?? base.scale };
  if (!look.ci)
    return {
      state,
      sequential: { metric: metric.name, ci: null, relativeCi: null, pValue: null, fails: false, passes: false, level },
    };
  const relativeCi: [number, number] = [obs.relative(look.ci[0]), obs.relative(look.ci[1])];
  const ok = relativeCi.every(Number.isFinite);
  return {
    state,
    sequential: {
      metric: metric.name,
      ci: look.ci,
      relativeCi: ok ? relativeCi : null,
      pValue: look.state.pValue,
      fails: look.ci[0] > obs.marginOnScale,
      passes: look.ci[1] < obs.marginOnScale,
      level,
    },
  };
}

export function initialGuard(sustain = DEFAULT_SUSTAIN): LiveGuard {
  return { act: false, trigger: null, sustainedSteps: 0, sustain: sustainOf(sustain), reason: 'no data steps yet' };
}

export function guardStep(prev: GuardState | null, x: GuardStepInput): GuardStepOutput {
  const sustain = sustainOf(x.sustain);
  const same = prev !== null && prev.version === 1 && prev.windowKey === x.windowKey;
  if (same && prev.lastStep !== null && !(x.step > prev.lastStep))
    return { state: prev, guard: prev.guard, sequential: prev.sequential };
  const before = same ? prev : null;
  const metrics: Record<string, MetricState> = {};
  const sequential: SequentialMetric[] = [];
  let firstAlwaysValid: string | null = null;
  let longest = { name: '', streak: 0, fresh: 0, floor: 0 };
  let sustained: { name: string; streak: number } | null = null;
  for (const metric of x.metrics) {
    const verdict = x.verdicts.find((v) => v.name === metric.name);
    const look = metricLook(metric, before?.metrics[metric.name], x.confidence);
    const was = before?.metrics[metric.name];
    const failing = verdict?.verdict === 'fail';
    look.state.failStreak = failing ? (was?.failStreak ?? 0) + 1 : 0;
    const n = verdict?.canaryN ?? 0;
    // A state stored before this field existed restarts the data count at this look (stricter, never looser).
    look.state.streakFromN = failing ? (was && was.failStreak > 0 ? (was.streakFromN ?? n) : n) : null;
    const fresh = failing ? n - (look.state.streakFromN ?? n) : 0;
    const floor = failing ? confirmationFloor(metric) : 0;
    const confirmed = failing && fresh >= floor;
    metrics[metric.name] = look.state;
    sequential.push(look.sequential);
    if (look.sequential.fails && firstAlwaysValid === null) {
      const interval = look.sequential.relativeCi ? ` ${formatRelativeInterval(look.sequential.relativeCi)}` : '';
      firstAlwaysValid = `${metric.name}: the always-valid interval${interval} lies entirely above the allowed change`;
    }
    if (look.state.failStreak > longest.streak)
      longest = { name: metric.name, streak: look.state.failStreak, fresh, floor };
    if (!sustained && confirmed && look.state.failStreak >= sustain)
      sustained = { name: metric.name, streak: look.state.failStreak };
  }
  let acted = before?.acted ?? null;
  if (!acted && firstAlwaysValid) acted = { trigger: 'always-valid', reason: firstAlwaysValid, step: x.step };
  else if (!acted && sustained) {
    acted = {
      trigger: 'sustained',
      reason: `${sustained.name}: the fixed-horizon verdict failed on ${sustained.streak} consecutive new data steps (${sustain} needed) over at least its sample floor of new canary data`,
      step: x.step,
    };
  }
  const reason = acted
    ? acted.reason
    : longest.streak > 0
      ? `${longest.name}: fixed-horizon fail on ${longest.streak} of ${sustain} consecutive new data steps needed, over ${longest.fresh} of ${longest.floor} new canary samples; no always-valid interval beyond the margin`
      : 'no always-valid interval beyond the margin and no sustained fixed-horizon fail';
  const guard: LiveGuard = {
    act: acted !== null,
    trigger: acted?.trigger ?? null,
    sustainedSteps: longest.streak,
    sustain,
    reason,
  };
  const state: GuardState = {
    version: 1,
    windowKey: x.windowKey,
    lastStep: x.step,
    steps: (before?.steps ?? 0) + 1,
    metrics,
    acted,
    guard,
    sequential,
  };
  return { state, guard, sequential };
}
