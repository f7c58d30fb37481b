import type { Connection } from '../../shared/domain/connections';
import { watchStepMs, type Watch } from '../../shared/domain/metrics';
import type { QueryPreview } from '../../shared/contract/domains/watches';
import { partialFailure, RampartError, type ErrorCode } from '../../shared/errors';
import type { MetricsProvider } from '../metrics/metrics-provider';
import { armOf, type ArmMapping } from './decision-arms';
import type { MetricDiscovery } from './metric-discovery';
import { instantTemplates, renderWatchTemplate } from './queries';

const MAX_LABEL_SETS = 10;
const RECENT_POINTS = 5;
/** Instant parts are tried over this many steps: long enough to hold data, short enough to be quick. */
const PREVIEW_STEPS = 10;

/**
 * `watches:preview`: every query of a watch as it would be saved, run once against its provider, reported as
 * what a person setting up the watch needs to see — the PromQL, how many series and which label sets it
 * matched, the newest values, the provider's error (its code and its words), and "did you mean" when nothing matched.
 */
/**
 * Codes that say the provider itself cannot be asked (not this one query being wrong): nothing listens, the
 * credential is refused, it is rate-limiting us. A timeout is not one of them — Prometheus answers one heavy query
 * with `errorType: timeout` while every other query is fine.
 */
const PROVIDER_DOWN = new Set<ErrorCode>(['unreachable', 'unauthorized', 'rate_limited']);

export async function previewWatch(
  deps: {
    connection: Connection;
    provider: MetricsProvider;
    discovery: MetricDiscovery;
    arms: ArmMapping;
    now: number;
  },
  watch: Watch,
) {
  const stepMs = watchStepMs(watch);
  const to = Math.floor(deps.now / stepMs) * stepMs;
  const parts: QueryPreview[] = [];
  const variantsOf = (labels: Record<string, string>[]) =>
    [...new Set(labels.map((l) => l[watch.variantLabel]).filter((v): v is string => v !== undefined))].map((value) => ({
      value,
      arm: armOf(value, deps.arms),
    }));

  let down: RampartError | null = null;

  async function run(
    metric: string,
    part: QueryPreview['part'],
    make: () => string,
    fetch: (q: string) => Promise<{ labels: Record<string, string>[]; points: [number, number | null][] }>,
  ) {
    let query = '';
    try {
      query = make();
      if (down) throw down;
      const got = await fetch(query);
      const empty = got.labels.length === 0 ? await deps.discovery.whyEmpty(watch.metricsConnectionId, query) : null;
      parts.push({
        metric,
        part,
        query,
        matched: got.labels.length,
        labelSets: got.labels.slice(0, MAX_LABEL_SETS),
        points: got.points,
        variants: part === 'series' ? [] : variantsOf(got.labels),
        error: null,
        suggestions: empty?.suggestions ?? [],
        message: empty?.message ?? `${got.labels.length} series`,
      });
    } catch (e) {
      // The provider's own code (unreachable, timeout, unauthorized, bad_request, vendor_error …) rides along so
      // doors branch on it; the message is for the person setting the watch up.
      const error = partialFailure(e);
      // A provider that is down answers no later query either: the rest of the preview says so at once instead of
      // retrying each query in turn (4 attempts with backoff per query made an unreachable server a 15 s wait).
      if (!down && PROVIDER_DOWN.has(error.code))
        down = new RampartError(
          error.code,
          `not sent: ${deps.connection.name} failed the query before it (${error.code}); fix that first`,
        );
      parts.push({
        metric,
        part,
        query,
        matched: 0,
        labelSets: [],
        points: [],
        variants: [],
        error,
        suggestions: [],
        message: error.message,
      });
    }
  }

  const range = async (q: string) => {
    const got = await deps.provider.range(q, to - PREVIEW_STEPS * stepMs, to, stepMs);
    const first = got[0];
    const points: [number, number | null][] = first
      ? Array.from(
          first.t,
          (t, i) => [t, Number.isFinite(first.v[i]) ? first.v[i] : null] as [number, number | null],
        ).slice(-RECENT_POINTS)
      : [];
    return { labels: got.map((s) => s.labels), points };
  };
  const instant = async (q: string) => {
    if (!deps.provider.instant)
      throw new RampartError(
        'bad_request',
        `${deps.connection.name} has no instant queries: this part is judged from per-step values instead`,
      );
    const got = await deps.provider.instant(q, to);
    return {
      labels: got.map((s) => s.labels),
      points: got
        .slice(0, RECENT_POINTS)
        .map((s) => [to, Number.isFinite(s.value) ? s.value : null] as [number, number | null]),
    };
  };

  for (const spec of watch.metrics) {
    await run(spec.name, 'series', () => renderWatchTemplate(deps.connection, watch, spec, false), range);
    await run(spec.name, 'byVariant', () => renderWatchTemplate(deps.connection, watch, spec, true), range);
  }
  for (const t of instantTemplates(watch)) {
    await run(
      t.metric,
      t.part,
      () =>
        renderWatchTemplate(
          deps.connection,
          watch,
          { name: t.metric, query: t.query },
          true,
          (PREVIEW_STEPS * stepMs) / 1000,
        ),
      instant,
    );
  }
  const failing = parts.filter((p) => p.error !== null || p.matched === 0);
  const ok = failing.length === 0;
  return {
    parts,
    stepSec: stepMs / 1000,
    arms: { treatment: deps.arms.treatment, control: deps.arms.control, source: deps.arms.source },
    ok,
    message: ok
      ? `all ${parts.length} queries match series`
      : `${failing.length} of ${parts.length} queries match nothing or fail: ${failing[0].metric} (${failing[0].part}): ${failing[0].message}`,
  };
}
