import type { Watch, WireSeries } from '../../shared/domain/metrics';
import { m4 } from '../../shared/downsample/m4';
import { isRampartError } from '../../shared/errors';
import type { MetricsProvider, Series } from '../metrics/metrics-provider';
import { seriesQueryKey, type SeriesCache } from '../store/series-cache';
import type { EventBus } from '../host/registrar';

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
  /** Turns a watch's metric spec into the provider's query language (templates per provider kind). */
  render: (watch: Watch, metric: Watch['metrics'][number], byVariant: boolean) => string;
  cache: SeriesCache;
  bus: EventBus;
  now: () => number;
}

/**
 * Series for a watch: cache first, fetch only what is missing or newer, downsample with M4 to the plot width.
 * A failing provider degrades to the cached range marked stale, with the error on the metric it concerns.
 */
export function createSeriesService(deps: SeriesDeps) {
  const consecutiveErrors = new Map<string, number>();
  /** While a provider fails, live refreshes answer from the cache and try it again only after a growing pause. */
  const backoff = new Map<string, { until: number; error: string }>();

  function noteHealth(connectionId: string, error: string | null): void {
    const n = error ? (consecutiveErrors.get(connectionId) ?? 0) + 1 : 0;
    const before = consecutiveErrors.get(connectionId) ?? 0;
    consecutiveErrors.set(connectionId, n);
    if (error) backoff.set(connectionId, { until: deps.now() + backoffMs(n), error });
    else backoff.delete(connectionId);
    if (n !== before) deps.bus.emit('provider:health', { connectionId, consecutiveErrors: n, lastError: error });
  }

  /** Raw (not downsampled) series for one query at one step, through the cache. */
  async function fetchCached(watch: Watch, query: string, from: number, to: number, stepMs: number): Promise<{ series: Series[]; staleSince: number | null; error: string | null }> {
    const key = seriesQueryKey(watch.metricsConnectionId, query, stepMs);
    const alignedFrom = Math.floor(from / stepMs) * stepMs;
    const alignedTo = Math.ceil(to / stepMs) * stepMs;
    let error: string | null = null;
    const paused = backoff.get(watch.metricsConnectionId);
    if (paused && deps.now() < paused.until) {
      error = `${paused.error} (next try in ${Math.ceil((paused.until - deps.now()) / 1000)} s)`;
    }
    for (const [gFrom, gTo] of error ? [] : deps.cache.missing(key, alignedFrom, alignedTo)) {
      try {
        const got = await deps.provider(watch.metricsConnectionId).range(query, gFrom, gTo, stepMs);
        // The newest steps may still be filling in at the provider: do not mark them as covered.
        const settled = Math.min(gTo, Math.floor((deps.now() - 2 * stepMs) / stepMs) * stepMs);
        deps.cache.write(key, got, gFrom, Math.max(gFrom, settled));
      } catch (e) {
        error = isRampartError(e) ? e.message : String(e);
        break;
      }
    }
    const covered = deps.cache.coverage(key).filter((c) => c.to >= alignedFrom && c.from <= alignedTo);
    const staleSince = error && covered.length > 0 ? Math.min(...covered.map((c) => c.fetchedAt)) : null;
    return { series: deps.cache.read(key, alignedFrom, alignedTo), staleSince, error };
  }

  /**
   * Refetches that come after a failure, until the next try is due, do not reach the provider (nor reset its error
   * count): the view keeps the cached range, marked stale, and the provider is not hammered while it is down.
   */
  async function range(watch: Watch, q: { from: number; to: number; width: number; metrics?: string[] }) {
    const stepMs = chooseStep(q.from, q.to, q.width);
    const specs = watch.metrics.filter((m) => !q.metrics || q.metrics.includes(m.name));
    const out: WireSeries[] = [];
    const errors: { metric: string; message: string }[] = [];
    let staleSince: number | null = null;
    let anyError: string | null = null;

    await Promise.all(
      specs.map(async (spec) => {
        for (const byVariant of [false, true]) {
          const query = deps.render(watch, spec, byVariant);
          const got = await fetchCached(watch, query, q.from, q.to, stepMs);
          if (got.error) {
            anyError = got.error;
            if (!errors.some((e) => e.metric === spec.name)) errors.push({ metric: spec.name, message: got.error });
          }
          if (got.staleSince !== null) staleSince = Math.min(staleSince ?? Infinity, got.staleSince);
          for (const s of got.series) {
            const variant = byVariant ? (s.labels[watch.variantLabel] ?? null) : null;
            if (byVariant && variant === null) continue; // provider had no variant label: the overall series covers it
            const d = m4(s.t, s.v, q.from, q.to, q.width);
            const points: [number, number | null][] = new Array(d.t.length);
            for (let i = 0; i < d.t.length; i++) points[i] = [d.t[i], Number.isFinite(d.v[i]) ? d.v[i] : null];
            out.push({ metric: spec.name, variant, labels: s.labels, points });
          }
        }
      }),
    );
    const wasPaused = (backoff.get(watch.metricsConnectionId)?.until ?? 0) > deps.now();
    if (!wasPaused || anyError === null) noteHealth(watch.metricsConnectionId, anyError);
    out.sort((a, b) => a.metric.localeCompare(b.metric) || (a.variant ?? '').localeCompare(b.variant ?? ''));
    const now = deps.now();
    return {
      series: out,
      stepMs,
      stale: staleSince !== null ? { fetchedAt: staleSince, ageMs: now - staleSince, reason: anyError ?? 'provider error' } : null,
      errors,
    };
  }

  return { range, fetchCached, consecutiveErrors: (id: string) => consecutiveErrors.get(id) ?? 0 };
}

export type SeriesService = ReturnType<typeof createSeriesService>;
