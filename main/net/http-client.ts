import { RampartError, type ErrorCode } from '../../shared/errors';
import { REASONS, retryAfterMs, statusCode } from './http-status';
import { redactHeaders, redactText, redactValue, secretsOfCall } from './redact';

export { retryAfterMs } from './http-status';

/**
 * The one outbound HTTP path for every adapter: a deadline on every attempt, retries only for idempotent calls,
 * capped exponential backoff with full jitter, and never a retry before the server's own reset time
 * (Retry-After, or a vendor header such as Datadog's X-RateLimit-Reset or LaunchDarkly's X-Ratelimit-Reset).
 * Errors come out as RampartError naming the vendor and the reason. Redaction is on by default (./redact.ts): every
 * header value of the call (and each `redact` secret) is masked wherever it comes back — error messages and details,
 * and the bodies and headers of successful answers, which adapters pass on to the UI, CLI, SSE and audit.
 */
export interface HttpCall {
  /** Vendor name for messages: "Unleash", "Prometheus", … */
  vendor: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  /** JSON body (serialized here) or a pre-encoded string/URLSearchParams. */
  body?: unknown;
  /** Per-attempt deadline. Metrics ≤ 10 s, writes ≤ 15 s (docs/security.md). */
  timeoutMs: number;
  /** Only idempotent calls are retried (reads; PATCH/PUT that set an absolute value may opt in). */
  idempotent: boolean;
  maxAttempts?: number; // default 4 for idempotent calls, always 1 otherwise
  /**
   * For a NON-idempotent call: how many times a 429 may be resent. Only for vendors whose throttle answers before
   * doing anything (LaunchDarkly, Flagsmith), and never before the reset time the vendor gave; without one, no resend.
   */
  rateLimitResends?: number;
  /**
   * Secrets beyond the headers' own values that must never come back, whatever the server echoed (e.g. one sent in
   * a body or a query). Header values are always masked; there is no way to turn redaction off.
   */
  redact?: string | readonly (string | undefined)[];
  /** Extra status → code mapping for vendor specifics (e.g. LaunchDarkly 405 → approval_required). */
  statusCodes?: Partial<Record<number, ErrorCode>>;
  /** How long until the vendor's rate-limit window resets, read from its own headers, in ms from now. */
  rateLimitResetMs?: (headers: Headers, now: number) => number | undefined;
  signal?: AbortSignal;
}

export interface HttpResult<T> {
  status: number;
  headers: Headers;
  body: T;
}

export interface HttpDeps {
  fetch: typeof fetch;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  random: () => number;
}

export const defaultHttpDeps: HttpDeps = {
  fetch: (...a) => fetch(...a),
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  now: () => Date.now(),
  random: Math.random,
};

const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);
const BASE_BACKOFF_MS = 250;
const MAX_BACKOFF_MS = 8_000;
/** Past this, a rate-limit reset is too far away to wait for inside one user action. */
const MAX_RESET_WAIT_MS = 30_000;

/** Where the request went, without query strings (they may carry keys) or credentials. */
export function safeTarget(method: string, url: string): string {
  try {
    const u = new URL(url);
    return `${method} ${u.origin}${u.pathname}`;
  } catch {
    return method;
  }
}

