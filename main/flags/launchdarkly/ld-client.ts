import type { z } from 'zod';
import { RampartError, isRampartError, type ErrorCode } from '../../../shared/errors';
import { defaultHttpDeps, httpJson, retryAfterMs, safeTarget, type HttpDeps } from '../../net/http-client';

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
const MAX_RESET_WAIT_MS = 30_000;
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

/** A problem list from zod in one line: `items.0.variations: expected array, received undefined`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`)
    .join('; ');
}

export function createLdClient(o: LdClientOptions) {
  const http = o.http ?? defaultHttpDeps;
  const timeouts: LdTimeouts = { readMs: 10_000, writeMs: 15_000, ...o.timeouts };
  const base = new URL(o.baseUrl);
  const root = o.baseUrl.replace(/\/+$/, '');
  const headers = { Authorization: o.token, 'LD-API-Version': API_VERSION };
  const statusCodes: Partial<Record<number, ErrorCode>> = { 405: 'approval_required' };

  /** Never let the secret reach a message or error details, whatever the server echoed back. */
  function scrub(e: unknown): unknown {
    if (!isRampartError(e) || o.token.length < 4) return e;
    const leaks = (s: string) => s.includes(o.token);
    const details = e.details === undefined || !leaks(JSON.stringify(e.details)) ? e.details : { status: (e.details as { status?: number }).status };
    return leaks(e.message) || details !== e.details ? new RampartError(e.code, e.message.split(o.token).join('[redacted]'), details) : e;
  }

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
    const what = body === undefined ? 'an empty body' : typeof body === 'string' ? 'a body that is not JSON' : `unexpected JSON (${describeIssues(r.error)})`;
    throw new RampartError('vendor_error', `${VENDOR}: malformed response from ${safeTarget(method, url)}: ${what}`);
  }

  async function get<T>(path: string, schema: z.ZodType<T>): Promise<T> {
    const url = urlOf(path);
    try {
      const res = await httpJson(
        { vendor: VENDOR, method: 'GET', url, headers, timeoutMs: timeouts.readMs, idempotent: true, statusCodes, rateLimitResetMs: ldResetMs },
        http,
      );
      return parse(schema, res.body, 'GET', url);
    } catch (e) {
      throw scrub(e);
    }
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
    for (let attempt = 0; ; attempt++) {
      let seen: Headers | undefined;
      const deps: HttpDeps = {
        ...http,
        fetch: async (input, init) => {
          const res = await http.fetch(input, init);
          seen = res.headers;
          return res;
        },
      };
      try {
        // `content-type` in lower case: httpJson adds that exact key itself when absent, and two would merge.
        const res = await httpJson(
          { vendor: VENDOR, method: 'PATCH', url, headers: { ...headers, 'content-type': contentType }, body, timeoutMs: timeouts.writeMs, idempotent: false, statusCodes },
          deps,
        );
        return parse(schema, res.body, 'PATCH', url);
      } catch (e) {
        if (isRampartError(e) && e.code === 'rate_limited' && seen && attempt < MAX_WRITE_RATE_LIMIT_WAITS) {
          const now = http.now();
          const wait = ldResetMs(seen, now) ?? retryAfterMs(seen, now);
          if (wait !== undefined && wait <= MAX_RESET_WAIT_MS) {
            await http.sleep(wait);
            continue;
          }
        }
        throw scrub(e);
      }
    }
  }

  return { get, allPages, patch, parse, timeouts };
}

export type LdClient = ReturnType<typeof createLdClient>;
