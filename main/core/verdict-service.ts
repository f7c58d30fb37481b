import type { LiveGuard } from '../../shared/domain/decision';
import type { FlagChange } from '../../shared/domain/flags';
import { watchStepMs, type Arm, type MetricSpec, type Watch } from '../../shared/domain/metrics';
import type {
  BaselineKind,
  JudgeMetricInput,
  JudgeOutput,
  VerdictExtras,
  WatchVerdict,
} from '../../shared/domain/verdict';
import { RampartError, type PartialFailure } from '../../shared/errors';
import type { SeriesPoint } from '../../shared/stats';
import { armLabel, type ArmMapping, type ArmResolver } from './decision-arms';
import { createJudgeInputs, type ArmWindow, type InputDeps } from './decision-inputs';
import {
  bakeTimeForJudge,
  type BakeTimeInput,
  type BakeTimeOutput,
  guardStep,
  runJudge,
  srmOnRequests,
  srmOnUnits,
  type SequentialMetric,
} from './decision-judge';
import { judgeWindows, type JudgeWindows } from './decision-windows';
import type { SeriesService } from './series-service';
import { bakeExtras, onsetAndSuspects, srmExtras } from './verdict-extras';

const DAY = 86_400_000;
/** A step (t − step, t] is judged once its samples have arrived: this long after t (≤ one step). */
const SETTLE_MS = 30_000;

/** End of the newest step whose data is complete at `at`, on the watch's step grid. */
export function newestCompleteStep(at: number, stepMs: number): number {
  return Math.floor((at - Math.min(stepMs, SETTLE_MS)) / stepMs) * stepMs;
}

/** The live half a caller adds to a verdict: the always-valid intervals and the guard (decision-service.ts). */
export type LiveHook = (x: {
  metrics: JudgeMetricInput[];
  out: JudgeOutput;
  windows: JudgeWindows;
  step: number;
  kind: BaselineKind;
}) => {
  sequential: SequentialMetric[];
  guard: LiveGuard;
};

export interface Computed {
  verdict: WatchVerdict;
  windows: JudgeWindows;
  step: number;
  mapping: ArmMapping;
  /** Arms that had data in the canary window, for choosing the concurrent control (both needed). */
  armsWithData: Set<Arm>;
  /** What the provider failed to answer ("p99: Prometheus: unreachable …"); empty when every query was answered. */
  errors: PartialFailure[];
}

/**
 * Builds the judge's input for a watch — windows (decision-windows.ts), arms (decision-arms.ts), samples
 * (decision-inputs.ts) — runs it, and returns a verdict that says what it compared: the baseline kind and windows
 * with their real times, the queries, and per metric the method (merged buckets, or the per-step fallback).
 */
