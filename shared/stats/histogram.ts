/**
 * Quantiles of a histogram — per-bucket counts merged over the whole window (docs/statistics.md "tail from
 * histograms": `sum by (le, variant) (increase(…_bucket[window]))`). Positions inside a bucket are interpolated
 * linearly exactly as Prometheus' histogram_quantile does, so the judge's p99 is the number a dashboard shows for
 * the same window:
 *   rank r = q·total; the first bucket whose cumulative count reaches r holds it; value = lower edge +
 *   (upper − lower)·(r − count below)/count in bucket; the lowest bucket starts at 0 (if its bound is > 0); a rank
 *   in the +Inf bucket answers the largest finite bound — an "open" value: the truth is somewhere above it.
 * The order-statistic interval (quantile-compare.ts) uses the same mapping at integer ranks: which bucket holds the
 * l-th smallest observation is exact, its position inside the bucket is interpolated.
 */

export interface MergedHistogram {
  /** Upper bounds; the last may be null (+Inf). */
  bounds: ReadonlyArray<number | null>;
  /** Cumulative counts per bucket. */
  cumulative: Float64Array;
  total: number;
  /** Index of the last finite bucket (−1 if none). */
  lastFinite: number;
}

export interface RankValue {
  value: number;
  /** The rank lies in the +Inf bucket: `value` is only a floor (the largest finite bound). */
  open: boolean;
}

/** Builds the cumulative view; null when the counts are unusable (length mismatch, negative or not finite). */
export function mergeHistogram(
  bounds: ReadonlyArray<number | null>,
  counts: ArrayLike<number>,
): MergedHistogram | null {
  if (
    !Array.isArray(bounds) ||
    !(Array.isArray(counts) || counts instanceof Float64Array) ||
    bounds.length === 0 ||
    bounds.length !== counts.length
  )
    return null;
  const cumulative = new Float64Array(counts.length);
  let sum = 0;
  let lastFinite = -1;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i];
    if (typeof c !== 'number' || !Number.isFinite(c) || c < 0) return null;
    const b = bounds[i];
    if (b !== null) {
      if (typeof b !== 'number' || !Number.isFinite(b)) return null;
      if (lastFinite >= 0 && !(b > (bounds[lastFinite] as number))) return null;
      if (lastFinite !== i - 1) return null; // a finite bound after +Inf
      lastFinite = i;
    } else if (i !== bounds.length - 1) return null;
    sum += c;
    cumulative[i] = sum;
  }
  return { bounds, cumulative, total: sum, lastFinite };
}

/** The value at continuous rank r ∈ [0, total] (histogram_quantile's interpolation). */
export function valueAtRank(h: MergedHistogram, rank: number): RankValue {
  const { cumulative, bounds, lastFinite } = h;
  if (lastFinite < 0) return { value: Number.NaN, open: true };
  // First finite bucket whose cumulative count reaches the rank (binary search: cumulative is non-decreasing).
  let lo = 0;
  let hi = lastFinite + 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cumulative[mid] >= rank) hi = mid;
    else lo = mid + 1;
  }
  if (lo > lastFinite) return { value: bounds[lastFinite] as number, open: true };
  const upper = bounds[lo] as number;
  if (lo === 0 && upper <= 0) return { value: upper, open: false };
  const lower = lo === 0 ? 0 : (bounds[lo - 1] as number);
  const below = lo === 0 ? 0 : cumulative[lo - 1];
  const inBucket = cumulative[lo] - below;
  if (!(inBucket > 0)) return { value: lower, open: false };
  return { value: lower + (upper - lower) * ((rank - below) / inBucket), open: false };
}

/** histogram_quantile(q) of the merged counts. */
export function histogramQuantile(h: MergedHistogram, q: number): RankValue {
  return valueAtRank(h, q * h.total);
}

/** How many observations share the bucket that holds continuous rank r (0 when it is the +Inf bucket). */
export function bucketCountAt(h: MergedHistogram, rank: number): number {
  const { cumulative, lastFinite } = h;
  for (let i = 0; i <= lastFinite; i++)
    if (cumulative[i] >= rank) return cumulative[i] - (i > 0 ? cumulative[i - 1] : 0);
  return 0;
}
