import type { client } from '@datadog/datadog-api-client';
import { datadogClient } from './load-client';
import type { z } from 'zod';
import type { DatadogConnection as DatadogConnectionSchema } from '../../../shared/domain/connections';
import { RampartError, isRampartError } from '../../../shared/errors';
import { defaultHttpDeps, type HttpDeps } from '../../net/http-client';
import { traceMetricsQuery, withSpan } from '../../telemetry/tracing';
import type { MetricName, MetricsCapabilities, MetricsProvider, Series } from '../metrics-provider';
import { checkDatadog, datadogListMetrics } from './datadog-discovery';
import { chooseStepMs } from '../prometheus/step';
import { DatadogTransport } from './http-library';
import { parseDatadogQuery, toV1Expression, type DatadogQueryPlan } from './query-plan';
import { v1ToSeries, v2ToSeries, type ParsedSeries } from './response';
import { datadogBaseUrl } from './site';

export type DatadogConnection = z.infer<typeof DatadogConnectionSchema>;

export interface DatadogProviderDeps {
  http?: HttpDeps;
  /** Per-attempt deadline; docs/security.md caps metrics calls at 10 s. */
  timeoutMs?: number;
  /** Attempts for a metric query (429 / 502–504 / network errors). Events are sent once. */
  maxAttempts?: number;
  /**
   * 'v2' (default): POST /api/v2/query/timeseries (from/to/interval in ms, formulas computed by Datadog); if that
   * endpoint answers 404 the provider switches to v1 for the rest of its life. 'v1': GET /api/v1/query only
   * (from/to in seconds, points in ms, interval chosen by Datadog, formulas expanded to metric arithmetic).
   */
  api?: 'v2' | 'v1';
  onWarnings?: (warnings: string[], query: string) => void;
}

export interface DatadogProviderOptions {
  connection: DatadogConnection;
  apiKey: string;
  appKey: string;
  deps?: DatadogProviderDeps;
}

export interface FlagEvent {
  flagKey: string;
  env: string;
  title: string;
  text: string;
  alertType?: 'info' | 'success' | 'warning' | 'error';
  /** When it happened, epoch ms (Datadog accepts up to 18 h in the past); default now. */
  at?: number;
}

export interface PostedEvent {
  /** `id_str`: the numeric `id` does not fit in a double and comes back rounded. */
  id: string;
  url?: string;
}

export interface DatadogProvider extends MetricsProvider {
  postEvent(event: FlagEvent, signal?: AbortSignal): Promise<PostedEvent>;
  /** Metric search; `like` narrows it (Datadog's search needs a term). */
  listMetrics(signal?: AbortSignal, like?: string): Promise<MetricName[]>;
}

/** Datadog keeps a series to at most 1,500 points (docs: dashboards/functions/rollup). */
export const DATADOG_MAX_POINTS = 1_500;
const DEFAULT_TIMEOUT_MS = 10_000;
const TITLE_MAX = 100;
const TEXT_MAX = 4_000;

const CAPABILITIES: MetricsCapabilities = {
  maxPointsPerSeries: DATADOG_MAX_POINTS,
  nativePercentiles: true,
  timeUnit: 'ms',
};

function shown(query: string): string {
  const oneLine = query.replace(/\s+/g, ' ').trim();
  return oneLine.length > 500 ? `${oneLine.slice(0, 500)}…` : oneLine;
}

/** Re-words transport errors for a query: which key to check on 401/403, what Datadog said about the query on 400. */
function explainQueryError(e: unknown, query: string): unknown {
  if (!isRampartError(e)) {
    const why = e instanceof Error ? e.message : String(e);
    return new RampartError(
      'vendor_error',
      `Datadog: malformed response (${why.slice(0, 200)}) — query: ${shown(query)}`,
    );
  }
  const status = (e.details as { status?: number } | undefined)?.status;
  if (e.code === 'unauthorized') {
    return new RampartError(
      'unauthorized',
      `${e.message} — check the API key and the application key (it needs the timeseries_query permission)`,
      e.details,
    );
  }
  if (e.code === 'bad_request') {
    const body = (e.details as { body?: { errors?: unknown } } | undefined)?.body;
    const errors = Array.isArray(body?.errors) ? body.errors.map(String).join('; ') : e.message;
    return new RampartError(
      'bad_request',
      `Datadog rejected the query (HTTP ${status ?? 400}): ${errors} — query: ${shown(query)}`,
      e.details,
    );
  }
  // A malformed answer (response.ts) or a server error names the query it answered, like every other query error.
  if (e.code === 'vendor_error')
    return new RampartError('vendor_error', `${e.message} — query: ${shown(query)}`, e.details);
  return e;
}

