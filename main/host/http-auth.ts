import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { setBounded } from '../../shared/bounded-map';

/** Constant-time token comparison (length differences leak nothing useful: tokens have a fixed length). */
export function tokenMatches(given: string | undefined | null, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function bearerToken(req: IncomingMessage): string | undefined {
  const h = req.headers.authorization;
  return h?.startsWith('Bearer ') ? h.slice(7).trim() : undefined;
}

const newSecret = (): string => randomBytes(32).toString('base64url');
/** Issued values are looked up by their SHA-256, so the lookup's timing says nothing about the value itself. */
const digest = (value: string): string => createHash('sha256').update(value).digest('hex');

/** How long a minted launch link and an event-stream ticket stay usable (the printed launch link: until used). */
export const LAUNCH_CODE_TTL_MS = 5 * 60_000;
export const TICKET_TTL_MS = 30_000;
/** Sessions are per browser tab; past this many the oldest is dropped (a tab that reopens gets a new link). */
const MAX_SESSIONS = 32;
const MAX_PENDING = 256;

/**
 * The browser host's credentials (docs/security.md, browser host). No cookie carries any of them: cookies are not
 * port-scoped, so a cookie set by 127.0.0.1:PORT is sent by every other page on 127.0.0.1.
 *  - the per-launch token: printed by `serve --json` for scripts, sent as `Authorization: Bearer`, never in a URL;
 *  - launch codes: one-time, in the launch URL's fragment; the page trades one ONCE for a session;
 *  - sessions: what a tab keeps in sessionStorage and sends as `Authorization: Bearer` on every call;
 *  - tickets: single-use and short-lived, for the one request that cannot carry a header (EventSource).
 */
export function createCredentials(opts: { token?: string; now?: () => number } = {}) {
  const token = opts.token ?? newSecret();
  const now = opts.now ?? Date.now;
  const launchCodes = new Map<string, number>(); // digest → expires at
  const sessions = new Map<string, number>(); // digest → issued at (insertion order = age)
  const tickets = new Map<string, number>(); // digest → expires at

  const sweep = (m: Map<string, number>): void => {
    const t = now();
    for (const [k, expires] of m) if (expires <= t) m.delete(k);
  };
  /** Removes and reports whether an unexpired entry was there: a second use of the same value finds nothing. */
  const take = (m: Map<string, number>, value: unknown): boolean => {
    if (typeof value !== 'string' || value.length === 0 || value.length > 200) return false;
    const key = digest(value);
    const expires = m.get(key);
    m.delete(key);
    return expires !== undefined && expires > now();
  };
  const issue = (m: Map<string, number>, expires: number): string => {
    sweep(m);
    const value = newSecret();
    setBounded(m, digest(value), expires, MAX_PENDING);
    return value;
  };

  return {
    token,
    /** A one-time code for a launch link; `ttlMs` undefined: valid until used (the link `serve` prints). */
    issueLaunchCode: (ttlMs?: number): string =>
      issue(launchCodes, ttlMs === undefined ? Number.POSITIVE_INFINITY : now() + ttlMs),
    /** Trades a launch code for a new session credential, once; null when the code is unknown, spent or expired. */
    exchange(code: unknown): string | null {
      if (!take(launchCodes, code)) return null;
      const session = newSecret();
      setBounded(sessions, digest(session), now(), MAX_SESSIONS);
      return session;
    },
    /** The per-launch token (constant-time compare) or a live session. */
    authenticates(credential: string | undefined): boolean {
      if (!credential) return false;
      return tokenMatches(credential, token) || (credential.length <= 200 && sessions.has(digest(credential)));
    },
    issueTicket: (): string => issue(tickets, now() + TICKET_TTL_MS),
    redeemTicket: (ticket: unknown): boolean => take(tickets, ticket),
  };
}

export type Credentials = ReturnType<typeof createCredentials>;

/**
 * Only a path is a request target for this server (no absolute-form, no '*'), and one the router can take apart:
 * `URL` parses it and its path %-decodes. Otherwise the router threw (`GET http://[` or `/rpc/%E0%A4%A`) and the
 * door answered 500 with the exception's message.
 */
function requestTargetProblem(target: string | undefined): string | null {
  if (!target?.startsWith('/') || !URL.canParse(target, 'http://localhost'))
    return 'request target must be a path on this server';
  try {
    decodeURIComponent(new URL(target, 'http://localhost').pathname);
  } catch {
    return 'malformed %-encoding in the request path';
  }
  return null;
}

/**
 * Checked before any credential, on every request. The target must be a usable path (above). Host must name this
 * server (defeats DNS rebinding: a page on evil.example resolving to 127.0.0.1 sends `Host: evil.example`). Origin,
 * when a browser sends one, must be this server's own origin; so must Sec-Fetch-Site (sent even where Origin is not,
 * e.g. by an <img> on another page).
 */
export function originProblem(req: IncomingMessage, allowedHosts: Set<string>): string | null {
  const targetProblem = requestTargetProblem(req.url);
  if (targetProblem) return targetProblem;
  const host = req.headers.host;
  if (!host || !allowedHosts.has(host.toLowerCase())) return `Host '${host ?? ''}' is not this server`;
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `http://${host}`) return `cross-origin request from '${origin}' refused`;
  // Another port on 127.0.0.1 is the same *site* (ports do not count), so 'same-site' is a foreign page too.
  const site = req.headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') return `${site} request refused`;
  return null;
}

export function allowedHostsFor(host: string, port: number): Set<string> {
  const names = new Set([host, '127.0.0.1', 'localhost']);
  if (host === '::1') names.add('[::1]');
  return new Set(
    [...names].map((n) => `${n.includes(':') && !n.startsWith('[') ? `[${n}]` : n}:${port}`.toLowerCase()),
  );
}
