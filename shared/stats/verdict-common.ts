/** What every per-metric verdict shares: method names, the nodata shape, and sample bookkeeping for reasons. */
import type { MetricVerdict } from '../domain/verdict';
import type { CleanSample } from './sample';

export type Kind = MetricVerdict['kind'];

export const DEFAULT_CONFIDENCE = 0.98;
export const DEFAULT_ALLOWED_INCREASE = 1.1;
export const ERROR_RELATIVE_LIMIT = 0.1;
export const ERROR_ABSOLUTE_LIMIT = 0.001;

export const METHODS: Record<Kind, string> = {
  latency: 'brunner-munzel + hodges-lehmann (tie-aware interval)',
  errors: 'two-proportion-z + newcombe difference + mover-r ratio',
  quantile: 'order-statistic ratio interval (hahn-meeker per arm, goldstein-healy combination)',
  histogram: 'merged-histogram order-statistic ratio interval (hahn-meeker per arm, goldstein-healy combination)',
};

export function nodataVerdict(
  name: string,
  kind: Kind,
  critical: boolean,
  reason: string,
  baselineN = 0,
  canaryN = 0,
  level = 'no interval',
): MetricVerdict {
  return {
    name,
    kind,
    verdict: 'nodata',
    direction: 'same',
    method: METHODS[kind],
    pValue: null,
    estimate: null,
    ci: null,
    ratio: null,
    baselineN,
    canaryN,
    critical,
    reason,
    margin: null,
    relativeCi: null,
    level,
  };
}

export function finiteOrNull(x: number | null): number | null {
  return x !== null && Number.isFinite(x) ? x : null;
}

/** The margin of a ratio-type metric from its allowed increase (1.10 → 0.10). */
export function marginFrom(allowedIncrease: unknown): number {
  const allowed =
    typeof allowedIncrease === 'number' && Number.isFinite(allowedIncrease) && allowedIncrease > 1
      ? allowedIncrease
      : DEFAULT_ALLOWED_INCREASE;
  return Number((allowed - 1).toPrecision(12)); // 1.1 − 1 is 0.10000000000000009 in binary
}

/** Why a sample cannot be judged at all (empty provider answer or nothing finite in it), or null. */
export function emptyReason(arm: 'baseline' | 'canary', s: CleanSample): string | null {
  if (s.received === 0) return `the provider returned no points for the ${arm}`;
  if (s.sorted.length === 0) return `all ${s.received} ${arm} values are NaN, missing or negative`;
  return null;
}

export function droppedNote(b: CleanSample, c: CleanSample): string {
  const dropped = b.dropped + c.dropped;
  return dropped > 0 ? ` (${dropped} NaN/missing value${dropped === 1 ? '' : 's'} dropped)` : '';
}

/** A sample for the latency kinds: negative values are bad input (the schema refuses them); here they are dropped too. */
export function nonNegative(s: CleanSample): CleanSample {
  let first = 0;
  while (first < s.sorted.length && s.sorted[first] < 0) first++;
  return first === 0 ? s : { sorted: s.sorted.subarray(first), received: s.received, dropped: s.dropped + first };
}
