import type { z } from 'zod';
import { isRampartError } from '../../../shared/errors';
import type { HttpDeps } from '../../net/http-client';
import { createVendorClient, type Paging, type VendorTimeouts } from '../../net/vendor-client';

/**
 * Flagsmith's Admin API v1 on the one vendor client (main/net/vendor-client.ts): `Authorization: Api-Key <key>`,
 * DRF pagination walked by page number (the `next` URL is not followed: behind a proxy it may name another scheme
 * or host, and the key must only go to the configured one), writes sent once — except after a 429, which
 * Flagsmith's throttle answers before doing anything, and then not before its `Retry-After`.
 */

export const VENDOR = 'Flagsmith';
const PAGE_SIZE = 999; // Flagsmith's CustomPagination maximum; smaller server limits are followed page by page

export type FsTimeouts = VendorTimeouts;

export interface FsClientOptions {
  baseUrl: string;
  token: string;
  http?: HttpDeps;
  timeouts?: Partial<FsTimeouts>;
}

type DrfPage<I> = { next?: string | null; results: I[] };

export function createFsClient(o: FsClientOptions) {
  const client = createVendorClient({
    vendor: VENDOR,
    baseUrl: o.baseUrl,
    auth: { Authorization: `Api-Key ${o.token}` },
    secrets: [o.token],
    http: o.http,
    timeouts: o.timeouts,
    writeRateLimitResends: 2,
    maxPages: 500,
  });
  return {
    get: client.read,
    /** Every item of a paginated list, page by page until `next` is null or `enough` says stop. */
    all<I>(
      path: string,
      pageSchema: z.ZodType<DrfPage<I>>,
      enough?: (items: I[]) => boolean,
      budget?: { attempts: number; timeoutMs: number },
    ): Promise<I[]> {
      const paging: Paging<DrfPage<I>, I> = {
        kind: 'page-number',
        size: PAGE_SIZE,
        hasNext: (p) => Boolean(p.next),
        items: (p) => p.results,
      };
      return client.all(path, pageSchema, paging, { enough, ...budget });
    },
    write: <T>(method: 'POST' | 'PATCH', path: string, body: unknown, schema: z.ZodType<T>) =>
      client.write(method, path, body, schema),
    timeouts: client.timeouts,
  };
}

export type FsClient = ReturnType<typeof createFsClient>;

/** Flagsmith refuses legacy feature-state writes on a v2-versioned environment with this 400. */
export function isV2Refusal(e: unknown): boolean {
  if (!isRampartError(e) || e.code !== 'bad_request') return false;
  const body = (e.details as { body?: unknown } | undefined)?.body;
  const text = JSON.stringify(body ?? '');
  return text.includes('direct_feature_state_write_not_allowed') || /v2 feature versioning/i.test(text);
}
