import type { z } from 'zod';
import { RampartError, describeIssues, isRampartError, type ErrorCode } from '../../shared/errors';
import { defaultHttpDeps, httpJson, safeTarget, type HttpCall, type HttpDeps } from './http-client';
import { collectPages, type Paging } from './vendor-paging';
import { baseOf, resolveLink, urlOf, type Query } from './vendor-paths';

/**
 * The one vendor REST client every flag-store adapter builds on (issue 13: one client instead of three copies).
 * On top of httpJson's deadlines, idempotent retries with jitter, rate-limit waits and redaction, it owns:
 * - the base URL, encoded paths and queries, and paging links that never leave the configured origin;
 * - the credential headers, and the secrets named to httpJson explicitly (whatever its defaults);
 * - a zod parse of EVERY answer, a malformed one becoming `vendor_error` "<Vendor>: malformed response from <METHOD
 *   origin+path>: <first issues>";
 * - paging by page number, offset/limit or next link (./vendor-paging.ts);
 * - writes sent once: never retried after a 5xx, a reset or a timeout (they may have landed; the caller's
 *   read-back settles it), resent only after a 429 from a vendor whose throttle answers before applying, and then
 *   not before the reset time it gave;
 * - the vendor's own status map (405 → approval_required) and, for vendors whose status alone is ambiguous, a
 *   classification by status and body.
 */

export interface VendorTimeouts {
  readMs: number;
  writeMs: number;
}

export interface VendorClientOptions {
  /** Vendor name for every message: "GrowthBook", "LaunchDarkly", … */
  vendor: string;
  baseUrl: string;
  /** Headers carrying the credential, e.g. `{ authorization: 'Bearer …' }`. Their values are masked everywhere. */
  auth: Record<string, string>;
  /** Protocol headers sent on every call (an API version pin). Not secrets. */
  headers?: Record<string, string>;
  /** Secrets to mask beyond the auth header values: the raw token, whatever the server echoes back. */
  secrets?: readonly (string | undefined)[];
  http?: HttpDeps;
  /** Per-attempt deadlines (docs/security.md: reads ≤ 10 s, writes ≤ 15 s). */
  timeouts?: Partial<VendorTimeouts>;
  /** Attempts of an idempotent read (httpJson's default when unset). */
  readAttempts?: number;
  /**
   * How often a rate-limited WRITE may be sent again after the vendor's reset time. Only for vendors whose
   * throttle refuses before applying anything (LaunchDarkly, Flagsmith, GrowthBook's express-rate-limit); 0 keeps
   * every write to exactly one request.
   */
  writeRateLimitResends?: number;
  statusCodes?: Partial<Record<number, ErrorCode>>;
  /**
   * A code for an error answer from its status and body, where the status alone misleads (GrowthBook answers 400
   * for a missing feature). undefined keeps the status mapping. The message (which quotes the server) is kept.
   */
  classify?: (status: number, body: unknown) => ErrorCode | undefined;
  /** The vendor's own rate-limit reset header, in ms from now (Retry-After is always read as well). */
  rateLimitResetMs?: HttpCall['rateLimitResetMs'];
  /** A guard against a server that pages forever; a listing longer than this is an error, never cut short. */
  maxPages?: number;
}

export interface ReadOptions {
  query?: Query;
  /** Tighter limits for a read on a latency budget (a rollback's pre-read must not delay its write). */
  timeoutMs?: number;
  attempts?: number;
}

export interface WriteOptions {
  query?: Query;
  /** A media type other than JSON (LaunchDarkly's semantic patch). */
  contentType?: string;
  /**
   * > 1 only for a write whose effect is absolute and which the vendor records once however often it arrives
   * (Unleash environment on/off): it is then retried like a read. Default 1.
   */
  attempts?: number;
}

export interface VendorAnswer<T> {
  body: T;
  headers: Headers;
  status: number;
}

const DEFAULT_MAX_PAGES = 500;

