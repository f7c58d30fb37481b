import { watchStepMs, type Arm, type MetricSpec, type Watch } from '../../shared/domain/metrics';
import type { JudgeMetricInput } from '../../shared/domain/verdict';
import { isRampartError, partialFailure, type ErrorCode, type PartialFailure } from '../../shared/errors';
import type { InstantSample, MetricsProvider, Series } from '../metrics/metrics-provider';
import { mergeArmBuckets } from './decision-buckets';
import { armOf, type ArmMapping } from './decision-arms';
import type { SeriesService } from './series-service';
import { setBounded } from '../../shared/bounded-map';

/**
 * What the judge gets for each metric of a watch, fetched honestly (docs/statistics.md "Samples"): per-step values
 * from the watch's per-step query (range = step), tails from merged histogram buckets over the whole window (an
 * instant query at its end) where the provider has them, error counts over the window. One side of a comparison
 * is a window and an arm: the treatment or control values of the variant label, or the whole population (null).
 */
export interface ArmWindow {
  from: number;
  to: number;
  arm: Arm | null;
}

export type Render = (
  watch: Watch,
  template: { name: string; query: string },
  byVariant: boolean,
  windowSec?: number,
) => string;

export interface InputDeps {
  series: SeriesService;
  provider: (connectionId: string) => MetricsProvider;
  render: Render;
  now: () => number;
}

/** After a provider failure, its other queries of the same evaluation fail at once instead of each retrying. */
const FAIL_FAST_MS = 10_000;
const INSTANT_REUSE_MS = 15_000;
/** Errors that say the provider (not the query) is failing. */
const PROVIDER_DOWN = new Set<ErrorCode>(['unreachable', 'timeout', 'unauthorized', 'vendor_error', 'rate_limited']);

export interface Fetched<T> {
  value: T;
  query: string;
  error: PartialFailure | null;
  /** Arms that had data (both are needed for a concurrent-control verdict). */
  seen: Set<Arm>;
  note: string | null;
}

/** A query's failure under the metric it concerns, so a decision's reason names it; the code stays the provider's. */
const ofMetric = (name: string, e: PartialFailure): PartialFailure => ({
  code: e.code,
  message: `${name}: ${e.message}`,
});

