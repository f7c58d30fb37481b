import type { z } from 'zod';
import type { PrometheusConnection as PrometheusConnectionSchema } from '../../../shared/domain/connections';
import { RampartError, isRampartError, type ErrorCode } from '../../../shared/errors';
import { defaultHttpDeps, httpJson, type HttpDeps } from '../../net/http-client';
import { traceMetricsQuery } from '../../telemetry/tracing';
import type { MetricsCapabilities, MetricsProvider, Series } from '../metrics-provider';
import { PromErrorEnvelope, PromRangeSuccess, matrixToSeries } from './response';
import { chooseStepMs, pointCount } from './step';

export type PrometheusConnection = z.infer<typeof PrometheusConnectionSchema>;

export interface PrometheusProviderOptions {
  connection: PrometheusConnection;
  /** Bearer token, or the password for basic auth. Never logged, never put in a message. */
  secret?: string;
  http?: HttpDeps;
  /** Per-attempt deadline; SECURITY.md caps metrics calls at 10 s. */
  timeoutMs?: number;
  /** Attempts for a read (retries on 429/502/503/504 and network errors, honouring Retry-After). */
  maxAttempts?: number;
  /** Prometheus' own `warnings` (e.g. partial data from a remote-read store), per query. */
  onWarnings?: (warnings: string[], query: string) => void;
}

/** Prometheus refuses (end - start) / step > 11,000 (web/api/v1/api.go). */
export const PROMETHEUS_MAX_POINTS = 11_000;
const DEFAULT_TIMEOUT_MS = 10_000;
const QUERY_IN_MESSAGE_MAX = 500;

const CAPABILITIES: MetricsCapabilities = { maxPointsPerSeries: PROMETHEUS_MAX_POINTS, nativePercentiles: true, timeUnit: 's' };

/** errorType (the envelope's) → Rampart code. `execution` (422) is a query that cannot run as written. */
const ERROR_TYPE_CODES: Record<string, ErrorCode> = {
  bad_data: 'bad_request',
  execution: 'bad_request',
  timeout: 'timeout',
  canceled: 'timeout',
  not_found: 'not_found',
  unavailable: 'vendor_error',
  internal: 'vendor_error',
};

export function shownQuery(query: string): string {
  const oneLine = query.replace(/\s+/g, ' ').trim();
  return oneLine.length > QUERY_IN_MESSAGE_MAX ? `${oneLine.slice(0, QUERY_IN_MESSAGE_MAX)}…` : oneLine;
}

function authHeader(opts: PrometheusProviderOptions): Record<string, string> {
  const { connection, secret } = opts;
  if (connection.auth === 'none') return {};
  if (!secret) {
    throw new RampartError('unauthorized', `Prometheus: connection "${connection.id}" uses ${connection.auth} auth but no secret is set`);
  }
  if (connection.auth === 'bearer') return { authorization: `Bearer ${secret}` };
  if (!connection.username) {
    throw new RampartError('unauthorized', `Prometheus: connection "${connection.id}" uses basic auth but has no username`);
  }
  return { authorization: `Basic ${Buffer.from(`${connection.username}:${secret}`, 'utf8').toString('base64')}` };
}

/** Turns an HTTP-level failure into a message that says what Prometheus objected to, with the PromQL. */
function explain(e: unknown, query: string): unknown {
  if (!isRampartError(e)) return e;
  const details = (e.details ?? {}) as { status?: number; body?: unknown };
  const envelope = PromErrorEnvelope.safeParse(details.body);
  if (!envelope.success) {
    if (e.code === 'bad_request' || e.code === 'vendor_error') {
      return new RampartError(e.code, `${e.message} — PromQL: ${shownQuery(query)}`, e.details);
    }
    return e;
  }
  const { errorType, error } = envelope.data;
  const code = ERROR_TYPE_CODES[errorType] ?? 'vendor_error';
  return new RampartError(
    code,
    `Prometheus rejected the query (${errorType}, HTTP ${details.status ?? '?'}): ${error} — PromQL: ${shownQuery(query)}`,
    { status: details.status, errorType, error },
  );
}

export function createPrometheusProvider(opts: PrometheusProviderOptions): MetricsProvider {
  const { connection } = opts;
  const http = opts.http ?? defaultHttpDeps;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const base = new URL(connection.url.endsWith('/') ? connection.url : `${connection.url}/`);
  if (base.username || base.password) {
    // fetch refuses such URLs and echoes them — password included — in its error message.
    throw new RampartError('bad_request', `Prometheus: connection "${connection.id}" has credentials in its URL; use its auth setting instead`);
  }
  const endpoint = new URL('api/v1/query_range', base).toString();

  async function range(query: string, from: number, to: number, stepMs: number, signal?: AbortSignal): Promise<Series[]> {
    if (query.trim().length === 0) throw new RampartError('bad_request', 'Prometheus: the PromQL query is empty');
    const step = chooseStepMs(from, to, stepMs, PROMETHEUS_MAX_POINTS);
    // Evaluation instants on multiples of the step: a refresh a few seconds later returns the same timestamps,
    // so cached points line up and charts do not shimmer.
    const aligned = Math.ceil(from / step) * step;
    const start = aligned <= to ? aligned : from;
    const grid = { startMs: start, stepMs: step, count: Math.max(0, pointCount(start, to, step)) };

    return traceMetricsQuery({ provider: 'prometheus', connectionId: connection.id, query, from, to, stepMs: step }, async (span) => {
      const form = new URLSearchParams({
        query,
        start: (start / 1000).toFixed(3),
        end: (to / 1000).toFixed(3),
        step: `${step / 1000}`,
        // Let Prometheus give up when we do, instead of burning CPU on an answer nobody reads.
        timeout: `${Math.max(1, Math.floor(timeoutMs / 1000))}s`,
      });
      let body: unknown;
      try {
        const res = await httpJson(
          {
            vendor: 'Prometheus',
            method: 'POST',
            url: endpoint,
            headers: authHeader(opts),
            body: form,
            timeoutMs,
            idempotent: true,
            maxAttempts: opts.maxAttempts,
            signal,
          },
          http,
        );
        body = res.body;
      } catch (e) {
        throw explain(e, query);
      }
      const parsed = PromRangeSuccess.safeParse(body);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new RampartError(
          'vendor_error',
          `Prometheus: malformed query_range response (${issue.path.join('.') || 'body'}: ${issue.message}) — PromQL: ${shownQuery(query)}`,
        );
      }
      const warnings = parsed.data.warnings ?? [];
      if (warnings.length > 0) {
        span.addEvent('prometheus.warnings', { count: warnings.length });
        opts.onWarnings?.(warnings, query);
      }
      return matrixToSeries(parsed.data, grid);
    });
  }

  return { connectionId: connection.id, capabilities: () => CAPABILITIES, range };
}
