import { MAX_FLAG_FILE_NESTING, assertNesting, assertNoForbiddenKeys } from './flagd-limits';
import { duplicateProblem, flagProblem, type FlagdDocument, type FlagEntry } from './flagd-schema';
import { isRecord, type JsonPathPart } from './json-node';
import type { Replaced } from './json-spans';

/**
 * The parse of Rampart's own rewrite of one flag, derived from the parse of the text it rewrote instead of parsing
 * the whole file again (issue 15: a kill switch in a 1,000-flag file parsed ~720 KB twice — the rewrite's check and
 * its first read — and compared every other flag as JSON: ~35 of its ~65 ms).
 *
 * Why the derivation is the parse: the new text is the old one with exactly the bytes of `replaced.span` swapped for
 * `replaced.body` (json-spans.ts), so every other byte — every other flag, `$evaluators`, the file's shape — is
 * unchanged and parses as before. What is checked here is what could still differ:
 * - the span was the value at `path`: the old bytes there parse to what the old parse holds at that path (a scanner
 *   that found the wrong value is caught here, not trusted);
 * - the body is one JSON value within the nesting left at its depth and without forbidden keys;
 * - the rewritten flag's own problem (and, in the array form, its key and duplicate count) is worked out as the
 *   full parse works it out.
 * Anything outside these cases returns null and the caller parses the whole text, as before.
 */

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function parsedOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The value of the rewritten definition, or null when the replacement is not one this module can vouch for. */
function rewrittenDef(
  entry: FlagEntry,
  path: readonly JsonPathPart[],
  oldText: string,
  replaced: Replaced,
): Record<string, unknown> | null {
  const old = parsedOrUndefined(oldText.slice(replaced.span.start, replaced.span.end));
  const body = parsedOrUndefined(replaced.body);
  if (old === undefined || body === undefined) return null;
  if (path.length === entry.path.length) return sameJson(old, entry.def) && isRecord(body) ? body : null;
  // The state alone: `path` is the definition's path plus 'state'; the member keeps its place in the object.
  if (!Object.hasOwn(entry.def, 'state') || !sameJson(old, entry.def.state)) return null;
  return { ...entry.def, state: body };
}

/**
 * The parse of `replaced.text`, given `before` (the parse of `oldText`) and that the value at `path` — the flag's
 * definition `entry.path` or its `state` — was replaced; null when it cannot be derived safely.
 */
export function deriveOwnRewrite(
  file: string,
  before: FlagdDocument,
  oldText: string,
  entry: FlagEntry,
  path: readonly JsonPathPart[],
  replaced: Replaced,
): FlagdDocument | null {
  if (entry.notAnObject) return null;
  const at = before.flags.indexOf(entry);
  if (at < 0) return null;
  const def = rewrittenDef(entry, path, oldText, replaced);
  if (!def) return null;
  // Containers above the body: the root object, `flags`, and the definition itself when only its state changed. A
  // body over the limit or with a forbidden key goes to the full parse, whose error names the file's line and path.
  try {
    assertNesting(file, replaced.body, MAX_FLAG_FILE_NESTING - path.length);
    assertNoForbiddenKeys(file, def);
  } catch {
    return null;
  }

  const flags = before.raw.flags;
  let nextFlags: unknown;
  if (Array.isArray(flags)) {
    const index = entry.path[1];
    if (typeof index !== 'number' || flags[index] !== entry.def || def.key !== entry.key) return null;
    nextFlags = flags.map((f, i) => (i === index ? def : (f as unknown)));
  } else if (isRecord(flags) && flags[entry.key] === entry.def) {
    nextFlags = { ...flags, [entry.key]: def };
  } else return null;

  const count = before.flags.reduce((n, f) => n + (f.key === entry.key ? 1 : 0), 0);
  const written: FlagEntry = {
    key: entry.key,
    def,
    path: entry.path,
    problem: flagProblem(entry.path, def) ?? duplicateProblem(entry.key, count),
  };
  return {
    raw: { ...before.raw, flags: nextFlags },
    flags: before.flags.map((f, i) => (i === at ? written : f)),
  };
}