export function createJudgeInputs(deps: InputDeps) {
  const failures = new Map<string, { at: number; error: PartialFailure }>();
  const recentFailure = (id: string) => {
    const f = failures.get(id);
    return f && deps.now() - f.at < FAIL_FAST_MS ? f.error : null;
  };
  const noteFailure = (id: string, error: PartialFailure | null) => {
    if (error) failures.set(id, { at: deps.now(), error });
    else failures.delete(id);
  };

  /**
   * p50, p95 and p99 read the same buckets, and both arms the same by-variant answer: one query per evaluation
   * (same query, same instant, asked within a few seconds), not six.
   */
  const recent = new Map<string, { at: number; answer: Promise<InstantSample[]> }>();
  function instantOnce(id: string, p: MetricsProvider, query: string, at: number): Promise<InstantSample[]> {
    const key = `${id}\u0000${at}\u0000${query}`;
    const hit = recent.get(key);
    if (hit && deps.now() - hit.at < INSTANT_REUSE_MS) return hit.answer;
    const answer = p.instant!(query, at);
    setBounded(recent, key, { at: deps.now(), answer }, 64);
    answer.catch(() => recent.delete(key));
    return answer;
  }

  /** Per-step values of one arm in (from, to]: each point at t covers (t − step, t]. */
  async function perStep(
    watch: Watch,
    spec: MetricSpec,
    w: ArmWindow,
    mapping: ArmMapping,
  ): Promise<Fetched<(number | null)[]>> {
    const stepMs = watchStepMs(watch);
    const query = deps.render(watch, spec, w.arm !== null);
    const down = recentFailure(watch.metricsConnectionId);
    if (down) return { value: [], query, error: down, seen: new Set(), note: null };
    const got = await deps.series.fetchCached(watch, query, w.from, w.to, stepMs);
    const error = got.error === null ? null : { code: got.errorCode ?? 'internal', message: got.error };
    if (got.errorCode === null || PROVIDER_DOWN.has(got.errorCode)) noteFailure(watch.metricsConnectionId, error);
    const seen = new Set<Arm>();
    for (const s of got.series) {
      const a = armOf(s.labels[watch.variantLabel], mapping);
      if (a && s.v.some(Number.isFinite)) seen.add(a);
    }
    let candidates: Series[] =
      w.arm === null
        ? got.series.slice(0, 1)
        : got.series.filter((s) => armOf(s.labels[watch.variantLabel], mapping) === w.arm);
    let note: string | null = null;
    if (candidates.length > 1) {
      // Quantiles of several label values cannot be merged from their per-step values: take the one with data.
      const count = (s: Series) => s.v.filter(Number.isFinite).length;
      candidates = [...candidates].sort((a, b) => count(b) - count(a));
      note = `${spec.name}: the ${w.arm} arm has several label values with data; per-step values of '${candidates[0].labels[watch.variantLabel]}' are used`;
    }
    const values: (number | null)[] = [];
    const s = candidates[0];
    if (s)
      for (let i = 0; i < s.t.length; i++)
        if (s.t[i] > w.from && s.t[i] <= w.to) values.push(Number.isFinite(s.v[i]) ? s.v[i] : null);
    return { value: values, query, error, seen, note };
  }

  /** An instant template over the window, its samples grouped to the arm (or all of them for the population). */
  async function instant(
    watch: Watch,
    name: string,
    template: string,
    w: ArmWindow,
    mapping: ArmMapping,
  ): Promise<Fetched<InstantSample[]>> {
    const p = deps.provider(watch.metricsConnectionId);
    const query = deps.render(
      watch,
      { name, query: template },
      w.arm !== null,
      Math.max(1, Math.round((w.to - w.from) / 1000)),
    );
    const seen = new Set<Arm>();
    if (!p.instant)
      return {
        value: [],
        query,
        error: { code: 'bad_request', message: 'the provider has no instant queries' },
        seen,
        note: null,
      };
    const down = recentFailure(watch.metricsConnectionId);
    if (down) return { value: [], query, error: down, seen, note: null };
    try {
      const all = await instantOnce(watch.metricsConnectionId, p, query, w.to);
      noteFailure(watch.metricsConnectionId, null);
      for (const s of all) {
        const a = armOf(s.labels[watch.variantLabel], mapping);
        if (a && Number.isFinite(s.value) && s.value > 0) seen.add(a);
      }
      const value = w.arm === null ? all : all.filter((s) => armOf(s.labels[watch.variantLabel], mapping) === w.arm);
      return { value, query, error: null, seen, note: null };
    } catch (e) {
      // A query the provider refuses (bad_request) says nothing about the others; a dead provider does.
      if (isRampartError(e) && PROVIDER_DOWN.has(e.code)) noteFailure(watch.metricsConnectionId, partialFailure(e));
      return { value: [], query, error: partialFailure(e), seen, note: null };
    }
  }

  const sum = (xs: InstantSample[]) =>
    xs.reduce((a, s) => a + (Number.isFinite(s.value) ? Math.max(0, s.value) : 0), 0);

  /**
   * A latency metric: from merged buckets when the watch has a bucket template, the provider answers it and the
   * judge takes histograms; otherwise from per-step values, labelled as the fallback.
   */
  async function latency(watch: Watch, spec: MetricSpec, canary: ArmWindow, baseline: ArmWindow, mapping: ArmMapping) {
    const queries: Record<string, string> = {};
    const errors: PartialFailure[] = [];
    const seen = new Set<Arm>();
    let fallback = !spec.buckets ? 'no bucket query for this metric' : !spec.quantile ? 'no quantile set' : null;
    if (!fallback && spec.buckets && spec.quantile) {
      const c = await instant(watch, spec.name, spec.buckets, canary, mapping);
      const b = await instant(watch, spec.name, spec.buckets, baseline, mapping);
      c.seen.forEach((a) => seen.add(a));
      b.seen.forEach((a) => seen.add(a));
      queries[`${spec.name} (buckets)`] = c.query;
      const merged = c.error || b.error ? null : mergeArmBuckets(c.value, b.value, spec.bucketUnitMs ?? 1000);
      if (merged) {
        const input: JudgeMetricInput = {
          name: spec.name,
          kind: 'histogram',
          critical: spec.critical,
          quantile: spec.quantile,
          allowedIncrease: watch.thresholds.allowedIncrease,
          bounds: merged.canary.bounds,
          canary: merged.canary.counts,
          baseline: merged.baseline.counts,
        };
        return {
          input,
          queries,
          errors,
          notes: [] as string[],
          seen,
          source: 'merged histogram buckets over the window',
          requests: { canary: merged.canary.total, baseline: merged.baseline.total },
        };
      }
      fallback = c.error?.message ?? b.error?.message ?? 'no bucket series for one of the arms';
    }
    const c = await perStep(watch, spec, canary, mapping);
    const b = await perStep(watch, spec, baseline, mapping);
    c.seen.forEach((a) => seen.add(a));
    b.seen.forEach((a) => seen.add(a));
    queries[spec.name] = c.query;
    for (const e of [c.error, b.error]) if (e) errors.push(ofMetric(spec.name, e));
    const notes = [c.note, b.note].filter((n): n is string => n !== null);
    const input: JudgeMetricInput = {
      name: spec.name,
      kind: 'latency',
      critical: spec.critical,
      allowedIncrease: watch.thresholds.allowedIncrease,
      baseline: b.value,
      canary: c.value,
    };
    return { input, queries, errors, notes, seen, source: `per-step values (fallback: ${fallback})`, requests: null };
  }

  /** Error counts over each window: the instant count templates, else Σ ratio × rate × step of the per-step series. */
  async function errorCounts(
    watch: Watch,
    spec: MetricSpec,
    rate: MetricSpec | undefined,
    canary: ArmWindow,
    baseline: ArmWindow,
    mapping: ArmMapping,
  ) {
    const queries: Record<string, string> = {};
    const errors: PartialFailure[] = [];
    const seen = new Set<Arm>();
    const counts = async (w: ArmWindow) => {
      if (spec.counts && deps.provider(watch.metricsConnectionId).instant) {
        const e = await instant(watch, spec.name, spec.counts.errors, w, mapping);
        const t = await instant(watch, spec.name, spec.counts.total, w, mapping);
        t.seen.forEach((a) => seen.add(a));
        queries[`${spec.name} (errors)`] = e.query;
        queries[`${spec.name} (total)`] = t.query;
        if (!e.error && !t.error) {
          const total = Math.round(sum(t.value));
          return { errors: Math.min(total, Math.round(sum(e.value))), total };
        }
        const failed = e.error ?? t.error;
        if (failed) errors.push(ofMetric(spec.name, failed));
      }
      if (!rate) return { errors: 0, total: 0 };
      const r = await perStep(watch, spec, w, mapping);
      const q = await perStep(watch, rate, w, mapping);
      r.seen.forEach((a) => seen.add(a));
      queries[spec.name] = r.query;
      queries[rate.name] = q.query;
      for (const e of [r.error, q.error]) if (e) errors.push(ofMetric(spec.name, e));
      const stepSec = watchStepMs(watch) / 1000;
      let errs = 0;
      let total = 0;
      for (let i = 0; i < Math.min(r.value.length, q.value.length); i++) {
        const n = Math.round((q.value[i] ?? 0) * stepSec); // a missing step of a count metric means 0 requests
        total += n;
        if (r.value[i] !== null) errs += Math.round((r.value[i] as number) * n);
      }
      return { errors: Math.min(errs, total), total };
    };
    const input: JudgeMetricInput = {
      name: spec.name,
      kind: 'errors',
      critical: spec.critical,
      canary: await counts(canary),
      baseline: await counts(baseline),
    };
    return { input, queries, errors, notes: [] as string[], seen };
  }

  return { perStep, instant, latency, errorCounts, sum };
}

export type JudgeInputs = ReturnType<typeof createJudgeInputs>;
