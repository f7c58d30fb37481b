import type { JsonPathPart } from './json-node';

/**
 * Where a value sits in the TEXT of a JSON document, so a rewrite replaces the bytes of one flag and leaves every
 * other byte of the file as it was (docs/security.md: a flag Rampart does not touch is kept byte-for-byte —
 * formatting, key order, `1e400`, escapes and all). Only called on text that JSON.parse has accepted and whose
 * nesting flagd-limits.ts has bounded, so the scanner can be small; it is iterative all the same.
 */

export interface Span {
  start: number;
  end: number;
}

const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);

function skipWs(text: string, i: number): number {
  while (i < text.length && WS.has(text.charCodeAt(i))) i++;
  return i;
}

/** End (exclusive) of the string starting at the quote at `i`. */
function stringEnd(text: string, i: number): number {
  for (let j = i + 1; j < text.length; j++) {
    const c = text[j];
    if (c === '\\') j++;
    else if (c === '"') return j + 1;
  }
  return text.length;
}

/** End (exclusive) of the JSON value starting at `i`. */
function valueEnd(text: string, i: number): number {
  const c = text[i];
  if (c === '"') return stringEnd(text, i);
  if (c !== '{' && c !== '[') {
    let j = i;
    while (j < text.length && !WS.has(text.charCodeAt(j)) && !',]}'.includes(text[j])) j++;
    return j;
  }
  let depth = 0;
  for (let j = i; j < text.length; j++) {
    const ch = text[j];
    if (ch === '"') j = stringEnd(text, j) - 1;
    else if (ch === '{' || ch === '[') depth++;
    else if (ch === '}' || ch === ']') {
      depth--;
      if (depth === 0) return j + 1;
    }
  }
  return text.length;
}

/** The span of member `key` (the LAST one, as JSON.parse keeps) of the object at `i`, or of element `key` of an array. */
function childSpan(text: string, i: number, key: JsonPathPart): Span | null {
  const open = text[i];
  let j = skipWs(text, i + 1);
  let found: Span | null = null;
  for (let index = 0; j < text.length && text[j] !== (open === '{' ? '}' : ']'); index++) {
    let match: boolean;
    if (open === '{') {
      const keyEnd = stringEnd(text, j);
      match = typeof key === 'string' && (JSON.parse(text.slice(j, keyEnd)) as string) === key;
      j = skipWs(text, skipWs(text, keyEnd) + 1); // past the colon
    } else match = key === index;
    const end = valueEnd(text, j);
    if (match) found = { start: j, end };
    j = skipWs(text, end);
    if (text[j] === ',') j = skipWs(text, j + 1);
  }
  return found;
}

/** The span of the value at `path` (object keys and array indexes), or null when it is not there. */
export function valueSpan(text: string, path: readonly JsonPathPart[]): Span | null {
  let span: Span = { start: skipWs(text, 0), end: text.length };
  for (const part of path) {
    const c = text[span.start];
    if (c !== '{' && c !== '[') return null;
    const next = childSpan(text, span.start, part);
    if (!next) return null;
    span = next;
  }
  return span;
}

/** The indentation unit of the file (first indented line); 2 spaces when none is found. */
function indentUnit(text: string): string {
  const m = /\n([ \t]+)\S/.exec(text);
  return m ? m[1] : '  ';
}

/**
 * `text` with the value at `path` replaced by `value`, written the way the old value was: on one line when it was
 * on one line, otherwise indented like the file, continuing from the indentation of the line it starts on.
 * Returns null when the path is not in the text.
 */
export function replaceValue(text: string, path: readonly JsonPathPart[], value: unknown): string | null {
  const span = valueSpan(text, path);
  if (!span) return null;
  const old = text.slice(span.start, span.end);
  let body: string;
  if (!old.includes('\n')) body = JSON.stringify(value);
  else {
    const lineStart = text.lastIndexOf('\n', span.start - 1) + 1;
    const base = /^[ \t]*/.exec(text.slice(lineStart, span.start))![0];
    body = JSON.stringify(value, null, indentUnit(text)).replace(/\n/g, `\n${base}`);
  }
  return text.slice(0, span.start) + body + text.slice(span.end);
}
