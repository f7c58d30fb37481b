import { isRampartError } from '../../shared/errors';

/**
 * A failed call to a provider in the words a user can act on: which host did not resolve, which port refused, what
 * the server said. The adapters' messages name the vendor and the request (never a secret: http-client redacts).
 */
export function plainNetworkError(e: unknown): string {
  if (!isRampartError(e)) return e instanceof Error ? e.message : String(e);
  const m = e.message;
  const where = /\((?:GET|POST|PUT|PATCH|DELETE) (https?:\/\/[^/\s)]+)/.exec(m)?.[1];
  const host = where ? new URL(where).host : 'the server';
  if (e.code === 'unreachable') {
    if (/ENOTFOUND|EAI_AGAIN/.test(m))
      return `host ${host.replace(/:\d+$/, '')} not found (DNS lookup failed): check the spelling of the URL`;
    if (/ECONNREFUSED/.test(m))
      return `nothing listens at ${host} (connection refused): check the port, or whether the server runs`;
    if (/ECONNRESET|EPIPE|socket/i.test(m))
      return `${host} closed the connection: is it an HTTP server on this port? (${m})`;
    return m;
  }
  if (e.code === 'timeout') return `${host} did not answer in time (${m})`;
  // Only an HTTP answer is the server refusing; without one it is a local setting (a token not set).
  if (e.code === 'unauthorized' && (e.details as { status?: number } | undefined)?.status)
    return `${host} refused the credentials: ${m}`;
  return m;
}
