import type { ErrorCode } from '../../shared/errors';

/** What an HTTP answer means to Rampart: its error code, the words for it, and when the server says to come back. */

export function retryAfterMs(headers: Headers, now: number): number | undefined {
  const v = headers.get('retry-after');
  if (!v) return undefined;
  if (/^\d+(\.\d+)?$/.test(v.trim())) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export function statusCode(status: number, extra?: Partial<Record<number, ErrorCode>>): ErrorCode {
  const mapped = extra?.[status];
  if (mapped) return mapped;
  if (status === 400 || status === 422) return 'bad_request';
  if (status === 401 || status === 403) return 'unauthorized';
  if (status === 404) return 'not_found';
  if (status === 409 || status === 412) return 'conflict';
  if (status === 429) return 'rate_limited';
  return 'vendor_error';
}

export const REASONS: Record<ErrorCode, string> = {
  bad_request: 'rejected the request',
  not_found: 'not found',
  conflict: 'conflict: the resource changed',
  approval_required: 'approval required',
  unauthorized: 'bad or insufficient token',
  unreachable: 'unreachable',
  timeout: 'timed out',
  rate_limited: 'rate limited',
  vendor_error: 'server error',
  blocked: 'blocked',
  internal: 'internal error',
};
