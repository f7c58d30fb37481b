import type { ErrorCode } from '../../../shared/errors';
import { isRampartError } from '../../../shared/errors';
import type { HttpDeps } from '../../net/http-client';
import { serverMessage } from '../../net/http-client';
import { createVendorClient, type VendorClient, type VendorTimeouts } from '../../net/vendor-client';

/**
 * GrowthBook's REST API v1 through the one vendor client (docs/growthbook.md): `Authorization: Bearer secret_…`,
 * `limit`/`offset` paging with `hasMore`/`nextOffset`, and its error conventions — every handler error is
 * `{message}` with the error's own status or 400, so "not found" is often a 400 and "needs a review" a 400, 403 or
 * 422: those are classified by their message. Its rate limit (express-rate-limit, 60 requests a minute per key by
 * default) answers 429 before any handler runs, with `Retry-After` and `RateLimit-Reset` in seconds, so a throttled
 * write is sent again after the reset, at most twice.
 */

export const VENDOR = 'GrowthBook';
const MAX_WRITE_RATE_LIMIT_WAITS = 2;

/** `RateLimit-Reset` (draft-6 headers): whole seconds until the window resets. */
export function gbResetMs(headers: Headers): number | undefined {
  const v = headers.get('ratelimit-reset');
  return v && /^\d+$/.test(v.trim()) ? Number(v) * 1000 : undefined;
}

const APPROVAL =
  /requires? (a )?(review|approval)|approval (is )?required|publish blocked by|bypass (approval|review)/i;
const MISSING = /could not find|not found|does not exist/i;

export function classifyGb(status: number, body: unknown): ErrorCode | undefined {
  const text = serverMessage(body) ?? '';
  if ([400, 403, 422].includes(status) && APPROVAL.test(text)) return 'approval_required';
  if (status === 400 && MISSING.test(text)) return 'not_found';
  return undefined;
}

/** A 404 for the route itself: a server older than the revisions (drafts) endpoints. */
export function isUnknownEndpoint(e: unknown): boolean {
  if (!isRampartError(e) || e.code !== 'not_found') return false;
  const d = e.details as { status?: number; body?: unknown } | undefined;
  return d?.status === 404 && /unknown api endpoint/i.test(serverMessage(d.body) ?? '');
}

export interface GbClientOptions {
  baseUrl: string;
  token: string;
  http?: HttpDeps;
  timeouts?: Partial<VendorTimeouts>;
}

export function createGbClient(o: GbClientOptions): VendorClient {
  return createVendorClient({
    vendor: VENDOR,
    baseUrl: o.baseUrl,
    auth: { authorization: `Bearer ${o.token}` },
    secrets: [o.token],
    http: o.http,
    timeouts: o.timeouts,
    writeRateLimitResends: MAX_WRITE_RATE_LIMIT_WAITS,
    classify: classifyGb,
    rateLimitResetMs: gbResetMs,
  });
}
