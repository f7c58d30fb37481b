import type { z } from 'zod';
import type { HttpDeps } from '../../net/http-client';
import { createVendorClient, type Paging, type VendorTimeouts } from '../../net/vendor-client';

/**
 * LaunchDarkly's REST API v2 on the one vendor client (main/net/vendor-client.ts): the raw access token in
 * `Authorization` (no `Bearer`), the API version pinned with `LD-API-Version: 20240415`, `_links.next` paging that
 * never leaves the configured host (the token must not follow a link elsewhere), 405 as approval required, and
 * writes never retried except after a 429 (LaunchDarkly rejects a rate-limited call before applying it), and then
 * not before `X-Ratelimit-Reset`.
 */

export const VENDOR = 'LaunchDarkly';
export const API_VERSION = '20240415';
export const SEMANTIC_PATCH = 'application/json; domain-model=launchdarkly.semanticpatch';

/** Timers may fire a millisecond or two early against the wall clock; never arrive before the reset. */
const RESET_MARGIN_MS = 25;

export type LdTimeouts = VendorTimeouts;

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

type LdPage<I> = { items: I[]; _links?: Record<string, { href?: string } | null> };

export function createLdClient(o: LdClientOptions) {
  const client = createVendorClient({
    vendor: VENDOR,
    baseUrl: o.baseUrl,
    auth: { Authorization: o.token },
    headers: { 'LD-API-Version': API_VERSION },
    secrets: [o.token],
    http: o.http,
    timeouts: o.timeouts,
    statusCodes: { 405: 'approval_required' },
    rateLimitResetMs: ldResetMs,
    writeRateLimitResends: 2,
    maxPages: 200,
  });
  return {
    get: client.read,
    /** Follows `_links.next` (on the configured origin only) until it is absent or `enough` says stop. */
    allPages<I>(first: string, schema: z.ZodType<LdPage<I>>, enough?: (items: I[]) => boolean): Promise<I[]> {
      const paging: Paging<LdPage<I>, I> = {
        kind: 'next-link',
        next: (p) => p._links?.next?.href,
        items: (p) => p.items,
      };
      return client.all(first, schema, paging, { enough });
    },
    /** Sent once; only a 429 (nothing applied) is sent again, after the vendor's reset time. */
    patch: <T>(path: string, body: unknown, contentType: string, schema: z.ZodType<T>) =>
      client.write('PATCH', path, body, schema, { contentType }),
    parse: client.parse,
    timeouts: client.timeouts,
  };
}

export type LdClient = ReturnType<typeof createLdClient>;