export function createVendorClient(o: VendorClientOptions) {
  const http = o.http ?? defaultHttpDeps;
  const timeouts: VendorTimeouts = { readMs: 10_000, writeMs: 15_000, ...o.timeouts };
  const { root, origin } = baseOf(o.vendor, o.baseUrl);
  const headers = { ...o.headers, ...o.auth };
  const redact = [...Object.values(o.auth), ...(o.secrets ?? [])];

  /** Parses a vendor body, or throws vendor_error naming the request and the first problems. */
  function parse<T>(schema: z.ZodType<T>, body: unknown, method: string, url: string): T {
    const r = schema.safeParse(body);
    if (r.success) return r.data;
    const what =
      body === undefined
        ? 'an empty body'
        : typeof body === 'string'
          ? 'a body that is not JSON'
          : `unexpected JSON (${describeIssues(r.error, 3)})`;
    throw new RampartError('vendor_error', `${o.vendor}: malformed response from ${safeTarget(method, url)}: ${what}`);
  }

  function classified(e: unknown): unknown {
    if (!o.classify || !isRampartError(e)) return e;
    const d = e.details as { status?: number; body?: unknown } | undefined;
    const code = typeof d?.status === 'number' ? o.classify(d.status, d.body) : undefined;
    return code && code !== e.code ? new RampartError(code, e.message, e.details) : e;
  }

  /** One exchange with everything the vendor answered (headers too: Unleash places events by the server's Date). */
  async function exchange<T>(
    call: {
      method: HttpCall['method'];
      url: string;
      body?: unknown;
      idempotent: boolean;
      attempts?: number;
      timeoutMs: number;
      contentType?: string;
    },
    schema: z.ZodType<T>,
  ): Promise<VendorAnswer<T>> {
    const write = call.method !== 'GET';
    let res;
    try {
      res = await httpJson(
        {
          vendor: o.vendor,
          method: call.method,
          url: call.url,
          headers: call.contentType ? { ...headers, 'content-type': call.contentType } : headers,
          body: call.body,
          timeoutMs: call.timeoutMs,
          idempotent: call.idempotent,
          ...(call.attempts !== undefined ? { maxAttempts: call.attempts } : {}),
          ...(write && !call.idempotent ? { rateLimitResends: o.writeRateLimitResends ?? 0 } : {}),
          redact,
          statusCodes: o.statusCodes,
          rateLimitResetMs: o.rateLimitResetMs,
        },
        http,
      );
    } catch (e) {
      throw classified(e);
    }
    return { body: parse(schema, res.body, call.method, call.url), headers: res.headers, status: res.status };
  }

  function readAnswer<T>(path: string, schema: z.ZodType<T>, opts: ReadOptions = {}): Promise<VendorAnswer<T>> {
    const attempts = opts.attempts ?? o.readAttempts;
    return exchange(
      {
        method: 'GET',
        url: urlOf(root, path, opts.query),
        idempotent: true,
        attempts,
        timeoutMs: opts.timeoutMs ?? timeouts.readMs,
      },
      schema,
    );
  }

  async function read<T>(path: string, schema: z.ZodType<T>, opts?: ReadOptions): Promise<T> {
    return (await readAnswer(path, schema, opts)).body;
  }

  /** A write sent once (see the header); its answer is parsed too — if malformed after applying, the read-back settles it. */
  async function write<T>(
    method: 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    path: string,
    body: unknown,
    schema: z.ZodType<T>,
    opts: WriteOptions = {},
  ): Promise<T> {
    const attempts = Math.max(1, opts.attempts ?? 1);
    const url = urlOf(root, path, opts.query);
    return (
      await exchange(
        {
          method,
          url,
          body,
          idempotent: attempts > 1,
          attempts,
          timeoutMs: timeouts.writeMs,
          contentType: opts.contentType,
        },
        schema,
      )
    ).body;
  }

  /** Every item of a paged listing, in order, until the vendor says there is no more or `enough` stops it. */
  function all<P, I>(
    path: string,
    schema: z.ZodType<P>,
    paging: Paging<P, I>,
    opts: { query?: Query; enough?: (items: I[]) => boolean; attempts?: number; timeoutMs?: number } = {},
  ): Promise<I[]> {
    return collectPages({
      vendor: o.vendor,
      first: urlOf(root, path, opts.query),
      paging,
      maxPages: o.maxPages ?? DEFAULT_MAX_PAGES,
      fetchPage: (url) =>
        exchange(
          {
            method: 'GET',
            url,
            idempotent: true,
            attempts: opts.attempts ?? o.readAttempts,
            timeoutMs: opts.timeoutMs ?? timeouts.readMs,
          },
          schema,
        ).then((a) => a.body),
      resolveLink: (href) => resolveLink(o.vendor, root, origin, href),
      enough: opts.enough,
    });
  }

  return {
    vendor: o.vendor,
    origin,
    timeouts,
    url: (path: string, query?: Query) => urlOf(root, path, query),
    read,
    readAnswer,
    write,
    all,
    parse,
    /** The clock the HTTP client uses (a fake one in tests). */
    now: (): number => http.now(),
  };
}

export type VendorClient = ReturnType<typeof createVendorClient>;
export type { Paging } from './vendor-paging';
export { pathOf, type Query } from './vendor-paths';
