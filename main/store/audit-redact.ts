/**
 * The audit table is append-only: a secret that reaches it can never be removed. So every text and detail written
 * there passes through one redactor (docs/security.md: "no secret ever reaches … the audit table"): the values of
 * the secrets the connections use, wherever they appear, and — in error texts and details, where a vendor may echo a
 * credential Rampart never saw — anything shaped like a credential (`Authorization: …`, `api_key=…`, `Bearer …`).
 */

export type Redactor = (text: string, where: 'error' | 'free') => string;

const MASK = '[redacted]';
const MIN_SECRET_LENGTH = 4;

/** `key: value` / `key=value` / `"key":"value"` forms of credential-looking fields. */
/** A value already masked upstream (the HTTP client's `[redacted]`) is left as it is, not masked twice. */
const KEYED =
  /\b(authorization|proxy-authorization|api[-_ ]?key|x-api-key|dd-api-key|dd-application-key|app[-_ ]?key|access[-_ ]?token|auth[-_ ]?token|token|secret|password|cookie)(\s*\\?["']?\s*[:=]\s*\\?["']?)([^\s"'\\,;&}\]]{4,})/gi;
/** Scheme-prefixed credentials as they appear in headers: `Bearer x`, `Api-Key x`, `Basic x`. */
const SCHEMED = /\b(Bearer|Api-Key|Basic|Token)(\s+)([A-Za-z0-9._~+/=-]{8,})/g;

export function createRedactor(secrets: () => Iterable<string | undefined>): Redactor {
  return (text, where) => {
    let out = text;
    const known = [...secrets()].filter((s): s is string => typeof s === 'string' && s.length >= MIN_SECRET_LENGTH);
    // Longest first, so a secret that contains another is masked whole; also as it appears escaped inside JSON.
    for (const s of known.sort((a, b) => b.length - a.length)) {
      for (const form of new Set([s, JSON.stringify(s).slice(1, -1)]))
        if (out.includes(form)) out = out.split(form).join(MASK);
    }
    // Schemes first: `authorization: Bearer x` must lose x, not only the word Bearer. Masks never eat quotes or
    // backslashes, so a redacted JSON detail stays valid JSON.
    if (where === 'error')
      out = out
        .replace(SCHEMED, (_m, k: string, sp: string) => `${k}${sp}${MASK}`)
        .replace(KEYED, (m, k: string, sep: string, v: string) =>
          v.startsWith('[redacted') ? m : `${k}${sep}${MASK}`,
        );
    return out;
  };
}

/** For stores opened without connections (tests, tools): credential shapes only. */
export const shapeRedactor: Redactor = createRedactor(() => []);
