import type { z } from 'zod';
import { RampartError, describeIssues, type ErrorCode } from '../../../shared/errors';
import { defaultHttpDeps, httpJson, safeTarget, type HttpDeps } from '../../net/http-client';

/**
 * The one door to LaunchDarkly's REST API v2: the raw access token in `Authorization` (no `Bearer`), the API version
 * pinned with `LD-API-Version: 20240415`, every response parsed with zod, `_links.next` paging that never leaves the
 * configured host (the token must not follow a link elsewhere), and writes that are never retried except after a 429
 * (LaunchDarkly rejects a rate-limited call before applying it), and then not before `X-Ratelimit-Reset`.
 */

export const VENDOR = 'LaunchDarkly';
export const API_VERSION = '20240415';
export const SEMANTIC_PATCH = 'application/json; domain-model=launchdarkly.semanticpatch';

/** Timers may fire a millisecond or two early against the wall clock; never arrive before the reset. */
const RESET_MARGIN_MS = 25;
const MAX_WRITE_RATE_LIMIT_WAITS = 2;
const MAX_PAGES = 200;

export interface LdTimeouts {
  readMs: number;
  writeMs: number;
}

export interface LdClientOptions {
  baseUrl: string;
  token: string;
  http?: HttpDeps;
  timeouts?: Partial<LdTimeouts>;
}

/** LaunchDarkly's `X-Ratelimit-Reset` is the epoch millisecond at which the window resets. */
export function ldResetMs(headers: Headers, now: number): number | undefined {
  const v = headers.get('x-ratelimit-reset');
  if (!v || !/^\d+$/.test(v.trim())) return undefined;
  return Math.max(0, Number(v) - now) + RESET_MARGIN_MS;
}


export function createLdClient(o: LdClientOptions) {
  const http = o.http ?? defaultHttpDeps;
  const timeouts: LdTimeouts = { readMs: 10_000, writeMs: 15_000, ...o.timeouts };
  const base = new URL(o.baseUrl);
  const root = o.baseUrl.replace(/\/+$/, '');
  const headers = { Authorization: o.token, 'LD-API-Version': API_VERSION };
  const statusCodes: Partial<Record<number, ErrorCode>> = { 405: 'approval_required' };


  function urlOf(pathOrHref: string): string {
    if (/^https?:/i.test(pathOrHref)) {
      const u = new URL(pathOrHref);
      if (u.origin !== base.origin) {
        throw new RampartError('vendor_error', `${VENDOR}: refusing to follow a paging link to another host (${u.origin}); the token is only sent to ${base.origin}`);
      }
      return u.toString();
    }
    return `${root}${pathOrHref.startsWith('/') ? '' : '/'}${pathOrHref}`;
  }

  function parse<T>(schema: z.ZodType<T>, body: unknown, method: string, url: string): T {
    const r = schema.safeParse(body);
    if (r.success) return r.data;
    const what = body === undefined ? 'an empty body' : typeof body === 'string' ? 'a body that is not JSON' : `unexpected JSON (${describeIssues(r.error, 3)})`;
    throw new RampartError('vendor_error', `${VENDOR}: malformed response from ${safeTarget(method, url)}: ${what}`);
  }

  async function get<T>(path: string, schema: z.ZodType<T>): Promise<T> {
    const url = urlOf(path);
    const res = await httpJson(
      { vendor: VENDOR, method: 'GET', url, headers, timeoutMs: timeouts.readMs, idempotent: true, statusCodes, rateLimitResetMs: ldResetMs, redact: o.token },
      http,
    );
    return parse(schema, res.body, 'GET', url);
  }

  /** Follows `_links.next` until it is absent (or `enough` says stop), returning every item in order. */
  async function allPages<I>(
    first: string,
    schema: z.ZodType<{ items: I[]; _links?: Record<string, { href?: string } | null> }>,
    enough?: (items: I[]) => boolean,
  ): Promise<I[]> {
    const out: I[] = [];
    let next: string | undefined = first;
    for (let n = 0; next && n < MAX_PAGES; n++) {
      const page: { items: I[]; _links?: Record<string, { href?: string } | null> } = await get(next, schema);
      out.push(...page.items);
      if (page.items.length === 0 || enough?.(page.items)) break;
      next = page._links?.next?.href ?? undefined;
    }
    return out;
  }

  /**
   * A PATCH that is sent once; only a 429 (nothing applied) is sent again, after the vendor's reset time. The answer
   * (the updated flag) is parsed; if it is malformed after the write applied, the caller's read-back settles it.
   */
  async function patch<T>(path: string, body: unknown, contentType: string, schema: z.ZodType<T>): Promise<T> {
    const url = urlOf(path);
    const res = await httpJson(
      {
        vendor: VENDOR,
        method: 'PATCH',
        url,
        headers: { ...headers, 'content-type': contentType },
        body,
        timeoutMs: timeouts.writeMs,
        idempotent: false,
        rateLimitResends: MAX_WRITE_RATE_LIMIT_WAITS,
        rateLimitResetMs: ldResetMs,
        statusCodes,
        redact: o.token,
      },
      http,
    );
    return parse(schema, res.body, 'PATCH', url);
  }

  return { get, allPages, patch, parse, timeouts };
}

export type LdClient = ReturnType<typeof createLdClient>;