async function readBody(res: Response): Promise<unknown> {
  const text = await res.text();
  if (text.length === 0) return undefined;
  const type = res.headers.get('content-type') ?? '';
  if (type.includes('json') || /^[\s]*[{[]/.test(text)) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

/** A short server-side explanation from common error bodies ({message}, {error}, {detail}, Prometheus' {error}). */
export function serverMessage(body: unknown): string | undefined {
  if (typeof body === 'string') return body.slice(0, 300);
  if (body && typeof body === 'object') {
    const o = body as Record<string, unknown>;
    for (const k of ['message', 'error', 'detail', 'errors']) {
      const v = o[k];
      if (typeof v === 'string') return v.slice(0, 300);
      if (Array.isArray(v) && v.length > 0)
        return String(typeof v[0] === 'object' ? JSON.stringify(v[0]) : v[0]).slice(0, 300);
    }
  }
  return undefined;
}

/** Masks every secret in the message and details of an error (the details keep their shape: status, body, …). */
export function redactError(e: RampartError, secrets: readonly string[]): RampartError {
  if (secrets.length === 0) return e;
  const message = redactText(e.message, secrets);
  const details = redactValue(e.details, secrets);
  return message === e.message && details === e.details ? e : new RampartError(e.code, message, details);
}

export async function httpJson<T = unknown>(call: HttpCall, deps: HttpDeps = defaultHttpDeps): Promise<HttpResult<T>> {
  const secrets = secretsOfCall(call.headers, typeof call.redact === 'string' ? [call.redact] : (call.redact ?? []));
  let res: HttpResult<T>;
  try {
    res = await send<T>(call, deps, secrets);
  } catch (e) {
    if (e instanceof RampartError) throw redactError(e, secrets);
    // Not ours (a bug, or a fetch stand-in's own error): its text may still quote the request.
    throw e instanceof Error ? Object.assign(new Error(redactText(e.message, secrets)), { name: e.name }) : e;
  }
  return { status: res.status, headers: redactHeaders(res.headers, secrets), body: redactValue(res.body, secrets) };
}

/** Same-origin redirects a GET follows; the credentials never go to another origin (see `follow`). */
const MAX_REDIRECTS = 5;

/**
 * Fetches with redirects handled here, not by fetch: fetch drops only `Authorization` on a cross-origin hop, so
 * Datadog's `DD-API-KEY`/`DD-APPLICATION-KEY` (and any vendor's custom key header) would go to whatever host a
 * redirect names. A GET follows redirects within its origin; any other redirect is an error naming where it
 * pointed (origin and path only), so the user can fix the URL.
 */
async function follow(call: HttpCall, deps: HttpDeps, init: RequestInit, target: string): Promise<Response> {
  let url = call.url;
  for (let hop = 0; ; hop++) {
    const res = await deps.fetch(url, { ...init, redirect: 'manual' });
    if (res.status < 300 || res.status > 399 || res.status === 304) return res;
    const location = res.headers.get('location');
    // A Location that is not a URL is the server's fault, named as such — not a TypeError read as "unreachable".
    const next = location && URL.canParse(location, url) ? new URL(location, url) : null;
    const sameOrigin = next !== null && next.origin === new URL(url).origin;
    if (sameOrigin && call.method === 'GET' && hop < MAX_REDIRECTS) {
      await res.body?.cancel();
      url = next.href;
      continue;
    }
    await res.body?.cancel();
    const where = next
      ? `${next.origin}${next.pathname}`
      : location
        ? 'a Location header that is not a URL'
        : 'nowhere (no Location header)';
    const why = !next
      ? 'so there is nothing to follow'
      : !sameOrigin
        ? 'another origin: Rampart does not send the connection’s credentials there — if that is the server, use its URL'
        : call.method !== 'GET'
          ? 'the same origin, but only reads follow redirects'
          : `the same origin, past ${MAX_REDIRECTS} hops`;
    throw new RampartError(
      'vendor_error',
      `${call.vendor}: redirected (HTTP ${res.status} on ${target}) to ${where}, ${why}`,
      { status: res.status },
    );
  }
}

async function send<T>(call: HttpCall, deps: HttpDeps, secrets: readonly string[]): Promise<HttpResult<T>> {
  const resends = call.idempotent ? 0 : Math.max(0, call.rateLimitResends ?? 0);
  const attempts = call.idempotent ? Math.max(1, call.maxAttempts ?? 4) : 1 + resends;
  const target = safeTarget(call.method, call.url);
  // Header names are case-insensitive: normalize so a caller's `Content-Type` is not merged with our default.
  const headers: Record<string, string> = { accept: 'application/json' };
  for (const [k, v] of Object.entries(call.headers ?? {})) headers[k.toLowerCase()] = v;
  let body: string | URLSearchParams | undefined;
  if (call.body instanceof URLSearchParams || typeof call.body === 'string') body = call.body;
  else if (call.body !== undefined) {
    body = JSON.stringify(call.body);
    headers['content-type'] ??= 'application/json';
  }

  let lastError: RampartError | undefined;
  const startedAt = deps.now();
  let made = 0;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    made = attempt;
    const deadline = AbortSignal.timeout(call.timeoutMs);
    const signal = call.signal ? AbortSignal.any([deadline, call.signal]) : deadline;
    let waitMs: number | undefined;
    try {
      const res = await follow(call, deps, { method: call.method, headers, body, signal }, target);
      const parsed = await readBody(res);
      if (res.ok) return { status: res.status, headers: res.headers, body: parsed as T };
      const code = statusCode(res.status, call.statusCodes);
      // Masked before it is cut: a cut through an echoed secret would leave a fragment redaction cannot recognise.
      const detail = serverMessage(redactValue(parsed, secrets));
      lastError = new RampartError(
        code,
        `${call.vendor}: ${REASONS[code]} (HTTP ${res.status} on ${target})${detail ? `: ${detail}` : ''}`,
        {
          status: res.status,
          body: parsed,
        },
      );
      if (RETRYABLE_STATUS.has(res.status)) {
        const now = deps.now();
        waitMs = call.rateLimitResetMs?.(res.headers, now) ?? retryAfterMs(res.headers, now);
      }
      throw lastError; // the catch below decides whether this answer may be sent again
    } catch (e) {
      if (e instanceof RampartError) {
        const status = (e.details as { status?: number })?.status ?? 0;
        // Idempotent: retry 429/502/503/504. Otherwise only a 429 with a known reset time: nothing was applied.
        const resendable = call.idempotent ? RETRYABLE_STATUS.has(status) : status === 429 && waitMs !== undefined;
        if (e !== lastError || !resendable) throw e;
      } else if (call.signal?.aborted) {
        throw new RampartError('timeout', `${call.vendor}: cancelled (${target})`);
      } else {
        const timedOut = deadline.aborted;
        const cause = (e as { cause?: { code?: string } })?.cause?.code ?? (e as Error)?.message ?? String(e);
        lastError = timedOut
          ? new RampartError('timeout', `${call.vendor}: timed out after ${call.timeoutMs} ms (${target})`)
          : new RampartError('unreachable', `${call.vendor}: unreachable (${target}): ${cause}`);
        if (!call.idempotent) throw lastError; // it may have landed: the caller's read-back settles it
      }
    }
    if (attempt === attempts) break;
    if (waitMs !== undefined && waitMs > MAX_RESET_WAIT_MS) break; // reset too far away: report, do not hammer
    const backoff = call.idempotent
      ? Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** (attempt - 1)) * deps.random()
      : 0;
    await deps.sleep(Math.max(waitMs ?? 0, backoff));
  }
  if (!lastError) throw new RampartError('internal', `${call.vendor}: request failed (${target})`);
  throw made > 1 ? withAttempts(lastError, made, deps.now() - startedAt) : lastError;
}

/** "timed out after 10000 ms" for a Test that took 31 s reads as a lie: say the retries too. */
function withAttempts(e: RampartError, made: number, elapsedMs: number): RampartError {
  const seconds = elapsedMs >= 10_000 ? Math.round(elapsedMs / 1000) : Math.round(elapsedMs / 100) / 10;
  return new RampartError(e.code, `${e.message}; ${made} attempts over ${seconds} s`, e.details);
}
