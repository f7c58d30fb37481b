import type { AuditResult } from '../../shared/domain/audit';
import { RampartError, isRampartError, type ErrorCode } from '../../shared/errors';

/**
 * How a write ended, from what the write call and the read-back said. The rule (docs/security.md): confirmed by the
 * read-back means done, whatever the write call returned; a write the store may still have applied (timed out, cut
 * off, a 5xx) whose read-back cannot show it is `unknown` — never `failed`; the store refusing on purpose is
 * `refused`; everything else that did not take is `failed`.
 */

/** The store said no before applying anything, on purpose: who/what/why goes into `reason`. */
const REFUSALS: readonly ErrorCode[] = ['blocked', 'approval_required', 'conflict'];
/** The store said no before applying anything, by error: the request was wrong or not allowed. */
const DEFINITE_FAILURES: readonly ErrorCode[] = ['bad_request', 'unauthorized', 'not_found', 'rate_limited'];

/**
 * Nothing was applied, on purpose: the store or Rampart said no (the guard, a conflict, an approval), the request
 * cannot apply (a range, an unknown flag or environment), or the store's own file is one Rampart refuses to read
 * (flagd's schema errors carry the file). Audited `refused` with the reason, once.
 */
export function isRefusal(e: unknown): boolean {
  if (!isRampartError(e)) return false;
  if (REFUSALS.includes(e.code) || e.code === 'bad_request' || e.code === 'not_found') return true;
  return e.code === 'vendor_error' && typeof (e.details as { file?: unknown } | undefined)?.file === 'string';
}

export function messageOf(e: unknown): string {
  return isRampartError(e) ? e.message : e instanceof Error ? e.message : String(e);
}

/** Could this failed write call still have changed the store? */
export function mayHaveLanded(e: unknown): boolean {
  if (!isRampartError(e)) return true; // a bug after sending: assume nothing
  if (REFUSALS.includes(e.code) || DEFINITE_FAILURES.includes(e.code)) return false;
  if (e.code === 'vendor_error') {
    const status = (e.details as { status?: number } | undefined)?.status;
    return status === undefined || status >= 500; // a 4xx answer was a refusal; a 5xx or a malformed 2xx may have applied
  }
  return true; // timeout, unreachable (reset after sending), internal
}

export interface Outcome {
  result: AuditResult;
  /** Set for failed and unknown: what a person reads in the audit and the error (a refusal's is its `reason`). */
  error: string | null;
  reason: string | null;
  /** What the caller throws when the action is not done. */
  thrown?: RampartError;
}

export interface OutcomeInput {
  confirmed: boolean;
  writeError: unknown;
  readError: unknown;
  /** The read-back succeeded but does not show the target (human text of what it shows). */
  mismatch: string | null;
  /** The read-back could not prove the target either way (a rollback whose reach is `unknown`). */
  undecided?: string;
  actionId: string;
}

export function decideOutcome(i: OutcomeInput): Outcome {
  if (i.confirmed) return { result: 'done', error: null, reason: null };
  const we = i.writeError;
  if (we !== undefined && isRefusal(we) && isRampartError(we)) {
    // The reason is written once (`reason`); `error` stays for what went wrong, which a refusal is not.
    return { result: 'refused', error: null, reason: we.message, thrown: we };
  }
  if (we !== undefined && !mayHaveLanded(we)) {
    return {
      result: 'failed',
      error: messageOf(we),
      reason: null,
      thrown: isRampartError(we) ? we : new RampartError('vendor_error', messageOf(we)),
    };
  }
  const timedOut = we !== undefined && isRampartError(we) && we.code === 'timeout';
  // Unknown: the write may have landed and nothing Rampart could read shows either way — or it timed out, and a
  // store still working on it may apply it after the read-back.
  if (i.readError !== undefined || i.undecided !== undefined || (timedOut && i.mismatch !== null)) {
    const why =
      i.readError !== undefined
        ? `reading the flag back failed: ${messageOf(i.readError)}`
        : (i.undecided ?? `the store does not show it yet (${i.mismatch})`);
    const sent =
      we === undefined ? 'the write was acknowledged' : `the write did not answer cleanly (${messageOf(we)})`;
    const error = `outcome unknown: ${sent}, and ${why}. Rampart keeps it as unknown and settles it by reading the flag back (audit ${i.actionId}).`;
    const code: ErrorCode = isRampartError(we)
      ? we.code
      : isRampartError(i.readError)
        ? i.readError.code
        : 'vendor_error';
    return {
      result: 'unknown',
      error,
      reason: null,
      thrown: new RampartError(code, error, { actionId: i.actionId, outcome: 'unknown' }),
    };
  }
  const error =
    we !== undefined
      ? `${messageOf(we)} (read-back: ${i.mismatch ?? 'not the requested state'})`
      : `read-back shows ${i.mismatch ?? 'not the requested state'}, not the requested state`;
  const code: ErrorCode = isRampartError(we) ? we.code : 'vendor_error';
  return { result: 'failed', error, reason: null, thrown: new RampartError(code, error, { actionId: i.actionId }) };
}
