import { CHAR, type JsonPathPart } from './json-node';
import { setBounded } from '../../../shared/bounded-map';

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
const { openBrace: OPEN_BRACE, openBracket: OPEN_BRACKET, closeBrace: CLOSE_BRACE, closeBracket: CLOSE_BRACKET } = CHAR;
const { quote: QUOTE, backslash: BACKSLASH, comma: COMMA } = CHAR;

function skipWs(text: string, i: number): number {
  while (i < text.length && WS.has(text.charCodeAt(i))) i++;
  return i;
}

/** End (exclusive) of the string starting at the quote at `i`: the next quote not escaped by an odd run of backslashes. */
function stringEnd(text: string, i: number): number {
  for (let q = text.indexOf('"', i + 1); q >= 0; q = text.indexOf('"', q + 1)) {
    let slashes = 0;
    while (text.charCodeAt(q - 1 - slashes) === BACKSLASH) slashes++;
    if (slashes % 2 === 0) return q + 1;
  }
  return text.length;
}

/** End (exclusive) of the JSON value starting at `i`. Character codes, and strings skipped by indexOf: ~1 ms per MB. */
function valueEnd(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c === QUOTE) return stringEnd(text, i);
  if (c !== OPEN_BRACE && c !== OPEN_BRACKET) {
    let j = i;
    for (; j < text.length; j++) {
      const d = text.charCodeAt(j);
      if (WS.has(d) || d === COMMA || d === CLOSE_BRACKET || d === CLOSE_BRACE) break;
    }
    return j;
  }
  let depth = 0;
  for (let j = i; j < text.length; j++) {
    const ch = text.charCodeAt(j);
    if (ch === QUOTE) j = stringEnd(text, j) - 1;
    else if (ch === OPEN_BRACE || ch === OPEN_BRACKET) depth++;
    else if ((ch === CLOSE_BRACE || ch === CLOSE_BRACKET) && --depth === 0) return j + 1;
  }
  return text.length;
}

/** Every member of the object (the LAST of a repeated key, as JSON.parse keeps) or element of the array at `i`. */
function scanMembers(text: string, i: number): Members {
  const open = text[i];
  const members: Members = new Map();
  let j = skipWs(text, i + 1);
  for (let index = 0; j < text.length && text[j] !== (open === '{' ? '}' : ']'); index++) {
    let key: JsonPathPart = index;
    if (open === '{') {
      const keyEnd = stringEnd(text, j);
      const raw = text.slice(j, keyEnd);
      key = raw.includes('\\') ? (JSON.parse(raw) as string) : raw.slice(1, -1);
      j = skipWs(text, skipWs(text, keyEnd) + 1); // past the colon
    }
    const end = valueEnd(text, j);
    members.set(key, { start: j, end });
    j = skipWs(text, end);
    if (text[j] === ',') j = skipWs(text, j + 1);
  }
  return members;
}

type Members = Map<JsonPathPart, Span>;

/**
 * The members of each container already scanned, per text (a Map keyed by the text finds it by string equality).
 * Scanning a 1,000-flag file for one flag costs ~8 ms; a rewrite's new text inherits the old text's scans, shifted
 * past the replaced bytes (`shiftedScans`), so a kill switch and its read-back scan nothing again.
 */
const scans = new Map<string, Map<number, Members>>();
const SCANNED_TEXTS_KEPT = 4;

function scansOf(text: string): Map<number, Members> {
  let known = scans.get(text);
  if (!known) {
    known = new Map();
    setBounded(scans, text, known, SCANNED_TEXTS_KEPT);
  }
  return known;
}

/** The old text's scans as they lie in the new text: `span` of the old text became `length` characters. */
function shiftedScans(old: Map<number, Members>, span: Span, length: number): Map<number, Members> {
  const delta = length - (span.end - span.start);
  const moved = (at: number) => (at >= span.end ? at + delta : at);
  const out = new Map<number, Members>();
  for (const [container, members] of old) {
    if (container >= span.start && container < span.end) continue; // inside the replaced value: gone
    const next: Members = new Map();
    let sound = true;
    for (const [key, m] of members) {
      if (m.end <= span.start || m.start >= span.end) next.set(key, { start: moved(m.start), end: moved(m.end) });
      else if (m.start <= span.start && m.end >= span.end) next.set(key, { start: m.start, end: m.end + delta });
      else sound = false; // a partial overlap is not a JSON value: scan that container again
    }
    if (sound) out.set(moved(container), next);
  }
  return out;
}

/** The span of the value at `path` (object keys and array indexes), or null when it is not there. */
export function valueSpan(text: string, path: readonly JsonPathPart[]): Span | null {
  const known = scansOf(text);
  let span: Span = { start: skipWs(text, 0), end: text.length };
  for (const part of path) {
    const c = text[span.start];
    if (c !== '{' && c !== '[') return null;
    let members = known.get(span.start);
    if (!members) {
      members = scanMembers(text, span.start);
      known.set(span.start, members);
    }
    if (typeof part !== (c === '{' ? 'string' : 'number')) return null;
    const next = members.get(part);
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

/** A replacement of one value in a text: the new text, where the old value was in the old text, and what replaced it. */
export interface Replaced {
  text: string;
  span: Span;
  body: string;
}

/**
 * `text` with the value at `path` replaced by `value`, written the way the old value was: on one line when it was
 * on one line, otherwise indented like the file, continuing from the indentation of the line it starts on.
 * Returns null when the path is not in the text.
 */
export function replaceValueAt(text: string, path: readonly JsonPathPart[], value: unknown): Replaced | null {
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
  const next = text.slice(0, span.start) + body + text.slice(span.end);
  scans.set(next, shiftedScans(scansOf(text), span, body.length));
  return { text: next, span, body };
}
