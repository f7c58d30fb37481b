/**
 * Small, total helpers for untrusted JSON values from a flag file. `String(v)` on a parsed object calls its
 * `toString` — and a file can define one (`{"var":{"toString":0}}` makes `String()` throw a TypeError), so text
 * for messages and summaries comes from `nodeText`, which never calls into the value.
 */

export type JsonPathPart = string | number;

/** Character codes of JSON's structural characters, for the scanners that walk a file's text (flagd-limits, json-spans). */
export const CHAR = {
  openBrace: 0x7b,
  closeBrace: 0x7d,
  openBracket: 0x5b,
  closeBracket: 0x5d,
  quote: 0x22,
  backslash: 0x5c,
  comma: 0x2c,
  newline: 0x0a,
} as const;

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function isScalar(v: unknown): v is string | number | boolean {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

/** Display text of any JSON value: scalars as themselves, structures as (bounded) JSON. */
export function nodeText(v: unknown, max = 80): string {
  if (typeof v === 'string') return v;
  if (isScalar(v) || v === null) return String(v);
  let text: string;
  try {
    text = JSON.stringify(v) ?? '?';
  } catch {
    text = '?';
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** `targeting.if[2].fractional[1]`: where a node sits, for messages. */
export function pathText(root: string, path: readonly JsonPathPart[]): string {
  let out = root;
  for (const p of path)
    out += typeof p === 'number' ? `[${p}]` : /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(p) ? `.${p}` : `[${JSON.stringify(p)}]`;
  return out;
}