export function createVerdictService(
  deps: InputDeps & {
    series: SeriesService;
    /** This flag's changes in this environment up to `before`, as far back as known. */
    history: (watch: Watch, before: number) => Promise<FlagChange[]>;
    arms: ArmResolver;
    /** Every recorded flag change in a window, from every connection: the suspects of an onset. */
    changesBetween: (from: number, to: number) => FlagChange[];
    now: () => number;
    /** Where the judge runs: the core's judge worker (issue 15: off the main thread); in-thread when not given. */
    judge?: (input: unknown) => Promise<JudgeOutput>;
    /** Where the bake-time power search runs (tens of ms on merged buckets): the judge worker too; in-thread when not given. */
    bake?: (input: BakeTimeInput) => Promise<BakeTimeOutput>;
  },
) {
  const judgeOf = deps.judge ?? (async (input: unknown) => runJudge(input));
  const bakeOf = deps.bake ?? (async (input: BakeTimeInput) => bakeTimeForJudge(input));
  const inputs = createJudgeInputs(deps);

  /** Try the arm first; the whole population when the variant label carries nothing for it. */
  async function armOrPopulation<T extends { seen: Set<Arm> }>(
    arm: Arm,
    fetch: (w: ArmWindow['arm']) => Promise<T>,
  ): Promise<T & { arm: Arm | null }> {
    const got = await fetch(arm);
    if (got.seen.has(arm)) return { ...got, arm };
    return { ...(await fetch(null)), arm: null };
  }

  async function metricsFor(watch: Watch, w: JudgeWindows, mapping: ArmMapping) {
    const control = w.baseline.kind === 'control';
    const metrics: JudgeMetricInput[] = [];
    const queries: Record<string, string> = {};
    const errors: PartialFailure[] = [];
    const notes: string[] = [];
    const sources: Record<string, string> = {};
    const seen = new Set<Arm>();
    const sides: string[] = [];
    const rate = watch.metrics.find((m) => m.kind === 'rate');
    const fetchMetric = async (spec: MetricSpec, canaryArm: Arm | null, baselineArm: Arm | null) => {
      const canary = { from: w.canary.from, to: w.canary.to, arm: canaryArm };
      const baseline = { from: w.baseline.from, to: w.baseline.to, arm: baselineArm };
      return spec.kind === 'latency'
        ? inputs.latency(watch, spec, canary, baseline, mapping)
        : inputs.errorCounts(watch, spec, rate, canary, baseline, mapping);
    };
    for (const spec of watch.metrics) {
      if (spec.kind === 'rate') continue;
      const got = control
        ? { ...(await fetchMetric(spec, 'treatment', 'control')), arm: 'treatment' as const }
        : await armOrPopulation('treatment', (arm) => fetchMetric(spec, arm, null));
      if (!control && got.arm === null) sides.push(spec.name);
      metrics.push(got.input);
      Object.assign(queries, got.queries);
      errors.push(...got.errors);
      notes.push(...got.notes);
      got.seen.forEach((a) => seen.add(a));
      if ('source' in got) sources[spec.name] = got.source;
    }
    if (metrics.length === 0)
      throw new RampartError('bad_request', `Watch for '${watch.flagKey}' has no latency or error metrics to judge`);
    return { metrics, queries, errors, notes, sources, seen, populationCanary: sides };
  }

  /**
   * Onset of the critical latency metric over the whole population: in control before the current step's change
   * (a reference as long as the canary, at least an hour), watched from there to now — the same stretch whatever
   * baseline the verdict uses, so a far pre-rollout window's time of day is not taken for a shift.
   */
  async function onsetSeries(watch: Watch, w: JudgeWindows, step: number) {
    const latency =
      watch.metrics.find((m) => m.kind === 'latency' && m.critical) ?? watch.metrics.find((m) => m.kind === 'latency');
    if (!latency) return null;
    const stepMs = watchStepMs(watch);
    const referenceTo = w.change ? Math.floor(w.change.at / stepMs) * stepMs : w.canary.from;
    const from = referenceTo - Math.max(w.canary.to - w.canary.from, 60 * stepMs);
    const query = deps.render(watch, latency, false);
    const got = await deps.series.fetchCached(watch, query, from, step, stepMs);
    const s = got.series[0];
    if (!s) return null;
    // The same stretch one day earlier, moved onto this one: a time-of-day swing is no onset (docs/statistics.md).
    const day = await deps.series.fetchCached(watch, query, from - DAY, step - DAY, stepMs).catch(() => null);
    const d = day?.series[0];
    const seasonal = d
      ? Array.from(d.t, (t, i) => [t + DAY, Number.isFinite(d.v[i]) ? d.v[i] : null] as SeriesPoint)
      : null;
    return {
      metric: latency.name,
      points: Array.from(s.t, (t, i) => [t, Number.isFinite(s.v[i]) ? s.v[i] : null] as SeriesPoint),
      referenceTo,
      seasonal,
    };
  }

  /** The sample-ratio check over the current step: exposed units when the watch has them, else requests. */
  async function srm(watch: Watch, w: JudgeWindows, mapping: ArmMapping): Promise<VerdictExtras['srm']> {
    const split: [number, number] = [w.exposure, 100 - w.exposure];
    // Named by the flag's own variant names (the first value of each arm), as the Cohorts view shows them.
    const names: [string, string] = [mapping.treatment[0] ?? 'treatment', mapping.control[0] ?? 'control'];
    const arm = (a: Arm): ArmWindow => ({ from: w.canary.from, to: w.canary.to, arm: a });
    if (watch.units) {
      const t = await inputs.instant(watch, 'units', watch.units.query, arm('treatment'), mapping);
      const c = await inputs.instant(watch, 'units', watch.units.query, arm('control'), mapping);
      if (!t.error && !c.error) {
        const units: [number, number] = [Math.round(inputs.sum(t.value)), Math.round(inputs.sum(c.value))];
        return srmExtras(srmOnUnits({ units, split }), names, units, split);
      }
    }
    const rate = watch.metrics.find((m) => m.kind === 'rate');
    if (!rate) return null;
    const t = await inputs.perStep(watch, rate, arm('treatment'), mapping);
    const c = await inputs.perStep(watch, rate, arm('control'), mapping);
    const stepSec = watchStepMs(watch) / 1000;
    const perStep: [number, number][] = t.value.map((x, i) => [
      Math.round((x ?? 0) * stepSec),
      Math.round((c.value[i] ?? 0) * stepSec),
    ]);
    const totals: [number, number] = [perStep.reduce((a, p) => a + p[0], 0), perStep.reduce((a, p) => a + p[1], 0)];
    return srmExtras(srmOnRequests({ perStep, split }), names, totals, split);
  }

  async function bake(watch: Watch, metrics: JudgeMetricInput[], w: JudgeWindows): Promise<VerdictExtras['bakeTime']> {
    const critical =
      watch.metrics.find((m) => m.kind === 'latency' && m.critical) ?? watch.metrics.find((m) => m.kind === 'latency');
    const m = metrics.find((x) => x.name === critical?.name);
    if (!m || (m.kind !== 'latency' && m.kind !== 'histogram')) return null;
    const stepMs = watchStepMs(watch);
    const steps = Math.max(1, Math.round((w.canary.to - w.canary.from) / stepMs));
    const errors = metrics.find((x) => x.kind === 'errors');
    const requests =
      m.kind === 'histogram'
        ? {
            treatment: m.canary.reduce((a, b) => a + b, 0) / steps,
            control:
              m.baseline.reduce((a, b) => a + b, 0) /
              Math.max(1, Math.round((w.baseline.to - w.baseline.from) / stepMs)),
          }
        : errors && errors.kind === 'errors'
          ? { treatment: errors.canary.total / steps, control: errors.baseline.total / steps }
          : { treatment: 0, control: 0 };
    const b = await bakeOf({
      kind: m.kind,
      confidence: watch.thresholds.confidence,
      margin: watch.thresholds.allowedIncrease - 1,
      stepMs,
      stepsSoFar: w.ready ? steps : 0,
      perStepRequests: requests,
      quantile: m.kind === 'histogram' ? m.quantile : undefined,
      baseline: m.kind === 'histogram' ? { bounds: m.bounds, counts: m.baseline } : m.baseline,
    });
    return bakeExtras(m.name, b);
  }

  /** A stateless look (one always-valid look, a guard that has seen one step): for a past `at` or a bare compute. */
  const singleLook =
    (confidence: number): LiveHook =>
    ({ metrics, out, windows, step, kind }) => {
      const g = guardStep(null, {
        windowKey: `${kind}|${windows.change?.id ?? 'none'}`,
        step,
        metrics,
        verdicts: out.metrics,
        confidence,
      });
      return { sequential: g.sequential, guard: g.guard };
    };

  /** The windows alone (no data fetched): what the decision checks before choosing a baseline. */
  async function windowsAt(watch: Watch, kind: BaselineKind, step: number, now?: number): Promise<JudgeWindows> {
    const horizon = Math.max(step, now ?? step);
    return judgeWindows({
      kind,
      changes: await deps.history(watch, horizon),
      at: step,
      now: horizon,
      stepMs: watchStepMs(watch),
    });
  }

  /** `step`: judge exactly this data step (the decision's); else the newest complete one at `at` (default now). */
  async function evaluate(
    watch: Watch,
    kind: BaselineKind,
    opts: { at?: number; step?: number; now?: number; live?: LiveHook } = {},
  ): Promise<Computed> {
    const stepMs = watchStepMs(watch);
    const step = opts.step ?? newestCompleteStep(opts.at ?? deps.now(), stepMs);
    // Changes up to the moment of the look (not just the data's end): a ramp a moment ago opens a new step.
    const horizon = Math.max(step, opts.now ?? opts.at ?? step);
    const changes = await deps.history(watch, horizon);
    const mapping = await deps.arms(watch);
    let w = judgeWindows({ kind, changes, at: step, now: horizon, stepMs });
    let m = await metricsFor(watch, w, mapping);
    if (kind === 'seasonal' && m.metrics.every((x) => noBaseline(x))) {
      // No data a week back (a young service, or the demo's single day): one day back instead.
      w = judgeWindows({ kind, changes, at: step, now: horizon, stepMs, seasonalMs: DAY });
      m = await metricsFor(watch, w, mapping);
    }
    const out = await judgeOf({
      confidence: watch.thresholds.confidence,
      passScore: watch.thresholds.passScore,
      marginalScore: watch.thresholds.marginalScore,
      metrics: m.metrics,
    });
    const metrics = out.metrics.map((r) =>
      m.sources[r.name]?.startsWith('per-step') ? { ...r, method: `${r.method} — ${m.sources[r.name]}` } : r,
    );
    const live = (opts.live ?? singleLook(watch.thresholds.confidence))({
      metrics: m.metrics,
      out,
      windows: w,
      step,
      kind,
    });
    const sequential = live.sequential.map((s) => ({
      metric: s.metric,
      ci: s.ci,
      pValue: s.pValue,
      fails: s.fails,
      relativeCi: s.relativeCi,
      passes: s.passes,
      level: s.level,
    }));
    const extras: VerdictExtras = {
      sequential,
      guard: {
        act: live.guard.act,
        reason: live.guard.reason,
        consecutiveFixedFails: live.guard.sustainedSteps,
        sustain: live.guard.sustain,
      },
      ...onsetAndSuspects({
        series: await onsetSeries(watch, w, step),
        changes: deps.changesBetween(w.baseline.from - 3_600_000, step),
        stepMs,
        allowedIncrease: watch.thresholds.allowedIncrease,
      }),
      bakeTime: await bake(watch, m.metrics, w),
      srm: await srm(watch, w, mapping),
    };
    const population =
      m.populationCanary.length > 0
        ? `canary is the whole population for ${m.populationCanary.join(', ')} (no treatment-labelled data)`
        : null;
    const reason =
      [w.ready ? null : w.reason, out.reason, population, ...new Set([...m.errors.map((e) => e.message), ...m.notes])]
        .filter(Boolean)
        .join(' · ') || undefined;
    const armsLine =
      w.baseline.kind === 'control'
        ? ` — treatment ${armLabel(mapping, 'treatment')} vs control ${armLabel(mapping, 'control')} (${mapping.source})`
        : '';
    const verdict: WatchVerdict = {
      ...out,
      metrics,
      reason,
      watchId: watch.id,
      baseline: {
        kind: w.baseline.kind,
        from: w.baseline.from,
        to: w.baseline.to,
        label: `${w.baseline.label}${armsLine}`,
      },
      canary: { from: w.canary.from, to: w.canary.to, label: w.canary.label },
      changeId: w.change?.id ?? null,
      queries: m.queries,
      computedAt: deps.now(),
      extras,
    };
    return {
      verdict,
      windows: w,
      step,
      mapping,
      armsWithData: m.seen,
      errors: m.errors.filter((e, i) => m.errors.findIndex((o) => o.message === e.message) === i),
    };
  }

  /** `verdict:get` for any baseline the user picks (a single always-valid look; the decision owns the guard). */
  async function compute(watch: Watch, kind: BaselineKind, at?: number, live?: LiveHook): Promise<WatchVerdict> {
    return (await evaluate(watch, kind, { at, live })).verdict;
  }

  return { evaluate, compute, windowsAt };
}

function noBaseline(x: JudgeMetricInput): boolean {
  if (x.kind === 'errors') return x.baseline.total === 0;
  if (x.kind === 'histogram') return x.baseline.every((c) => c === 0);
  return x.baseline.every((v) => v === null);
}

export type VerdictService = ReturnType<typeof createVerdictService>;
