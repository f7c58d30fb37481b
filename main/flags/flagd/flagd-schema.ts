import { z } from 'zod';
import { RampartError } from '../../../shared/errors';

/**
 * The flagd flag-definition file (https://flagd.dev/schema/v0/flags.json), as far as Rampart reads it.
 * Lenient about fields we don't use (they are kept verbatim when we rewrite the file), strict about the ones we do:
 * `state`, `variants`, `defaultVariant`, `targeting`, `metadata`, `$evaluators`.
 */

const MetadataValue = z.union([z.string(), z.number(), z.boolean()]);
const JsonLogic = z.record(z.string(), z.unknown());

function variantType(value: unknown): string {
  if (Array.isArray(value) || value === null) return 'object';
  return typeof value;
}

export const FlagdFlag = z
  .looseObject({
    state: z.enum(['ENABLED', 'DISABLED']),
    variants: z
      .record(z.string(), z.union([z.boolean(), z.string(), z.number(), z.record(z.string(), z.unknown()), z.array(z.unknown())]))
      .refine((v) => Object.keys(v).length >= 1, 'a flag needs at least one variant')
      .refine((v) => new Set(Object.values(v).map(variantType)).size <= 1, 'all variants of a flag must have the same type'),
    defaultVariant: z.string().nullable().optional(),
    targeting: JsonLogic.optional(),
    metadata: z.record(z.string(), MetadataValue).optional(),
  })
  .superRefine((flag, ctx) => {
    if (typeof flag.defaultVariant === 'string' && !(flag.defaultVariant in flag.variants)) {
      ctx.addIssue({ code: 'custom', path: ['defaultVariant'], message: `"${flag.defaultVariant}" is not one of the variants` });
    }
  });
export type FlagdFlag = z.infer<typeof FlagdFlag>;

/** The daemon also accepts `flags` as an array of `{key, …}`; in-process providers accept only the map. */
const FlagdFlagInArray = FlagdFlag.and(z.looseObject({ key: z.string().min(1) }));

const fileFields = {
  $schema: z.string().optional(),
  $evaluators: z.record(z.string(), z.unknown()).optional(),
  metadata: z.record(z.string(), MetadataValue).optional(),
};
// Two schemas rather than a union so a bad flag is reported at its own path, not as "invalid union at $.flags".
const FlagdFileWithMap = z.looseObject({ ...fileFields, flags: z.record(z.string(), FlagdFlag) });
const FlagdFileWithArray = z.looseObject({ ...fileFields, flags: z.array(FlagdFlagInArray) });
export type FlagdFile = z.infer<typeof FlagdFileWithMap> | z.infer<typeof FlagdFileWithArray>;

/** `$.flags["checkout-v2"].state` from a zod/parse path. */
export function jsonPath(path: readonly PropertyKey[]): string {
  let out = '$';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (typeof part === 'string' && /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(part)) out += `.${part}`;
    else out += `[${JSON.stringify(String(part))}]`;
  }
  return out;
}

/** Line and column (1-based) of a character offset, for JSON syntax errors. */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, offset));
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return { line, column };
}

/**
 * Parse and validate the text of a flagd file. Throws `RampartError('vendor_error')` naming the file and the JSON
 * path (or line and column) of the first problem. Returns the raw parsed document (every field, in file order)
 * alongside the validated view, so an edit can be applied to the raw document without losing unknown fields.
 */
export function parseFlagdText(file: string, text: string): { raw: Record<string, unknown>; parsed: FlagdFile } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const at = /position (\d+)/.exec(message);
    const where = at ? (({ line, column }) => ` at line ${line}, column ${column}`)(lineAndColumn(text, Number(at[1]))) : '';
    throw new RampartError('vendor_error', `flagd file ${file}: not valid JSON${where} (${message})`, { file });
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new RampartError('vendor_error', `flagd file ${file}: invalid at $: expected an object with a "flags" field`, { file, path: '$' });
  }
  const schema = Array.isArray((raw as { flags?: unknown }).flags) ? FlagdFileWithArray : FlagdFileWithMap;
  const result = schema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = jsonPath(issue.path);
    throw new RampartError('vendor_error', `flagd file ${file}: invalid at ${path}: ${issue.message}`, { file, path });
  }
  return { raw: raw as Record<string, unknown>, parsed: result.data };
}

/** The flags of a file as `[key, definition]`, whichever of the two shapes it uses. */
export function flagEntries(doc: { flags: unknown }): Array<[string, Record<string, unknown>]> {
  const flags = doc.flags;
  if (Array.isArray(flags)) return flags.map((f) => [String((f as { key: string }).key), f as Record<string, unknown>]);
  return Object.entries(flags as Record<string, Record<string, unknown>>);
}
