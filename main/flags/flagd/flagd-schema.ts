import { z } from 'zod';
import { RampartError } from '../../../shared/errors';
import { assertNesting, assertNoForbiddenKeys } from './flagd-limits';
import { isRecord, pathText, type JsonPathPart } from './json-node';
import { setBounded } from '../../../shared/bounded-map';

/**
 * The flagd flag-definition file (https://flagd.dev/schema/v0/flags.json), as far as Rampart reads it.
 *
 * Two levels of strictness (docs/security.md, "When things fail": a bad file makes that connection show a clear
 * error while every other flag keeps working):
 * - The FILE must be JSON within the size and nesting limits, an object whose `flags` is a map (or the daemon's
 *   array of `{key, …}`), with `$evaluators` an object when present. Anything else is one error for the
 *   connection: nothing in it can be read or written.
 * - Each FLAG is checked on its own. flagd-core 4.x serves shapes flagd's schema does not allow (`targeting: "on"`,
 *   `targeting: []`, nested `metadata`, mixed-type or null variant values); such a flag is kept with its
 *   `problem` — listed with that problem, never ramped, and rolled back by `state: DISABLED` alone — and never
 *   stops Rampart from reading, ramping or rolling back its siblings. A rewrite changes only the bytes of the flag
 *   it writes (json-spans.ts); fields we do not use are kept verbatim.
 */

const MetadataValue = z.union([z.string(), z.number(), z.boolean()]);
const JsonLogic = z.record(z.string(), z.unknown());

function variantType(value: unknown): string {
  if (Array.isArray(value) || value === null) return 'object';
  return typeof value;
}

/** The strict shape: what a flag Rampart ramps must be. `targeting: null` is flagd-core's "no targeting". */
export const FlagdFlag = z
  .looseObject({
    state: z.enum(['ENABLED', 'DISABLED']),
    variants: z
      .record(
        z.string(),
        z.union([z.boolean(), z.string(), z.number(), z.record(z.string(), z.unknown()), z.array(z.unknown())]),
      )
      .refine((v) => Object.keys(v).length >= 1, 'a flag needs at least one variant')
      .refine(
        (v) => new Set(Object.values(v).map(variantType)).size <= 1,
        'all variants of a flag must have the same type',
      ),
    defaultVariant: z.string().nullable().optional(),
    targeting: JsonLogic.nullable().optional(),
    metadata: z.record(z.string(), MetadataValue).optional(),
  })
  .superRefine((flag, ctx) => {
    if (typeof flag.defaultVariant === 'string' && !Object.hasOwn(flag.variants, flag.defaultVariant)) {
      ctx.addIssue({
        code: 'custom',
        path: ['defaultVariant'],
        message: `"${flag.defaultVariant}" is not one of the variants`,
      });
    }
  });
export type FlagdFlag = z.infer<typeof FlagdFlag>;

/** File-level fields; top-level `metadata` and `$schema` are not used by Rampart, so any value is kept as it is. */
const FlagdFileShape = z.looseObject({
  $evaluators: z.record(z.string(), z.unknown()).optional(),
  flags: z.union([z.record(z.string(), z.unknown()), z.array(z.looseObject({ key: z.string().min(1) }))]),
});

/** One flag of a parsed file: its raw definition, where it sits, and why Rampart will not edit it (if so). */
export interface FlagEntry {
  key: string;
  def: Record<string, unknown>;
  /** JSON path of the definition in the file: `['flags', key]` or `['flags', index]`. */
  path: JsonPathPart[];
  /** The first reason the flag is not in the strict shape, with its JSON path; null for a healthy flag. */
  problem: string | null;
  /** The definition is not even an object (`def` is then empty): nothing can be written into it. */
  notAnObject?: true;
}

export interface FlagdDocument {
  /** The parsed document, every field in file order. */
  raw: Record<string, unknown>;
  flags: FlagEntry[];
}

/** `$.flags["checkout-v2"].state` from a zod/parse path. */
export function jsonPath(path: readonly PropertyKey[]): string {
  return pathText(
    '$',
    path.map((p) => (typeof p === 'number' ? p : String(p))),
  );
}

/** Line and column (1-based) of a character offset, for JSON syntax errors. */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, offset));
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return { line, column };
}

/** Why a flag definition is outside the strict shape (with the JSON path), or null for a healthy one. */
export function flagProblem(path: JsonPathPart[], def: unknown): string | null {
  if (!isRecord(def)) return `invalid at ${jsonPath(path)}: a flag definition must be an object`;
  const result = FlagdFlag.safeParse(def);
  if (result.success) return null;
  const issue = result.error.issues[0];
  return `invalid at ${jsonPath([...path, ...issue.path])}: ${issue.message}`;
}

