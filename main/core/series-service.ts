import { watchStepMs, type Arm, type Watch, type WireSeries } from '../../shared/domain/metrics';
import { m4 } from '../../shared/downsample/m4';
import { isRampartError, partialFailure, type ErrorCode, type PartialFailure } from '../../shared/errors';
import type { MetricsProvider, Series } from '../metrics/metrics-provider';
import { missingRanges, seriesQueryKey, type SeriesCache } from '../store/series-cache';
import type { EventBus } from './event-bus';
import { inThread, type CoreWorker } from './workers/pool';

/** 5 s after the first failure, doubling, at most 2 minutes between tries. */
export function backoffMs(consecutiveErrors: number): number {
  return consecutiveErrors <= 0 ? 0 : Math.min(120_000, 5_000 * 2 ** (consecutiveErrors - 1));
}

const NICE_STEPS_S = [10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 43200, 86400];

/** The smallest "nice" step giving at most `maxPoints` points over the range — nice so the cache is reused. */
export function chooseStep(from: number, to: number, maxPoints: number, minStepMs = 10_000): number {
  const raw = Math.max(minStepMs, (to - from) / Math.max(1, maxPoints));
  const nice = NICE_STEPS_S.find((s) => s * 1000 >= raw);
  return nice ? nice * 1000 : Math.ceil(raw / 86_400_000) * 86_400_000;
}

export interface RenderedQuery {
  metric: string;
  query: string;
  byVariant: boolean;
}

export interface SeriesDeps {
  provider: (connectionId: string) => MetricsProvider;
  /** Turns a watch's metric spec into the provider's query language; `windowSec` fills `{{window}}` (default: the step). */
  render: (watch: Watch, metric: Watch['metrics'][number], byVariant: boolean, windowSec?: number) => string;
  /** The watch's treatment/control mapping of variant label values (decision-arms.ts): charts and verdicts share it. */
  armOf: (watch: Watch) => Promise<(value: string | undefined) => Arm | null>;
  /** "no series match X; did you mean Y?" for a query that matched nothing. */
  whyEmpty: (connectionId: string, query: string) => Promise<{ message: string }>;
  /** The series cache: the core's series worker (reads and writes off the main thread), or a store's cache in-thread. */
  cache: CoreWorker | SeriesCache;
  bus: EventBus;
  now: () => number;
}

/** What `ensureCached` made sure of: the query's cache key and the step-aligned range now cached, or why not. */
export interface Ensured {
  key: string;
  from: number;
  to: number;
  staleSince: number | null;
  error: string | null;
  errorCode: ErrorCode | null;
}

/**
 * Series for a watch: cache first, fetch only what is missing or newer, downsample with M4 to the plot width.
 * A failing provider degrades to the cached range marked stale, with the error on the metric it concerns.
 * The cache lives behind the series worker (workers/pool.ts): its reads and writes never block the main thread.
 */
/** A fetch's failure as it crosses a door (series errors, stale data, provider health): its code and message. */
export function failureOf(got: { error: string | null; errorCode: ErrorCode | null }): PartialFailure | null {
  return got.error === null ? null : { code: got.errorCode ?? 'internal', message: got.error };
}

/** Why data shown from the cache is not fresh, as the contract's Staleness. */
export function staleness(staleSince: number | null, failure: PartialFailure | null, now: number) {
  if (staleSince === null) return null;
  return {
    fetchedAt: staleSince,
    ageMs: now - staleSince,
    ...(failure ?? { code: 'internal', message: 'provider error' }),
  };
}

