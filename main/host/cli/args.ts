import { resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { RampartError } from '../../../shared/errors';

export type Options = NonNullable<ParseArgsConfig['options']>;

/** Flags every command takes. */
export const GLOBAL_OPTIONS: Options = {
  json: { type: 'boolean' },
  'data-dir': { type: 'string' },
  /** Environment variables a connection may name beyond the RAMPART_ prefix: `--allow-env A,B`, repeatable. */
  'allow-env': { type: 'string', multiple: true },
  help: { type: 'boolean', short: 'h' },
};

export class UsageError extends RampartError {
  constructor(message: string) {
    super('bad_request', message);
  }
}

/**
 * Strict parsing: an unknown flag, a missing value or an option given twice is a one-line error naming it, exit
 * code 2. Twice: `ramp --to 20 --to 30` silently ramped to 30 (parseArgs keeps the last); only options declared
 * `multiple`, and switches, may repeat.
 */
export function parse(args: string[], options: Options) {
  const all = { ...GLOBAL_OPTIONS, ...options };
  let parsed: ReturnType<typeof parseArgs<{ args: string[]; options: Options; allowPositionals: true; tokens: true }>>;
  try {
    parsed = parseArgs({ args, options: all, allowPositionals: true, strict: true, tokens: true });
  } catch (e) {
    const message = (e as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, '');
    // parseArgs: "Option '--to' argument is ambiguous. Did you forget …" — for `--to -5`.
    const ambiguous = /^Option '(--[\w-]+)' argument is ambiguous/.exec(message);
    throw new UsageError(
      ambiguous
        ? `${ambiguous[1]} needs a value; one that starts with '-' is written ${ambiguous[1]}=<value>`
        : message.split('\n')[0],
    );
  }
  const seen = new Map<string, string | undefined>();
  for (const t of parsed.tokens ?? []) {
    // A repeated switch (`--json --json`) says the same thing twice; a repeated value may say two things.
    if (t.kind !== 'option' || all[t.name]?.multiple || all[t.name]?.type === 'boolean') continue;
    if (seen.has(t.name)) {
      const values = [seen.get(t.name), t.value].filter((v) => v !== undefined).map((v) => `'${v}'`);
      throw new UsageError(
        `--${t.name} is given twice${values.length ? ` (${values.join(', then ')})` : ''}: give it once`,
      );
    }
    seen.set(t.name, t.value);
  }
  return { values: parsed.values, positionals: parsed.positionals };
}

export function requireString(values: Record<string, unknown>, name: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v.trim() === '') throw new UsageError(`--${name} is required`);
  return v;
}

/** Plain decimal notation only: no hex (0x10), exponent (1e1), leading zero (016), sign-less junk or spaces. */
const DECIMAL = /^-?(?:0|[1-9]\d*)(?:\.\d+)?$/;
const INTEGER = /^-?(?:0|[1-9]\d*)$/;

/**
 * A number flag within [min, max]. `Number()` alone reads `0x10` as 16, `1e1` as 10 and ` 5` as 5 — a ramp to a
 * percentage the user never typed — so the text must be plain decimal (an integer where `integer` is set).
 */
export function optionalNumber(
  values: Record<string, unknown>,
  name: string,
  min: number,
  max: number,
  o: { integer?: boolean } = {},
): number | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  const kind = o.integer ? 'a whole number' : 'a number';
  const text = typeof v === 'string' ? v : '';
  const n = Number(text);
  if (!(o.integer ? INTEGER : DECIMAL).test(text) || !Number.isFinite(n) || n < min || n > max) {
    throw new UsageError(
      `--${name} must be ${kind} from ${min} to ${max}, got '${String(v)}' (plain decimal digits only)`,
    );
  }
  return n === 0 ? 0 : n; // never -0
}

/** --data-dir: an empty value would put the database in the current directory, so it is refused. */
export function dataDirOption(values: Record<string, unknown>, fallback: () => string): string {
  const v = values['data-dir'];
  if (v === undefined) return fallback();
  if (typeof v !== 'string' || v.trim() === '')
    throw new UsageError(`--data-dir must name a folder, got '${String(v)}'`);
  return resolve(v);
}

/** --allow-env, however often given, split on commas; each entry must be a variable name. */
export function allowEnvOption(values: Record<string, unknown>): string[] {
  const v = values['allow-env'];
  if (v === undefined) return [];
  const names = (Array.isArray(v) ? v : [v]).flatMap((s) => String(s).split(',')).map((s) => s.trim());
  const bad = names.find((s) => !/^[A-Za-z_][A-Za-z0-9_]{0,127}$/.test(s));
  if (bad !== undefined)
    throw new UsageError(`--allow-env takes environment variable names separated by commas, got '${bad}'`);
  return names;
}

/** Accepts ISO times, epoch ms, or a relative "24h" / "30m" / "7d" meaning that long before now. */
export function parseTime(value: string, now: number, flag: string): number {
  const rel = /^((?:0|[1-9]\d*)(?:\.\d+)?)(s|m|h|d)$/.exec(value);
  if (rel) return now - Number(rel[1]) * { s: 1e3, m: 6e4, h: 3.6e6, d: 8.64e7 }[rel[2] as 's' | 'm' | 'h' | 'd'];
  if (/^[1-9]\d{9,}$/.test(value)) return Number(value);
  // Only ISO dates: Date.parse also reads '5' or 'March' as some year's date.
  const t = /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(t))
    throw new UsageError(`--${flag} must be an ISO time, epoch ms, or a duration like 24h; got '${value}'`);
  return t;
}

export function parseDuration(value: string, flag: string): number {
  const m = /^((?:0|[1-9]\d*)(?:\.\d+)?)(ms|s|m|h)$/.exec(value);
  if (!m) throw new UsageError(`--${flag} must be a duration like 60s, 5m or 1h; got '${value}'`);
  return Number(m[1]) * { ms: 1, s: 1e3, m: 6e4, h: 3.6e6 }[m[2] as 'ms' | 's' | 'm' | 'h'];
}
