import type { CodeReference } from '../../../shared/domain/lifecycle';

/** Characters that continue an identifier-ish key: `checkout-v2` is not found inside `new-checkout-v2-beta`. */
const KEY_CHAR = /[A-Za-z0-9_-]/;
const MAX_LINE = 240;

const clip = (s: string) => (s.length > MAX_LINE ? `${s.slice(0, MAX_LINE)}…` : s);

/** Start offset of every line, for turning a match offset into a line number. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  if (starts.length > 1 && starts[starts.length - 1] === text.length) starts.pop(); // a final newline ends a line, it starts none
  return starts;
}

function lineOf(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function lineText(text: string, starts: number[], i: number): string {
  const end = i + 1 < starts.length ? starts[i + 1] - 1 : text.length;
  return text.slice(starts[i], end).replace(/\r?\n?$/, '');
}

/**
 * Where each key appears in one file's text as a whole token, one reference per line, with `context` lines on each
 * side. Pure and allocation-light: the text is only split into lines when a key is in it.
 */
export function findRefs(
  text: string,
  keys: readonly string[],
  file: string,
  root: string,
  context = 2,
): Map<string, CodeReference[]> {
  const out = new Map<string, CodeReference[]>();
  let starts: number[] | null = null;
  for (const key of keys) {
    let at = text.indexOf(key);
    if (at === -1) continue;
    const seenLines = new Set<number>();
    for (; at !== -1; at = text.indexOf(key, at + key.length)) {
      const before = at > 0 ? text[at - 1] : '';
      const after = text[at + key.length] ?? '';
      if ((before && KEY_CHAR.test(before)) || (after && KEY_CHAR.test(after))) continue;
      starts ??= lineStarts(text);
      const line = lineOf(starts, at);
      if (seenLines.has(line)) continue;
      seenLines.add(line);
      const ctx = (from: number, to: number) => {
        const lines: string[] = [];
        for (let i = Math.max(0, from); i < Math.min(starts!.length, to); i++)
          lines.push(clip(lineText(text, starts!, i)));
        return lines;
      };
      const ref: CodeReference = {
        root,
        file,
        line: line + 1,
        column: at - starts[line] + 1,
        text: clip(lineText(text, starts, line)),
        before: ctx(line - context, line),
        after: ctx(line + 1, line + 1 + context),
      };
      (out.get(key) ?? out.set(key, []).get(key)!).push(ref);
    }
  }
  return out;
}

/** A file is text when its first 8 KB hold no NUL byte (git's own heuristic). */
export function looksBinary(buf: Uint8Array): boolean {
  const n = Math.min(buf.length, 8_000);
  for (let i = 0; i < n; i++) if (buf[i] === 0) return true;
  return false;
}
