import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_COOKIE = 'rampart_token';

/** Constant-time token comparison (length differences leak nothing useful: tokens have a fixed length). */
export function tokenMatches(given: string | undefined | null, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function cookieToken(req: IncomingMessage): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k !== TOKEN_COOKIE) continue;
    try {
      return decodeURIComponent(v.join('='));
    } catch {
      return undefined; // malformed %-encoding: no token (a 401), not an exception (a 500) before authentication
    }
  }
  return undefined;
}

export function bearerToken(req: IncomingMessage): string | undefined {
  const h = req.headers.authorization;
  return h?.startsWith('Bearer ') ? h.slice(7).trim() : undefined;
}

/**
 * Only a path is a request target for this server (no absolute-form, no '*'), and one the router can take apart:
 * `URL` parses it and its path %-decodes. Otherwise the router threw (`GET http://[` or `/rpc/%E0%A4%A`) and the
 * door answered 500 with the exception's message.
 */
function requestTargetProblem(target: string | undefined): string | null {
  if (!target?.startsWith('/') || !URL.canParse(target, 'http://localhost')) return 'request target must be a path on this server';
  try {
    decodeURIComponent(new URL(target, 'http://localhost').pathname);
  } catch {
    return 'malformed %-encoding in the request path';
  }
  return null;
}

/**
 * Checked before the token, on every request. The target must be a usable path (above). Host must name this server (defeats DNS rebinding: a page on evil.example resolving to 127.0.0.1 sends
 * `Host: evil.example`). Origin, when a browser sends one, must be this server's own origin.
 */
export function originProblem(req: IncomingMessage, allowedHosts: Set<string>): string | null {
  const targetProblem = requestTargetProblem(req.url);
  if (targetProblem) return targetProblem;
  const host = req.headers.host;
  if (!host || !allowedHosts.has(host.toLowerCase())) return `Host '${host ?? ''}' is not this server`;
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `http://${host}`) return `cross-origin request from '${origin}' refused`;
  const site = req.headers['sec-fetch-site'];
  if (site === 'cross-site') return 'cross-site request refused';
  return null;
}

export function allowedHostsFor(host: string, port: number): Set<string> {
  const names = new Set([host, '127.0.0.1', 'localhost']);
  if (host === '::1') names.add('[::1]');
  return new Set([...names].map((n) => `${n.includes(':') && !n.startsWith('[') ? `[${n}]` : n}:${port}`.toLowerCase()));
}