/**
 * Parse the text of a flagd file. Throws `RampartError('vendor_error')` naming the file and the JSON path (or line
 * and column) of a FILE-level problem; a flag-level problem is the flag's `problem` (see the header). The nesting
 * limit and the forbidden keys (flagd-limits.ts) are checked before anything recursive sees the document.
 */
export function parseFlagdText(file: string, text: string): FlagdDocument {
  const cached = parsedTexts.get(file)?.find((p) => p.text === text);
  if (cached) return cached.doc;
  const doc = parseUncached(file, text);
  rememberParse(file, text, doc);
  return doc;
}

/** Keep `doc` as the parse of `text` — also for Rampart's own rewrite, whose parse flagd-own-parse.ts derives. */
export function rememberParse(file: string, text: string, doc: FlagdDocument): void {
  const kept = (parsedTexts.get(file) ?? []).filter((p) => p.text !== text);
  setBounded(parsedTexts, file, [{ text, doc }, ...kept].slice(0, PARSES_KEPT_PER_FILE), PARSED_FILES_KEPT);
}

/**
 * The last good parse of each file, by its exact text. One write reads the same text up to six times — the live read,
 * the read under the lock, the check of the rewritten text, the read-back, the treatment-reach proof, the file watch —
 * and a 1,000-flag file costs ~10 ms per parse (nesting scan, JSON, forbidden keys, a zod check per flag): the kill
 * switch paid that six times. Rampart's own rewrite is kept with the parse derived from the text it rewrote
 * (flagd-own-parse.ts), so its read-back and the file watch find it too. The documents are shared, so nobody may
 * mutate one: an edit clones the flag it changes (flagd-store.ts). A failed parse is not kept (it throws every time,
 * naming the problem).
 */
const parsedTexts = new Map<string, Array<{ text: string; doc: FlagdDocument }>>();
const PARSED_FILES_KEPT = 16;
/** The newest few texts of a file: the watch may still read a write's predecessor while the next write is checked. */
const PARSES_KEPT_PER_FILE = 3;

function parseUncached(file: string, text: string): FlagdDocument {
  assertNesting(file, text);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    // V8 quotes the start of the text, newlines and all: escaped, so the error stays the one line it must be.
    const message = (e instanceof Error ? e.message : String(e)).replace(/\r/g, '\\r').replace(/\n/g, '\\n');
    const at = /position (\d+)/.exec(message);
    const where = at
      ? (({ line, column }) => ` at line ${line}, column ${column}`)(lineAndColumn(text, Number(at[1])))
      : '';
    throw new RampartError('vendor_error', `flagd file ${file}: not valid JSON${where} (${message})`, { file });
  }
  if (!isRecord(raw)) {
    throw new RampartError(
      'vendor_error',
      `flagd file ${file}: invalid at $: expected an object with a "flags" field`,
      { file, path: '$' },
    );
  }
  assertNoForbiddenKeys(file, raw);
  const result = FlagdFileShape.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = jsonPath(issue.path);
    throw new RampartError('vendor_error', `flagd file ${file}: invalid at ${path}: ${issue.message}`, { file, path });
  }
  const flags: FlagEntry[] = Array.isArray(raw.flags)
    ? (raw.flags as Array<Record<string, unknown>>).map((def, i) => ({
        key: String(def.key),
        def,
        path: ['flags', i],
        problem: flagProblem(['flags', i], def),
      }))
    : Object.entries(raw.flags as Record<string, unknown>).map(([key, def]) => ({
        key,
        def: (isRecord(def) ? def : {}) as Record<string, unknown>,
        path: ['flags', key],
        problem: flagProblem(['flags', key], def),
        ...(isRecord(def) ? {} : { notAnObject: true as const }),
      }));
  // A key defined twice (possible only in the array form) is a problem of every definition of it: which one a flagd
  // serves is not Rampart's to guess, so no ramp is made on it and a rollback says what it turned off.
  const counts = new Map<string, number>();
  for (const f of flags) counts.set(f.key, (counts.get(f.key) ?? 0) + 1);
  for (const f of flags) f.problem ??= duplicateProblem(f.key, counts.get(f.key) ?? 1);
  return { raw, flags };
}

/** The problem of a key defined `n` times (possible only in the array form), or null when it is defined once. */
export function duplicateProblem(key: string, n: number): string | null {
  return n > 1
    ? `flag "${key}" is defined ${n} times in the file; Rampart edits the last definition, fix the file so there is one`
    : null;
}

/** The flags of a document as `[key, definition]`, whichever of the two shapes it uses. */
export function flagEntries(doc: { flags: unknown }): Array<[string, Record<string, unknown>]> {
  const flags = doc.flags;
  if (Array.isArray(flags)) return flags.map((f) => [String((f as { key: string }).key), f as Record<string, unknown>]);
  if (!isRecord(flags)) return [];
  return Object.entries(flags).map(([key, def]) => [key, (isRecord(def) ? def : {}) as Record<string, unknown>]);
}
