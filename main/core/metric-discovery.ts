import { isRampartError, RampartError } from '../../shared/errors';
import { findRequestHistograms, metricStem, noSeriesMessage, suggestNames } from '../metrics/discovery';
import type { MetricName, MetricsProvider } from '../metrics/metrics-provider';

const CACHE_MS = 5 * 60_000;
const MAX_NAMES = 500;

/**
 * Looks metric names up in the provider (docs/design.md "Connection kinds"), cached a few minutes per
 * connection: `metrics:discover`, the histogram a new watch reads, and "no series match X; did you mean Y?"
 * wherever a query matches nothing (series, previews, connection tests, verdicts).
 */
export function createMetricDiscovery(deps: {
  provider: (connectionId: string) => MetricsProvider;
  now: () => number;
}) {
  const cache = new Map<string, { at: number; names: MetricName[] }>();

  /** Every name (Datadog: the ones its search returns for `like`, or for `http.server`). */
  async function names(connectionId: string, like?: string): Promise<MetricName[]> {
    const key = `${connectionId}\u0000${like ?? ''}`;
    const hit = cache.get(key);
    if (hit && deps.now() - hit.at < CACHE_MS) return hit.names;
    const p = deps.provider(connectionId);
    if (!p.listMetrics)
      throw new RampartError('bad_request', `Connection '${connectionId}' cannot list its metric names`);
    const got = await (p.listMetrics as (signal?: AbortSignal, like?: string) => Promise<MetricName[]>)(
      undefined,
      like,
    );
    cache.set(key, { at: deps.now(), names: got });
    return got;
  }

  async function discover(connectionId: string, like?: string) {
    const all = await names(connectionId, like);
    const wanted = like ? metricStem(like).stem : null;
    const matching = wanted
      ? all.filter((n) =>
          n.name
            .toLowerCase()
            .replace(/[.\-/]/g, '_')
            .includes(wanted),
        )
      : all;
    const conventions = findRequestHistograms(all);
    let message: string;
    let suggestions: string[] = [];
    if (matching.length > 0)
      message = `${matching.length} metric${matching.length === 1 ? '' : 's'}${like ? ` match ${like}` : ''}`;
    else {
      suggestions = suggestNames(
        like ?? '',
        all.map((n) => n.name),
      );
      message =
        all.length === 0
          ? 'the provider has no metrics at all'
          : `no metric matches ${like}${suggestions.length > 0 ? `; did you mean ${suggestions.join(' or ')}?` : ''}`;
    }
    return {
      names: matching.slice(0, MAX_NAMES),
      total: all.length,
      truncated: matching.length > MAX_NAMES,
      conventions,
      suggestions,
      message,
    };
  }

  /** For a query that matched nothing: the message and close names; never throws (a lookup failure says so). */
  async function whyEmpty(connectionId: string, query: string): Promise<{ message: string; suggestions: string[] }> {
    try {
      const wanted = query.match(/[A-Za-z_][A-Za-z0-9_.]*(?=\{)/)?.[0];
      return noSeriesMessage(
        query,
        (await names(connectionId, wanted?.includes('.') ? wanted.split('.').slice(0, 2).join('.') : undefined)).map(
          (n) => n.name,
        ),
      );
    } catch (e) {
      const base = noSeriesMessage(query, []);
      return {
        message: `${base.message.replace(/ \(the provider has no metrics at all\)$/, '')} (names could not be looked up: ${isRampartError(e) ? e.message : String(e)})`,
        suggestions: [],
      };
    }
  }

  return {
    names,
    discover,
    whyEmpty,
    forget: (connectionId: string) =>
      [...cache.keys()].filter((k) => k.startsWith(`${connectionId}\u0000`)).forEach((k) => cache.delete(k)),
  };
}

export type MetricDiscovery = ReturnType<typeof createMetricDiscovery>;
