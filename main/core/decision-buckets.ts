import type { InstantSample } from '../metrics/metrics-provider';

/**
 * Merged histogram buckets of one arm over a window (docs/statistics.md "tail from histograms"):
 * `sum by (le, <variant>) (increase(…_bucket[window]))` gives CUMULATIVE counts per `le` for each series; the arm's
 * counts are their sum per `le`, turned into per-bucket (non-cumulative) counts — the judge's `histogram` input.
 * Bounds are converted to ms (`unitMs` per unit of `le`); +Inf becomes null, last.
 */
export interface MergedBuckets {
  bounds: (number | null)[];
  counts: number[];
  total: number;
}

function leValue(le: string | undefined): number | null | undefined {
  if (le === undefined) return undefined;
  if (le === '+Inf' || le === 'Inf' || le === 'inf') return null;
  const v = Number(le);
  return Number.isFinite(v) ? v : undefined;
}

/** Cumulative count per bound of several series merged (same `le` summed). Series without a usable `le` are ignored. */
function cumulativeByBound(samples: readonly InstantSample[]): Map<number | null, number> {
  const out = new Map<number | null, number>();
  for (const s of samples) {
    const le = leValue(s.labels.le);
    if (le === undefined || !Number.isFinite(s.value)) continue;
    out.set(le, (out.get(le) ?? 0) + Math.max(0, s.value));
  }
  return out;
}

/**
 * Both arms on the same bounds (the union; a bound one arm lacks takes its next lower cumulative count, which is
 * what "no observations in between" means). Null when either arm has no bucket series at all.
 */
export function mergeArmBuckets(
  treatment: readonly InstantSample[],
  control: readonly InstantSample[],
  unitMs: number,
): { canary: MergedBuckets; baseline: MergedBuckets } | null {
  const t = cumulativeByBound(treatment);
  const c = cumulativeByBound(control);
  if (t.size === 0 || c.size === 0) return null;
  const finite = [...new Set([...t.keys(), ...c.keys()].filter((b): b is number => b !== null))].sort((a, b) => a - b);
  const bounds: (number | null)[] = [...finite, ...(t.has(null) || c.has(null) ? [null] : [])];
  const perBucket = (cum: Map<number | null, number>): MergedBuckets => {
    const counts: number[] = [];
    let previous = 0;
    let carried = 0;
    for (const b of bounds) {
      const here = cum.get(b);
      carried = here === undefined ? carried : Math.max(carried, here); // cumulative never decreases
      counts.push(Math.max(0, carried - previous));
      previous = carried;
    }
    return { bounds: bounds.map((b) => (b === null ? null : b * unitMs)), counts, total: previous };
  };
  return { canary: perBucket(t), baseline: perBucket(c) };
}
