import type { Watch } from '../../shared/domain/metrics';
import type { FlagChange } from '../../shared/domain/flags';
import { JudgeInput, type BaselineKind, type JudgeMetricInput, type WatchVerdict } from '../../shared/domain/verdict';
import { RampartError } from '../../shared/errors';
import { judge } from '../../shared/stats/judge';
import type { SeriesService } from './series-service';
import type { Series } from '../metrics/metrics-provider';
import { createExtras } from './verdict-extras';

/** One sample per step (STATISTICS.md): 60 s is the usual scrape-aligned step for per-minute p99 values. */
export const JUDGE_STEP_MS = 60_000;
const WEEK = 7 * 86_400_000;
const DAY = 86_400_000;

export interface Windows {
  canary: { from: number; to: number };
  baseline: { from: number; to: number };
  change: FlagChange | null;
}

/** Canary from the change + warm-up (1 step) to now; the pre-rollout baseline is as long, ending at change − guard. */
export function preRolloutWindows(change: FlagChange | null, now: number, stepMs = JUDGE_STEP_MS): Windows {
  const start = change ? change.at + stepMs : now - 3_600_000;
  const canary = { from: Math.min(start, now - stepMs), to: now };
  const length = canary.to - canary.from;
  const end = (change ? change.at : canary.from) - stepMs;
  return { canary, baseline: { from: end - length, to: end }, change };
}

function values(series: Series[], pick: (s: Series) => boolean, from: number, to: number): (number | null)[] {
  const s = series.find(pick);
  if (!s) return [];
  const out: (number | null)[] = [];
  for (let i = 0; i < s.t.length; i++) if (s.t[i] >= from && s.t[i] <= to) out.push(Number.isFinite(s.v[i]) ? s.v[i] : null);
  return out;
}

const fmtTime = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ') + 'Z';

/**
 * Builds the judge's input for a watch from its series and windows, runs it, and returns a verdict that says what
 * it compared: the baseline kind and windows, the queries, and per metric the method, numbers and reason.
 */
