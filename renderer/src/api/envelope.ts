/**
 * The `{result} | {error: {code, message}}` envelope every door returns, turned back into a value or a thrown
 * RampartError — so views branch on `error.code`, never on message text.
 */
import { ERROR_CODES, RampartError, fromWireError, type ErrorCode } from '../../../shared/errors';

function isErrorCode(v: unknown): v is ErrorCode {
  return typeof v === 'string' && (ERROR_CODES as readonly string[]).includes(v);
}

export function unwrapEnvelope<T>(channel: string, body: unknown): T {
  if (typeof body === 'object' && body !== null) {
    if ('result' in body) return (body as { result: T }).result;
    if ('error' in body) {
      const e = (body as { error: unknown }).error;
      if (typeof e === 'object' && e !== null) {
        const { code, message, details } = e as { code?: unknown; message?: unknown; details?: unknown };
        const text = typeof message === 'string' ? message : `${channel} failed`;
        // An unknown code is still an error: keep its text, classify it as internal.
        return throwError(
          isErrorCode(code) ? fromWireError({ code, message: text, details }) : new RampartError('internal', text),
        );
      }
    }
  }
  throw new RampartError('internal', `Rampart core: malformed response on ${channel} (neither result nor error)`);
}

function throwError(e: RampartError): never {
  throw e;
}

/** Any thrown value as a RampartError (network failures, bugs) so the UI has one error shape to show. */
export function asRampartError(e: unknown): RampartError {
  if (e instanceof RampartError) return e;
  if (typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'RampartError') {
    const r = e as { code?: unknown; message?: unknown; details?: unknown };
    return new RampartError(
      isErrorCode(r.code) ? r.code : 'internal',
      typeof r.message === 'string' ? r.message : 'error',
      r.details,
    );
  }
  return new RampartError('internal', e instanceof Error ? e.message : String(e));
}