export function createDatadogProvider(opts: DatadogProviderOptions): DatadogProvider {
  const { connection, apiKey, appKey } = opts;
  const deps = opts.deps ?? {};
  const http = deps.http ?? defaultHttpDeps;
  const timeoutMs = deps.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const baseUrl = datadogBaseUrl(connection.site);
  let api: 'v2' | 'v1' = deps.api ?? 'v2';

  async function configuration(idempotent: boolean, signal?: AbortSignal): Promise<client.Configuration> {
    const { client } = await datadogClient();
    return client.createConfiguration({
      // baseServer wins over serverIndex and per-operation servers, and is this configuration's own object, so
      // nothing touches the client's module-global server list.
      baseServer: new client.BaseServerConfiguration(baseUrl, {}),
      authMethods: { apiKeyAuth: apiKey, appKeyAuth: appKey },
      httpApi: new DatadogTransport({
        http,
        timeoutMs,
        idempotent,
        maxAttempts: idempotent ? deps.maxAttempts : 1,
        signal,
      }),
    });
  }

  function requireKeys(needAppKey: boolean): void {
    if (!apiKey) throw new RampartError('unauthorized', `Datadog: connection "${connection.id}" has no API key set`);
    if (needAppKey && !appKey)
      throw new RampartError('unauthorized', `Datadog: connection "${connection.id}" has no application key set`);
  }

  async function queryV2(
    plan: DatadogQueryPlan,
    from: number,
    to: number,
    intervalMs: number,
    signal?: AbortSignal,
  ): Promise<ParsedSeries> {
    const { v2 } = await datadogClient();
    const response = await new v2.MetricsApi(await configuration(true, signal)).queryTimeseriesData({
      body: {
        data: {
          type: 'timeseries_request',
          attributes: {
            from: Math.floor(from),
            to: Math.ceil(to),
            interval: intervalMs,
            queries: plan.queries.map((q) => ({ dataSource: 'metrics', name: q.name, query: q.query })),
            formulas: [{ formula: plan.formula }],
          },
        },
      },
    });
    return v2ToSeries(response);
  }

  async function queryV1(
    plan: DatadogQueryPlan,
    from: number,
    to: number,
    signal?: AbortSignal,
  ): Promise<ParsedSeries> {
    const { v1 } = await datadogClient();
    const response = await new v1.MetricsApi(await configuration(true, signal)).queryMetrics({
      from: Math.floor(from / 1000),
      to: Math.ceil(to / 1000),
      query: toV1Expression(plan),
    });
    return v1ToSeries(response);
  }

  async function range(
    query: string,
    from: number,
    to: number,
    stepMs: number,
    signal?: AbortSignal,
  ): Promise<Series[]> {
    const interval = chooseStepMs(from, to, stepMs, DATADOG_MAX_POINTS);
    return traceMetricsQuery(
      { provider: 'datadog', connectionId: connection.id, query, from, to, stepMs: interval },
      async (span) => {
        const plan = parseDatadogQuery(query);
        requireKeys(true);
        span.setAttribute('rampart.datadog.api', api);
        let parsed: ParsedSeries;
        try {
          if (api === 'v2') {
            try {
              parsed = await queryV2(plan, from, to, interval, signal);
            } catch (e) {
              if (!(isRampartError(e) && e.code === 'not_found')) throw e;
              api = 'v1'; // this site or proxy has no v2 query endpoint
              span.setAttribute('rampart.datadog.api', 'v1');
              parsed = await queryV1(plan, from, to, signal);
            }
          } else {
            parsed = await queryV1(plan, from, to, signal);
          }
        } catch (e) {
          throw explainQueryError(e, query);
        }
        if (parsed.errors) {
          if (parsed.series.length === 0) {
            throw new RampartError(
              'bad_request',
              `Datadog could not run the query: ${parsed.errors} — query: ${shown(query)}`,
            );
          }
          deps.onWarnings?.([parsed.errors], query);
        }
        return parsed.series;
      },
    );
  }

  async function postEvent(event: FlagEvent, signal?: AbortSignal): Promise<PostedEvent> {
    if (!event.flagKey || !event.env)
      throw new RampartError('bad_request', 'Datadog event: flagKey and env are required');
    return withSpan(
      'rampart.datadog.event',
      { 'rampart.connection.id': connection.id, 'feature_flag.key': event.flagKey },
      async () => {
        requireKeys(false);
        const title = event.title.length > TITLE_MAX ? `${event.title.slice(0, TITLE_MAX - 1)}…` : event.title;
        const text = event.text.length > TEXT_MAX ? `${event.text.slice(0, TEXT_MAX - 1)}…` : event.text;
        try {
          const { v1 } = await datadogClient();
          const res = await new v1.EventsApi(await configuration(false, signal)).createEvent({
            body: {
              title,
              text,
              tags: [`flag:${event.flagKey}`, `env:${event.env}`],
              alertType: event.alertType ?? 'info',
              ...(event.at !== undefined ? { dateHappened: Math.floor(event.at / 1000) } : {}),
            },
          });
          const id = res.event?.idStr ?? (res.event?.id !== undefined ? String(res.event.id) : undefined);
          if (!id) throw new RampartError('vendor_error', 'Datadog: malformed event response (no event id)');
          return { id, url: res.event?.url };
        } catch (e) {
          if (isRampartError(e)) {
            if (e.code === 'unauthorized')
              throw new RampartError('unauthorized', `${e.message} — check the API key`, e.details);
            throw e;
          }
          throw new RampartError(
            'vendor_error',
            `Datadog: malformed event response (${e instanceof Error ? e.message : String(e)})`,
          );
        }
      },
    );
  }

  return {
    connectionId: connection.id,
    capabilities: () => CAPABILITIES,
    range,
    postEvent,
    listMetrics: async (signal?: AbortSignal, like?: string) => {
      requireKeys(true);
      try {
        return await datadogListMetrics(configuration, like, signal);
      } catch (e) {
        throw explainQueryError(e, `metrics:${like ?? 'http.server'}`);
      }
    },
    check: async (probe, signal) => {
      if (!apiKey || !appKey)
        return [
          {
            name: 'API key',
            ok: false,
            detail: `connection "${connection.id}" has no ${!apiKey ? 'API key' : 'application key'} set`,
          },
        ];
      return checkDatadog(configuration, probe, range, signal);
    },
  };
}