export function createVerdictService(deps: {
  series: SeriesService;
  render: (watch: Watch, metric: Watch['metrics'][number], byVariant: boolean) => string;
  lastChange: (watch: Watch, before: number) => Promise<FlagChange | null>;
  variants: (watch: Watch) => Promise<{ treatment: string | null; control: string | null; exposure: number | null }>;
  /** Every recorded flag change in a window, from every connection: the suspects of an onset. */
  changesBetween: (from: number, to: number) => FlagChange[];
  now: () => number;
}) {
  const extras = createExtras();
  async function arm(watch: Watch, spec: Watch['metrics'][number], byVariant: boolean, from: number, to: number, variant: string | null) {
    const query = deps.render(watch, spec, byVariant);
    const got = await deps.series.fetchCached(watch, query, from, to, JUDGE_STEP_MS);
    const pick = (s: Series) => (variant === null ? true : s.labels[watch.variantLabel] === variant);
    return { query, values: values(got.series, pick, from, to), error: got.error };
  }

  async function compute(watch: Watch, baseline: BaselineKind, at?: number): Promise<WatchVerdict> {
    const now = at ?? deps.now();
    const change = await deps.lastChange(watch, now);
    let w = preRolloutWindows(change, now);
    let arms = { baseline: null as string | null, canary: null as string | null };
    let label = `pre-rollout: ${fmtTime(w.baseline.from)} – ${fmtTime(w.baseline.to)}`;
    if (baseline === 'control') {
      const v = await deps.variants(watch);
      if (!v.treatment || !v.control) throw new RampartError('bad_request', `Flag '${watch.flagKey}' has no treatment/control variants to compare`);
      w = { ...w, baseline: { ...w.canary } };
      arms = { baseline: v.control, canary: v.treatment };
      label = `concurrent control: variant '${v.control}' vs '${v.treatment}', same window`;
    } else if (baseline === 'seasonal') {
      w = { ...w, baseline: { from: w.canary.from - WEEK, to: w.canary.to - WEEK } };
      label = `seasonal: same window one week earlier (${fmtTime(w.baseline.from)})`;
    }
    const byVariant = baseline === 'control';

    const metrics: JudgeMetricInput[] = [];
    const queries: Record<string, string> = {};
    const errors: string[] = [];
    const rate = watch.metrics.find((m) => m.kind === 'rate');
    for (const spec of watch.metrics) {
      if (spec.kind === 'latency') {
        let b = await arm(watch, spec, byVariant, w.baseline.from, w.baseline.to, arms.baseline);
        if (baseline === 'seasonal' && b.values.every((x) => x === null)) {
          // No data a week back (a young service, or the demo's single day): fall back to one day back.
          w = { ...w, baseline: { from: w.canary.from - DAY, to: w.canary.to - DAY } };
          label = `seasonal: same window one day earlier (${fmtTime(w.baseline.from)})`;
          b = await arm(watch, spec, byVariant, w.baseline.from, w.baseline.to, arms.baseline);
        }
        const c = await arm(watch, spec, byVariant, w.canary.from, w.canary.to, arms.canary);
        queries[spec.name] = b.query;
        for (const e of [b.error, c.error]) if (e) errors.push(`${spec.name}: ${e}`);
        metrics.push({ name: spec.name, kind: 'latency', critical: spec.critical, allowedIncrease: watch.thresholds.allowedIncrease, baseline: b.values, canary: c.values });
      } else if (spec.kind === 'errors' && rate) {
        // Counts from the ratio and the rate per step: Σ ratio·rate·step errors over Σ rate·step requests.
        const counts = async (win: { from: number; to: number }, variant: string | null) => {
          const r = await arm(watch, spec, byVariant, win.from, win.to, variant);
          const q = await arm(watch, rate, byVariant, win.from, win.to, variant);
          queries[spec.name] = r.query;
          queries[rate.name] = q.query;
          for (const e of [r.error, q.error]) if (e) errors.push(`${spec.name}: ${e}`);
          let errs = 0;
          let total = 0;
          for (let i = 0; i < Math.min(r.values.length, q.values.length); i++) {
            const ratio = r.values[i];
            const rps = q.values[i] ?? 0; // a missing step of a count metric means 0 requests
            const n = Math.round(rps * (JUDGE_STEP_MS / 1000));
            total += n;
            if (ratio !== null) errs += Math.round(ratio * n);
          }
          return { errors: Math.min(errs, total), total };
        };
        metrics.push({
          name: spec.name,
          kind: 'errors',
          critical: spec.critical,
          baseline: await counts(w.baseline, arms.baseline),
          canary: await counts(w.canary, arms.canary),
        });
      }
    }
    if (metrics.length === 0) throw new RampartError('bad_request', `Watch for '${watch.flagKey}' has no latency or error metrics to judge`);

    const input = JudgeInput.parse({
      confidence: watch.thresholds.confidence,
      passScore: watch.thresholds.passScore,
      marginalScore: watch.thresholds.marginalScore,
      metrics,
    });
    const out = judge(input);
    const extra = await liveExtras(watch, baseline, change, metrics, out, now);
    return {
      ...out,
      reason: [out.reason, ...new Set(errors)].filter(Boolean).join(' · ') || undefined,
      watchId: watch.id,
      baseline: { kind: baseline, from: w.baseline.from, to: w.baseline.to, label },
      canary: { from: w.canary.from, to: w.canary.to, label: change ? `since ${change.label} at ${fmtTime(change.at)}` : 'last hour (no flag change found)' },
      changeId: change?.id ?? null,
      queries,
      computedAt: deps.now(),
      extras: extra,
    };
  }

  /** Onset over the pre-rollout window up to now, suspects, bake time and SRM: see verdict-extras.ts. */
  async function liveExtras(watch: Watch, baseline: BaselineKind, change: FlagChange | null, metrics: JudgeMetricInput[], out: ReturnType<typeof judge>, now: number) {
    const pre = preRolloutWindows(change, now);
    const latency = watch.metrics.find((m) => m.kind === 'latency' && m.critical) ?? watch.metrics.find((m) => m.kind === 'latency');
    let onsetSeries = null;
    if (latency) {
      const got = await deps.series.fetchCached(watch, deps.render(watch, latency, false), pre.baseline.from, now, JUDGE_STEP_MS);
      const s = got.series[0];
      if (s) onsetSeries = { metric: latency.name, points: Array.from(s.t, (t, i) => [t, Number.isFinite(s.v[i]) ? s.v[i] : null] as const), referenceTo: pre.baseline.to };
    }
    let exposure = null;
    const rate = watch.metrics.find((m) => m.kind === 'rate');
    const v = await deps.variants(watch).catch(() => null);
    if (rate && v?.treatment && v.control && v.exposure !== null) {
      const sum = async (variant: string) => (await arm(watch, rate, true, pre.canary.from, pre.canary.to, variant)).values.reduce<number>((a, x) => a + (x ?? 0) * (JUDGE_STEP_MS / 1000), 0);
      const counts: [number, number] = [Math.round(await sum(v.treatment)), Math.round(await sum(v.control))];
      exposure = { treatment: v.treatment, control: v.control, counts, split: [v.exposure, 100 - v.exposure] as [number, number] };
    }
    return extras({
      lookKey: `${watch.id}:${baseline}:${change?.id ?? 'none'}`,
      metrics,
      out,
      stepMs: JUDGE_STEP_MS,
      onsetSeries,
      changes: deps.changesBetween(pre.baseline.from - 3_600_000, now),
      allowedIncrease: watch.thresholds.allowedIncrease,
      exposure,
    });
  }

  return { compute };
}

export type VerdictService = ReturnType<typeof createVerdictService>;
