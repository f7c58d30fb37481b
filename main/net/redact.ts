/**
 * Redaction for the one HTTP client (docs/security.md: "redaction is on by default … every header value and secret
 * of the connection, wherever it appears in a body"). A vendor may echo what it was sent — in an error message, a
 * flag's name or description, a label value, a header — and whatever an adapter returns travels on to the UI, the
 * CLI, SSE and the append-only audit table. So the secrets of a call are masked in everything that comes back.
 */
export const MASK = '[redacted]';
/** Shorter values are not masked: they would shred ordinary text and are no credential anyway. */
const MIN_SECRET_LENGTH = 4;
/** Past this depth a body is not walked; one that still holds a secret there is dropped whole. */
const MAX_DEPTH = 64;

/** Headers that carry protocol, not credentials: their values ("application/json", "beta") are not masked. */
const NOT_SECRET = new Set([
  'accept',
  'accept-encoding',
  'accept-language',
  'cache-control',
  'connection',
  'content-length',
  'content-type',
  'if-match',
  'if-none-match',
  'ld-api-version',
  'user-agent',
]);

/**
 * Every secret a call carries, longest first: each header value (but protocol headers), the credential after an
 * auth scheme (`Bearer x` → x), a Basic credential decoded (`user:pass` and `pass`), the caller's extra secrets,
 * and the %-encoded and base64-embedded forms of each (a vendor echoing a query string, or the request encoded).
 */
export function secretsOfCall(
  headers: Record<string, string> | undefined,
  extra: readonly (string | undefined)[] = [],
): string[] {
  const found = new Set<string>();
  const add = (s: string | undefined) => {
    if (!s || s.trim().length < MIN_SECRET_LENGTH) return;
    found.add(s);
    const encoded = encodeURIComponent(s);
    if (encoded !== s) found.add(encoded);
    for (const core of base64Cores(s)) found.add(core);
  };
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (NOT_SECRET.has(name.toLowerCase()) || typeof value !== 'string') continue;
    add(value);
    const schemed = /^([A-Za-z][A-Za-z0-9-]*)\s+(\S.*)$/.exec(value.trim());
    if (!schemed) continue;
    add(schemed[2]);
    if (schemed[1].toLowerCase() === 'basic') {
      const decoded = Buffer.from(schemed[2], 'base64').toString('utf8');
      add(decoded);
      add(decoded.slice(decoded.indexOf(':') + 1));
    }
  }
  for (const s of extra) add(s);
  return [...found].sort((a, b) => b.length - a.length);
}

/** Shorter base64 runs are not masked: they would match ordinary base64 content by chance. */
const MIN_BASE64_CORE = 12;

/**
 * The secret as it appears inside any base64 text that contains it (a server echoing the request base64-encoded):
 * for each of the 3 byte alignments, the characters that depend on the secret's bytes alone — the ones shared by
 * the neighbours' bits are cut off at both ends. Standard and URL-safe alphabets.
 */
function base64Cores(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const cores: string[] = [];
  for (const align of [0, 1, 2]) {
    const total = align + bytes.length;
    const text = Buffer.concat([Buffer.alloc(align), bytes]).toString('base64');
    const core = text.slice([0, 2, 3][align], Math.floor(total / 3) * 4);
    if (core.length < MIN_BASE64_CORE) continue;
    cores.push(core);
    const urlSafe = core.replace(/\+/g, '-').replace(/\//g, '_');
    if (urlSafe !== core) cores.push(urlSafe);
  }
  return cores;
}

export function redactText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join(MASK);
  return out;
}

/** The secrets as they appear inside JSON text (quotes and backslashes escaped). */
function inJson(value: unknown, secrets: readonly string[]): boolean {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    return true; // cannot tell (a cycle, a BigInt): walk it
  }
  return text !== undefined && secrets.some((s) => text.includes(JSON.stringify(s).slice(1, -1)));
}

/** The value with every secret masked in its strings and object keys; untouched (same object) when it holds none. */
export function redactValue<T>(value: T, secrets: readonly string[]): T {
  if (secrets.length === 0) return value;
  if (typeof value === 'string') return redactText(value, secrets) as T;
  if (value === null || typeof value !== 'object' || !inJson(value, secrets)) return value;
  const walk = (v: unknown, depth: number): unknown => {
    if (typeof v === 'string') return redactText(v, secrets);
    if (v === null || typeof v !== 'object') return v;
    if (depth > MAX_DEPTH) return inJson(v, secrets) ? MASK : v;
    if (Array.isArray(v)) return v.map((x) => walk(x, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      // defineProperty: a vendor's "__proto__" key stays a plain key, never a prototype.
      Object.defineProperty(out, redactText(k, secrets), {
        value: walk(x, depth + 1),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  };
  return walk(value, 0) as T;
}

/** Response headers with every secret masked (a vendor may echo one in a header of its own). */
export function redactHeaders(headers: Headers, secrets: readonly string[]): Headers {
  let dirty = false;
  headers.forEach((v) => {
    if (!dirty && secrets.some((s) => v.includes(s))) dirty = true;
  });
  if (!dirty) return headers;
  const out = new Headers();
  headers.forEach((v, k) => out.append(k, redactText(v, secrets)));
  return out;
}
