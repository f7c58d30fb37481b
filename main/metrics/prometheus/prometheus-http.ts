import type { z } from 'zod';
import type { PrometheusConnection as PrometheusConnectionSchema } from '../../../shared/domain/connections';
import { RampartError, isRampartError, type ErrorCode } from '../../../shared/errors';
import { httpJson, type HttpDeps } from '../../net/http-client';
import { PromErrorEnvelope } from './response';

export type PrometheusConnection = z.infer<typeof PrometheusConnectionSchema>;

const QUERY_IN_MESSAGE_MAX = 500;

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

export function authHeader(connection: PrometheusConnection, secret: string | undefined): Record<string, string> {
  if (connection.auth === 'none') return {};
  if (!secret) {
    throw new RampartError(
      'unauthorized',
      `Prometheus: connection "${connection.id}" uses ${connection.auth} auth but no secret is set`,
    );
  }
  if (connection.auth === 'bearer') return { authorization: `Bearer ${secret}` };
  if (!connection.username) {
    throw new RampartError(
      'unauthorized',
      `Prometheus: connection "${connection.id}" uses basic auth but has no username`,
    );
  }
  return { authorization: `Basic ${Buffer.from(`${connection.username}:${secret}`, 'utf8').toString('base64')}` };
}

/** Turns an HTTP-level failure into a message that says what Prometheus objected to, with the PromQL. */
export function explain(e: unknown, query: string | null): unknown {
  if (!isRampartError(e)) return e;
  const details = (e.details ?? {}) as { status?: number; body?: unknown };
  const envelope = PromErrorEnvelope.safeParse(details.body);
  const promql = query === null ? '' : ` — PromQL: ${shownQuery(query)}`;
  if (!envelope.success) {
    if (e.code === 'bad_request' || e.code === 'vendor_error')
      return new RampartError(e.code, `${e.message}${promql}`, e.details);
    return e;
  }
  const { errorType, error } = envelope.data;
  const code = ERROR_TYPE_CODES[errorType] ?? 'vendor_error';
  return new RampartError(
    code,
    `Prometheus rejected the query (${errorType}, HTTP ${details.status ?? '?'}): ${error}${promql}`,
    {
      status: details.status,
      errorType,
      error,
    },
  );
}

export interface PromClient {
  /** POST a form to an API path (query, query_range) or GET one (labels, metadata, buildinfo). */
  call(
    path: string,
    opts: { form?: URLSearchParams; query: string | null; signal?: AbortSignal; maxAttempts?: number },
  ): Promise<unknown>;
}

export function createPromClient(o: {
  connection: PrometheusConnection;
  secret?: string;
  http: HttpDeps;
  timeoutMs: number;
  maxAttempts?: number;
}): PromClient {
  const { connection } = o;
  const base = new URL(connection.url.endsWith('/') ? connection.url : `${connection.url}/`);
  if (base.username || base.password) {
    // fetch refuses such URLs and echoes them — password included — in its error message.
    throw new RampartError(
      'bad_request',
      `Prometheus: connection "${connection.id}" has credentials in its URL; use its auth setting instead`,
    );
  }
  return {
    async call(path, c) {
      try {
        const res = await httpJson(
          {
            vendor: 'Prometheus',
            method: c.form ? 'POST' : 'GET',
            url: new URL(path, base).toString(),
            headers: authHeader(connection, o.secret),
            body: c.form,
            timeoutMs: o.timeoutMs,
            idempotent: true,
            maxAttempts: c.maxAttempts ?? o.maxAttempts,
            signal: c.signal,
            redact: o.secret,
          },
          o.http,
        );
        return res.body;
      } catch (e) {
        throw explain(e, c.query);
      }
    },
  };
}
