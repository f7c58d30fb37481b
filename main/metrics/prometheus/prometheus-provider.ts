import { RampartError } from '../../../shared/errors';
import { defaultHttpDeps, type HttpDeps } from '../../net/http-client';
import { metricsQueryAttributes, traceMetricsQuery, withSpan } from '../../telemetry/tracing';
import type { InstantSample, MetricName, MetricsCapabilities, MetricsProvider, Series } from '../metrics-provider';
import { checkPrometheus } from './prometheus-check';
import { createPromClient, shownQuery, type PrometheusConnection } from './prometheus-http';
import {
  PromInstantSuccess,
  PromLabelValues,
  PromMetadata,
  PromRangeSuccess,
  matrixToSeries,
  sampleValue,
} from './response';
import { chooseStepMs, pointCount } from './step';

export type { PrometheusConnection } from './prometheus-http';
export { shownQuery } from './prometheus-http';

export interface PrometheusProviderOptions {
  connection: PrometheusConnection;
  /** Bearer token, or the password for basic auth. Never logged, never put in a message. */
  secret?: string;
  http?: HttpDeps;
  /** Per-attempt deadline; docs/security.md caps metrics calls at 10 s. */
  timeoutMs?: number;
  /** Attempts for a read (retries on 429/502/503/504 and network errors, honouring Retry-After). */
  maxAttempts?: number;
  /** Prometheus' own `warnings` (e.g. partial data from a remote-read store), per query. */
  onWarnings?: (warnings: string[], query: string) => void;
}

/** Prometheus refuses (end - start) / step > 11,000 (web/api/v1/api.go). */
export const PROMETHEUS_MAX_POINTS = 11_000;
const DEFAULT_TIMEOUT_MS = 10_000;

const CAPABILITIES: MetricsCapabilities = {
  maxPointsPerSeries: PROMETHEUS_MAX_POINTS,
  nativePercentiles: true,
  timeUnit: 's',
};

function malformed(what: string, issue: { path: PropertyKey[]; message: string }, query: string | null): RampartError {
  const promql = query === null ? '' : ` — PromQL: ${shownQuery(query)}`;
  return new RampartError(
    'vendor_error',
    `Prometheus: malformed ${what} response (${issue.path.join('.') || 'body'}: ${issue.message})${promql}`,
  );
}

export function createPrometheusProvider(opts: PrometheusProviderOptions): MetricsProvider {
  const { connection } = opts;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const client = createPromClient({
    connection,
    secret: opts.secret,
    http: opts.http ?? defaultHttpDeps,
    timeoutMs,
    maxAttempts: opts.maxAttempts,
  });
  // Let Prometheus give up when we do, instead of burning CPU on an answer nobody reads.
  const serverTimeout = `${Math.max(1, Math.floor(timeoutMs / 1000))}s`;
  const warn = (warnings: string[] | undefined, query: string) => {
    if (warnings && warnings.length > 0) opts.onWarnings?.(warnings, query);
  };

  async function range(
    query: string,
    from: number,
    to: number,
    stepMs: number,
    signal?: AbortSignal,
  ): Promise<Series[]> {
    if (query.trim().length === 0) throw new RampartError('bad_request', 'Prometheus: the PromQL query is empty');
    const step = chooseStepMs(from, to, stepMs, PROMETHEUS_MAX_POINTS);
    // Evaluation instants on multiples of the step: a refresh a few seconds later returns the same timestamps,
    // so cached points line up and charts do not shimmer.
    const aligned = Math.ceil(from / step) * step;
    const start = aligned <= to ? aligned : from;
    const grid = { startMs: start, stepMs: step, count: Math.max(0, pointCount(start, to, step)) };

    return traceMetricsQuery(
      { provider: 'prometheus', connectionId: connection.id, query, from, to, stepMs: step },
      async (span) => {
        const form = new URLSearchParams({
          query,
          start: (start / 1000).toFixed(3),
          end: (to / 1000).toFixed(3),
          step: `${step / 1000}`,
          timeout: serverTimeout,
        });
        const body = await client.call('api/v1/query_range', { form, query, signal });
        const parsed = PromRangeSuccess.safeParse(body);
        if (!parsed.success) throw malformed('query_range', parsed.error.issues[0], query);
        if ((parsed.data.warnings ?? []).length > 0)
          span.addEvent('prometheus.warnings', { count: parsed.data.warnings?.length ?? 0 });
        warn(parsed.data.warnings, query);
        return matrixToSeries(parsed.data, grid);
      },
    );
  }

  async function instant(query: string, at: number, signal?: AbortSignal): Promise<InstantSample[]> {
    if (query.trim().length === 0) throw new RampartError('bad_request', 'Prometheus: the PromQL query is empty');
    if (!Number.isFinite(at))
      throw new RampartError('bad_request', `Prometheus: the evaluation time must be finite epoch ms (got ${at})`);
    return withSpan(
      'rampart.metrics.instant',
      metricsQueryAttributes({
        provider: 'prometheus',
        connectionId: connection.id,
        query,
        from: at,
        to: at,
        stepMs: 0,
      }),
      async () => {
        const form = new URLSearchParams({ query, time: (at / 1000).toFixed(3), timeout: serverTimeout });
        const parsed = PromInstantSuccess.safeParse(await client.call('api/v1/query', { form, query, signal }));
        if (!parsed.success) throw malformed('query', parsed.error.issues[0], query);
        warn(parsed.data.warnings, query);
        const data = parsed.data.data;
        if (data.resultType === 'scalar') return [{ labels: {}, value: sampleValue(data.result[1]) }];
        if (data.resultType !== 'vector')
          throw new RampartError(
            'bad_request',
            `Prometheus: expected an instant vector, got a ${data.resultType} — PromQL: ${shownQuery(query)}`,
          );
        return data.result
          .filter((r) => r.value)
          .map((r) => ({ labels: { ...r.metric }, value: sampleValue(r.value![1]) }));
      },
    );
  }

  async function listMetrics(signal?: AbortSignal): Promise<MetricName[]> {
    const names = PromLabelValues.safeParse(await client.call('api/v1/label/__name__/values', { query: null, signal }));
    if (!names.success) throw malformed('label values', names.error.issues[0], null);
    // Metadata comes from scraped targets; history loaded by other means has none, which is not an error.
    const meta = PromMetadata.safeParse(
      await client.call('api/v1/metadata', { query: null, signal }).catch(() => null),
    );
    const about = meta.success ? meta.data.data : {};
    return names.data.data.map((name) => {
      const m = about[name]?.[0] ?? about[name.replace(/_(bucket|count|sum|total)$/, '')]?.[0];
      return { name, type: m?.type ?? null, unit: m?.unit || null, help: m?.help || null };
    });
  }

  return {
    connectionId: connection.id,
    capabilities: () => CAPABILITIES,
    range,
    instant,
    listMetrics,
    check: (probe, signal) => checkPrometheus(client, probe, instant, signal),
  };
}