export function createSeriesService(deps: SeriesDeps) {
  const cache: CoreWorker = 'call' in deps.cache ? deps.cache : inThread(deps.cache);
  const consecutiveErrors = new Map<string, number>();
  /** While a provider fails, live refreshes answer from the cache and try it again only after a growing pause. */
  const backoff = new Map<string, { until: number; error: PartialFailure }>();

  function noteHealth(connectionId: string, error: PartialFailure | null): void {
    const n = error ? (consecutiveErrors.get(connectionId) ?? 0) + 1 : 0;
    const before = consecutiveErrors.get(connectionId) ?? 0;
    consecutiveErrors.set(connectionId, n);
    if (error) backoff.set(connectionId, { until: deps.now() + backoffMs(n), error });
    else backoff.delete(connectionId);
    if (n !== before) deps.bus.emit('provider:health', { connectionId, consecutiveErrors: n, lastError: error });
  }

  /** Health after a look at a provider: a refetch during a pause neither counts as an error nor resets the count. */
  function noteLook(connectionId: string, anyError: PartialFailure | null): void {
    const wasPaused = (backoff.get(connectionId)?.until ?? 0) > deps.now();
    if (!wasPaused || anyError === null) noteHealth(connectionId, anyError);
  }

  /** Makes sure the cache holds one query at one step over [from, to] (what can be fetched); reads nothing back. */
  async function ensureCached(watch: Watch, query: string, from: number, to: number, stepMs: number): Promise<Ensured> {
    const key = seriesQueryKey(watch.metricsConnectionId, query, stepMs);
    const alignedFrom = Math.floor(from / stepMs) * stepMs;
    const alignedTo = Math.ceil(to / stepMs) * stepMs;
    let error: string | null = null;
    let errorCode: ErrorCode | null = null;
    const paused = backoff.get(watch.metricsConnectionId);
    if (paused && deps.now() < paused.until) {
      error = `${paused.error.message} (next try in ${Math.ceil((paused.until - deps.now()) / 1000)} s)`;
      errorCode = paused.error.code;
    }
    const coverage = await cache.call({ op: 'coverage', key });
    for (const [gFrom, gTo] of error ? [] : missingRanges(coverage, alignedFrom, alignedTo)) {
      try {
        const got = await deps.provider(watch.metricsConnectionId).range(query, gFrom, gTo, stepMs);
        // The newest steps may still be filling in at the provider: do not mark them as covered.
        const settled = Math.min(gTo, Math.floor((deps.now() - 2 * stepMs) / stepMs) * stepMs);
        await cache.call({
          op: 'write',
          key,
          series: got,
          from: gFrom,
          to: Math.max(gFrom, settled),
          fetchedAt: deps.now(),
        });
      } catch (e) {
        error = isRampartError(e) ? e.message : String(e);
        errorCode = isRampartError(e) ? e.code : 'internal';
        break;
      }
    }
    const covered = coverage.filter((c) => c.to >= alignedFrom && c.from <= alignedTo);
    const staleSince = error && covered.length > 0 ? Math.min(...covered.map((c) => c.fetchedAt)) : null;
    return { key, from: alignedFrom, to: alignedTo, staleSince, error, errorCode };
  }

  /** Raw (not downsampled) series for one query at one step, through the cache. */
  async function fetchCached(
    watch: Watch,
    query: string,
    from: number,
    to: number,
    stepMs: number,
  ): Promise<{ series: Series[]; staleSince: number | null; error: string | null; errorCode: ErrorCode | null }> {
    const e = await ensureCached(watch, query, from, to, stepMs);
    return {
      series: await cache.call({ op: 'read', key: e.key, from: e.from, to: e.to }),
      staleSince: e.staleSince,
      error: e.error,
      errorCode: e.errorCode,
    };
  }

  /**
   * Refetches that come after a failure, until the next try is due, do not reach the provider (nor reset its error
   * count): the view keeps the cached range, marked stale, and the provider is not hammered while it is down.
   */
  async function range(watch: Watch, q: { from: number; to: number; width: number; metrics?: string[] }) {
    // Never finer than the watch's step, and each point's window is its own step: what the chart draws is what
    // the verdict samples (non-overlapping), just coarser when zoomed out.
    const stepMs = Math.max(chooseStep(q.from, q.to, q.width), watchStepMs(watch));
    const armOf = await deps.armOf(watch);
    const specs = watch.metrics.filter((m) => !q.metrics || q.metrics.includes(m.name));
    const out: WireSeries[] = [];
    const errors: ({ metric: string } & PartialFailure)[] = [];
    let staleSince: number | null = null;
    let anyError: PartialFailure | null = null;

    await Promise.all(
      specs.map(async (spec) => {
        for (const byVariant of [false, true]) {
          let query: string;
          try {
            query = deps.render(watch, spec, byVariant, stepMs / 1000);
          } catch (e) {
            if (!errors.some((x) => x.metric === spec.name)) errors.push({ metric: spec.name, ...partialFailure(e) });
            continue;
          }
          const got = await fetchCached(watch, query, q.from, q.to, stepMs);
          const failure = failureOf(got);
          if (failure) {
            anyError = failure;
            if (!errors.some((e) => e.metric === spec.name)) errors.push({ metric: spec.name, ...failure });
          } else if (!byVariant && got.series.length === 0 && !errors.some((e) => e.metric === spec.name)) {
            errors.push({
              metric: spec.name,
              code: 'not_found',
              message: (await deps.whyEmpty(watch.metricsConnectionId, query)).message,
            });
          }
          if (got.staleSince !== null) staleSince = Math.min(staleSince ?? Infinity, got.staleSince);
          for (const s of got.series) {
            const variant = byVariant ? (s.labels[watch.variantLabel] ?? null) : null;
            if (byVariant && variant === null) continue; // provider had no variant label: the overall series covers it
            const d = m4(s.t, s.v, q.from, q.to, q.width);
            const points: [number, number | null][] = new Array(d.t.length);
            for (let i = 0; i < d.t.length; i++) points[i] = [d.t[i], Number.isFinite(d.v[i]) ? d.v[i] : null];
            out.push({
              metric: spec.name,
              variant,
              arm: variant === null ? null : armOf(variant),
              labels: s.labels,
              points,
            });
          }
        }
      }),
    );
    noteLook(watch.metricsConnectionId, anyError);
    out.sort((a, b) => a.metric.localeCompare(b.metric) || (a.variant ?? '').localeCompare(b.variant ?? ''));
    const now = deps.now();
    return {
      series: out,
      stepMs,
      stale: staleness(staleSince, anyError, now),
      errors,
    };
  }

  return {
    range,
    fetchCached,
    ensureCached,
    noteLook,
    cache,
    consecutiveErrors: (id: string) => consecutiveErrors.get(id) ?? 0,
    /** The failure that keeps a provider in its pause; null once it answers again. */
    lastFailure: (id: string): PartialFailure | null => backoff.get(id)?.error ?? null,
  };
}

export type SeriesService = ReturnType<typeof createSeriesService>;
