import { parseArgs, type ParseArgsConfig } from 'node:util';
import { RampartError } from '../../../shared/errors';

export type Options = NonNullable<ParseArgsConfig['options']>;

/** Flags every command takes. */
export const GLOBAL_OPTIONS: Options = {
  json: { type: 'boolean' },
  'data-dir': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};

export class UsageError extends RampartError {
  constructor(message: string) {
    super('bad_request', message);
  }
}

/** Strict parsing: an unknown flag or a missing value is a one-line error naming it, exit code 2. */
export function parse(args: string[], options: Options) {
  try {
    return parseArgs({ args, options: { ...GLOBAL_OPTIONS, ...options }, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, '').split('\n')[0]);
  }
}

export function requireString(values: Record<string, unknown>, name: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v.trim() === '') throw new UsageError(`--${name} is required`);
  return v;
}

export function optionalNumber(values: Record<string, unknown>, name: string, min: number, max: number): number | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (typeof v !== 'string' || v.trim() === '' || !Number.isFinite(n) || n < min || n > max) {
    throw new UsageError(`--${name} must be a number from ${min} to ${max}, got '${String(v)}'`);
  }
  return n;
}

/** Accepts ISO times, epoch ms, or a relative "24h" / "30m" / "7d" meaning that long before now. */
export function parseTime(value: string, now: number, flag: string): number {
  const rel = /^(\d+(?:\.\d+)?)(s|m|h|d)$/.exec(value);
  if (rel) return now - Number(rel[1]) * { s: 1e3, m: 6e4, h: 3.6e6, d: 8.64e7 }[rel[2] as 's' | 'm' | 'h' | 'd'];
  if (/^\d{10,}$/.test(value)) return Number(value);
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new UsageError(`--${flag} must be an ISO time, epoch ms, or a duration like 24h; got '${value}'`);
  return t;
}

export function parseDuration(value: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(value);
  if (!m) throw new UsageError(`--${flag} must be a duration like 60s, 5m or 1h; got '${value}'`);
  return Number(m[1]) * { ms: 1, s: 1e3, m: 6e4, h: 3.6e6 }[m[2] as 'ms' | 's' | 'm' | 'h'];
}
