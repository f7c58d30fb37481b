import type { z } from 'zod';
import { RampartError, describeIssues, isRampartError } from '../../../shared/errors';
import { defaultHttpDeps, httpJson, safeTarget, type HttpDeps } from '../../net/http-client';

/**
 * The one door to Flagsmith's Admin API v1: `Authorization: Api-Key <key>`, every response parsed with zod, DRF
 * pagination walked by page number (the `next` URL is not followed: behind a proxy it may name another scheme or
 * host, and the key must only go to the configured one), writes sent once — except after a 429, which Flagsmith's
 * throttle answers before doing anything, and then not before its `Retry-After`.
 */

export const VENDOR = 'Flagsmith';
const PAGE_SIZE = 999; // Flagsmith's CustomPagination maximum; smaller server limits are followed page by page
const MAX_PAGES = 500;
const MAX_WRITE_RATE_LIMIT_WAITS = 2;

export interface FsTimeouts {
  readMs: number;
  writeMs: number;
}

export interface FsClientOptions {
  baseUrl: string;
  token: string;
  http?: HttpDeps;
  timeouts?: Partial<FsTimeouts>;
}


export function createFsClient(o: FsClientOptions) {
  const http = o.http ?? defaultHttpDeps;
  const timeouts: FsTimeouts = { readMs: 10_000, writeMs: 15_000, ...o.timeouts };
  const root = o.baseUrl.replace(/\/+$/, '');
  const headers = { Authorization: `Api-Key ${o.token}` };


  const urlOf = (path: string) => `${root}${path}`;

  function parse<T>(schema: z.ZodType<T>, body: unknown, method: string, url: string): T {
    const r = schema.safeParse(body);
    if (r.success) return r.data;
    const what = body === undefined ? 'an empty body' : typeof body === 'string' ? 'a body that is not JSON' : `unexpected JSON (${describeIssues(r.error, 3)})`;
    throw new RampartError('vendor_error', `${VENDOR}: malformed response from ${safeTarget(method, url)}: ${what}`);
  }

  async function get<T>(path: string, schema: z.ZodType<T>): Promise<T> {
    const url = urlOf(path);
    const res = await httpJson({ vendor: VENDOR, method: 'GET', url, headers, timeoutMs: timeouts.readMs, idempotent: true, redact: o.token }, http);
    return parse(schema, res.body, 'GET', url);
  }

  /** Every item of a paginated list, page by page until `next` is null or `enough` says stop. */
  async function all<I>(path: string, pageSchema: z.ZodType<{ next?: string | null; results: I[] }>, enough?: (items: I[]) => boolean): Promise<I[]> {
    const out: I[] = [];
    const sep = path.includes('?') ? '&' : '?';
    for (let page = 1; page <= MAX_PAGES; page++) {
      const res = await get(`${path}${sep}page=${page}&page_size=${PAGE_SIZE}`, pageSchema);
      out.push(...res.results);
      if (!res.next || res.results.length === 0 || enough?.(res.results)) break;
    }
    return out;
  }

  /** A write sent once; a 429 (Flagsmith's throttle answers before applying) is resent only after Retry-After. */
  async function write<T>(method: 'POST' | 'PATCH', path: string, body: unknown, schema: z.ZodType<T>): Promise<T> {
    const url = urlOf(path);
    const res = await httpJson(
      { vendor: VENDOR, method, url, headers, body, timeoutMs: timeouts.writeMs, idempotent: false, rateLimitResends: MAX_WRITE_RATE_LIMIT_WAITS, redact: o.token },
      http,
    );
    return parse(schema, res.body, method, url);
  }

  return { get, all, write, timeouts };
}

export type FsClient = ReturnType<typeof createFsClient>;

/** Flagsmith refuses legacy feature-state writes on a v2-versioned environment with this 400. */
export function isV2Refusal(e: unknown): boolean {
  if (!isRampartError(e) || e.code !== 'bad_request') return false;
  const body = (e.details as { body?: unknown } | undefined)?.body;
  const text = JSON.stringify(body ?? '');
  return text.includes('direct_feature_state_write_not_allowed') || /v2 feature versioning/i.test(text);
}
