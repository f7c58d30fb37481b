import { readFileSync } from 'node:fs';
import { FlagdCore } from '@openfeature/flagd-core';

/**
 * The judge of every rollback test: `@openfeature/flagd-core` (the in-process provider's evaluator) loads the file
 * from disk and evaluates one flag for 10,000 targeting keys plus hand-picked contexts that hit each rule shape of
 * the fixtures (an email domain, no targetingKey, a list where a bucketing key is expected, …). Written apart from
 * the adapter's own sampler (main/flags/flagd/flagd-samples.ts) so the two cannot share a blind spot.
 */

export const KEYS = Array.from({ length: 10_000 }, (_, i) => `user-${i}`);

export const PROBES: Array<Record<string, unknown>> = [
  {},
  { email: 'ana@example.com' },
  { targetingKey: 'probe-1', email: 'ana@example.com' },
  { targetingKey: 'probe-2', email: 'bo@elsewhere.test' },
  { targetingKey: 'probe-3', email: ['on', 100] },
  { targetingKey: 'probe-4', email: ['ml-v2', 100] },
  { targetingKey: 'probe-5', variant: 'on' },
  { targetingKey: 'probe-6', tier: 'gold' },
  { targetingKey: 'probe-7', buckets: [['on', 1]] },
  ...Array.from({ length: 200 }, (_, i) => ({ targetingKey: `staff-${i}`, email: `staff-${i}@example.com` })),
];

const SILENT = { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined };

export interface Served {
  /** Variant name per evaluation ('(code default)' when flagd-core serves none, '(disabled)' when the flag is off). */
  variants: string[];
  errors: number;
  disabled: boolean;
}

function typeOf(value: unknown): 'boolean' | 'string' | 'number' | 'object' {
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'string') return 'string';
  return typeof value === 'number' ? 'number' : 'object';
}

export function evaluateFile(
  file: string,
  flagKey: string,
  contexts: Array<Record<string, unknown>> = [...KEYS.map((targetingKey) => ({ targetingKey })), ...PROBES],
): Served {
  const core = new FlagdCore(undefined, SILENT);
  core.setConfigurations(readFileSync(file, 'utf8')); // throws on a file flagd-core would reject
  const flag = core.getFlag(flagKey);
  if (!flag) throw new Error(`flagd-core does not see flag ${flagKey}`);
  const type = typeOf([...flag.variants.values()][0]);
  const fallback = { boolean: false, string: '', number: 0, object: {} }[type];
  const out: Served = { variants: [], errors: 0, disabled: flag.state === 'DISABLED' };
  for (const ctx of contexts) {
    const r = core.resolve(type, flagKey, fallback as never, ctx as never, SILENT);
    if (r.reason === 'ERROR') out.errors++;
    out.variants.push(r.reason === 'DISABLED' ? '(disabled)' : (r.variant ?? '(code default)'));
  }
  return out;
}

/** Evaluations that served a variant other than `control` (the code default and a disabled flag are not one). */
export function treatmentServed(s: Served, control: string): number {
  return s.variants.filter((v) => v !== control && v !== '(code default)' && v !== '(disabled)').length;
}
