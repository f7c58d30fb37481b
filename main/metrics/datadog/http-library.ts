import type { client } from '@datadog/datadog-api-client';
import { datadogClient } from './load-client';
import { RampartError, isRampartError } from '../../../shared/errors';
import { httpJson, type HttpCall, type HttpDeps } from '../../net/http-client';

/**
 * The Datadog client's transport, replaced by Rampart's own (`httpApi` in `createConfiguration`): the official
 * client still builds the requests (paths, auth headers, JSON) and reads the answers (models), but every call
 * goes through `httpJson`, so it gets what the client's own transport lacks — a deadline on every attempt (the
 * client only takes one AbortSignal for the whole configuration), retries only for idempotent calls, and a wait
 * of at least `X-RateLimit-Reset` seconds before retrying a 429, capped so a far-away reset is reported instead of
 * waited for (the client's retry would sleep the full reset, however long, and retries POSTs blindly).
 * The client's own retry stays off (`enableRetry` defaults to false). It also gets httpJson's redaction: the
 * DD-API-KEY / DD-APPLICATION-KEY header values are masked in every answer the client reads (a body echoing a key
 * would otherwise reach the client's ApiException text, and from there errors, series labels and the audit).
 */
export interface DatadogTransportOptions {
  http: HttpDeps;
  timeoutMs: number;
  /** Reads (metric queries) are retried; writes (events) are sent once. */
  idempotent: boolean;
  maxAttempts?: number;
  signal?: AbortSignal;
}

/** Datadog's `X-RateLimit-Reset` is SECONDS until the window resets (docs.datadoghq.com/api/latest/rate-limits). */
export function datadogResetMs(headers: Headers): number | undefined {
  const v = headers.get('x-ratelimit-reset');
  if (v === null || !/^\d+(\.\d+)?$/.test(v.trim())) return undefined;
  return Number(v) * 1000;
}

const METHODS = new Set<HttpCall['method']>(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);

export class DatadogTransport implements client.HttpLibrary {
  constructor(private readonly opts: DatadogTransportOptions) {}

  async send(request: client.RequestContext): Promise<client.ResponseContext> {
    const method = request.getHttpMethod() as string as HttpCall['method'];
    if (!METHODS.has(method)) throw new RampartError('internal', `Datadog: unsupported HTTP method ${method}`);
    const body = request.getBody();
    if (body !== undefined && typeof body !== 'string')
      throw new RampartError('internal', 'Datadog: unexpected non-text request body');

    // Lower-case names, so the client's "Accept" replaces httpJson's default "accept" instead of doubling it.
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.getHeaders())) headers[name.toLowerCase()] = value;
    let lastResetSec: string | null = null;
    const observingFetch: typeof fetch = async (input, init) => {
      const res = await this.opts.http.fetch(input, init);
      lastResetSec = res.headers.get('x-ratelimit-reset');
      return res;
    };
    try {
      const res = await httpJson(
        {
          vendor: 'Datadog',
          method,
          url: request.getUrl(),
          headers,
          body,
          timeoutMs: this.opts.timeoutMs,
          idempotent: this.opts.idempotent,
          maxAttempts: this.opts.maxAttempts,
          rateLimitResetMs: datadogResetMs,
          signal: this.opts.signal,
        },
        { ...this.opts.http, fetch: observingFetch },
      );
      const text = res.body === undefined ? '' : typeof res.body === 'string' ? res.body : JSON.stringify(res.body);
      const responseHeaders: Record<string, string> = {};
      res.headers.forEach((value, name) => {
        responseHeaders[name] = value;
      });
      const { client: dd } = await datadogClient();
      return new dd.ResponseContext(res.status, responseHeaders, {
        text: async () => text,
        binary: async () => Buffer.from(text, 'utf8'),
      });
    } catch (e) {
      if (isRampartError(e) && e.code === 'rate_limited' && lastResetSec !== null) {
        const details = { ...(e.details as object), rateLimitResetSec: Number(lastResetSec) };
        throw new RampartError('rate_limited', `${e.message} (the rate limit resets in ${lastResetSec} s)`, details);
      }
      throw e;
    }
  }
}
