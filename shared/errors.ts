import { z, type ZodError } from 'zod';

/**
 * Error codes every door (IPC, browser host, CLI) returns in the `{error: {code, message}}` envelope.
 * Callers branch on the code, never on the message text.
 */
export const ERROR_CODES = [
  'bad_request', // the payload or arguments failed validation
  'not_found', // flag, connection, watch or environment does not exist
  'conflict', // the flag changed since the user looked (read-compare-write refused)
  'approval_required', // the vendor wants an approval / change request; never retried
  'unauthorized', // token missing, wrong or lacking permission
  'unreachable', // connection refused, DNS, reset
  'timeout', // the call exceeded its deadline
  'rate_limited', // 429 after honouring Retry-After within our budget
  'vendor_error', // the vendor answered with an error or a malformed body
  'blocked', // Rampart refused on purpose (e.g. ramp while metrics have no data, without override)
  'internal', // a bug in Rampart
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** An error that carries a stable code across every door. Messages name the problem for a human. */
export class RampartError extends Error {
  readonly code: ErrorCode;
  readonly details?: unknown;
  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'RampartError';
    this.code = code;
    this.details = details;
  }
}

export function isRampartError(e: unknown): e is RampartError {
  return (
    e instanceof RampartError ||
    (typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'RampartError')
  );
}

/**
 * What a caller may act on beyond the code, carried in `details` (never parsed out of the message): the input field
 * a refusal concerns (a form marks it), the issues of a payload that failed validation, and the one kind of
 * `blocked` a person may override by an explicit opt-in.
 */
export interface ErrorFacts {
  field?: string;
  issues?: { path: string[]; message: string }[];
  /**
   * `plaintext_keychain`: only a plain-text secret backend exists, so storing needs the user's explicit opt-in.
   * `no_source_folder`: a code-reference search has no folder to search yet (the view offers to add one).
   * `metrics_guard`: the metrics guard refused a write; an explicit, audited override may do it anyway.
   */
  refusal?: 'plaintext_keychain' | 'no_source_folder' | 'metrics_guard';
}

export function errorFacts(e: { details?: unknown }): ErrorFacts {
  return typeof e.details === 'object' && e.details !== null && !Array.isArray(e.details)
    ? (e.details as ErrorFacts)
    : {};
}

/** The wire form of an error. `details` must never contain a secret. */
export interface WireError {
  code: ErrorCode;
  message: string;
  details?: unknown;
}

/**
 * A failure inside an answer that still came back (one metric of a watch, a provider's last error, why data is
 * stale): the code to branch on and the message for a human, never the vendor's body.
 */
export const PartialFailure = z.object({ code: z.enum(ERROR_CODES), message: z.string() });
export type PartialFailure = z.infer<typeof PartialFailure>;

/** The partial failure a thrown value stands for: its code when it is a RampartError, else `internal`. */
export function partialFailure(e: unknown): PartialFailure {
  const { code, message } = toWireError(e);
  return { code, message };
}

export type Envelope<T> = { result: T } | { error: WireError };

/**
 * Vendor response bodies ride in `details.body` for the adapters' own use; they never cross a door, since a vendor
 * might echo a credential in an error body. The rest of `details` (e.g. a conflict's live state) does.
 */
function wireDetails(details: unknown): unknown {
  if (details === null || typeof details !== 'object' || Array.isArray(details) || !('body' in details)) return details;
  const { body: _body, ...rest } = details as Record<string, unknown>;
  return rest;
}

export function toWireError(e: unknown): WireError {
  if (isRampartError(e)) {
    const details = wireDetails(e.details);
    return { code: e.code, message: e.message, ...(details === undefined ? {} : { details }) };
  }
  const message = e instanceof Error ? e.message : String(e);
  return { code: 'internal', message: `Internal error: ${message}` };
}

export function fromWireError(w: WireError): RampartError {
  return new RampartError(w.code, w.message, w.details);
}

/** Zod issues in one line, `path: message; …`, so an error names the field that was wrong. */
export function describeIssues(error: ZodError, max = 5): string {
  return error.issues
    .slice(0, max)
    .map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`)
    .join('; ');
}
