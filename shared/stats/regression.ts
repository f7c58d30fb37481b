/**
 * Where did a regression start, over a window (the incident timeline, docs/statistics.md "Regression onset and
 * suspects")? Offline change-point segmentation made robust the way performance-regression tools do it (Apache
 * Otava/Hunter):
 *   1. adjust for trend and daily seasonality against the seasonal baseline — the same metric one week (or one
 *      day) earlier, shifted onto the window: the residual is log(x / seasonal) (x − seasonal for series with zeros);
 *   2. remove single spikes (a Hampel filter: a point far from its neighbours' median is replaced by that median),
 *      so one noisy minute can neither be an onset nor hide one;
 *   3. binary segmentation of the residual (onset.ts) with a minimum segment length;
 *   4. keep only shifts of at least a minimum effect, measured between the medians of the adjacent segments;
 *   5. the regression is the latest rise at least half as large as the largest (a window may hold several steps of
 *      one rollout; the responder asks about the last one, but a small late wobble must not hide a big step).
 * Pure: the caller fetches the window and its seasonal reference.
 */
import { normalTwoSidedP } from './distributions';
import type { SeriesPoint } from './onset';
import { medianSorted } from './sample';
import { sortFloat64 } from './sort';

export interface RegressionOptions {
  /** Spacing of the series' points. */
  stepMs: number;
  /** The same metric one period earlier, its timestamps already moved onto the window (t + period). */
  seasonal?: readonly SeriesPoint[] | null;
  /** Name of the seasonal period for the method text ("one week", "one day"). */
  seasonalLabel?: string;
  /** Smallest relative shift worth calling a regression; default 0.05 (half the default allowed increase). */
  minEffect?: number;
  /** Smallest change of the level in the metric's own units (error ratios: 0.0005 = 0.05 pp); default none. */
  minAbsolute?: number;
  /** Shortest stretch a level must hold to count as a segment; default 10 min (and never under 5 points). */
  minSegmentMs?: number;
  /** Significance of a split (Bonferroni over the candidate positions); default 0.01. */
  alpha?: number;
}

export interface Shift {
  /** Epoch ms of the first point of the new level. */
  at: number;
  /** Relative change of the level, adjusted for seasonality when a reference was used: after / before − 1. */
  shift: number;
  /** Median of the metric (raw units) in the segments before and after. */
  levelBefore: number;
  levelAfter: number;
  pValue: number;
}

export interface RegressionResult {
  /** The latest rise of at least `minEffect` and half the largest, or null. */
  regression: Shift | null;
  /** Every kept shift (rises and drops), oldest first. */
  shifts: Shift[];
  adjusted: 'seasonal' | 'none';
  /** One sentence saying how the onset was found, for the UI and the CLI. */
  method: string;
}

const MIN_SEASONAL_COVERAGE = 0.6;
const HAMPEL_HALF_WIDTH = 3;
const HAMPEL_K = 3.5;

function median(values: ArrayLike<number>): number {
  return values.length === 0 ? Number.NaN : medianSorted(sortFloat64(Float64Array.from(values)));
}

/** Robust σ of a series' noise from its first differences (a level shift barely moves it). */
function noiseSigma(v: Float64Array): number {
  if (v.length < 3) return 0;
  const d = new Float64Array(v.length - 1);
  for (let i = 1; i < v.length; i++) d[i - 1] = Math.abs(v[i] - v[i - 1]);
  return (1.4826 * median(d)) / Math.SQRT2;
}

/** Hampel filter: each value more than k·σ from the median of its ±h neighbours is replaced by that median. */
export function removeSpikes(values: Float64Array, halfWidth = HAMPEL_HALF_WIDTH, k = HAMPEL_K): Float64Array {
  const out = Float64Array.from(values);
  const sigma = noiseSigma(values);
  if (!(sigma > 0)) return out;
  for (let i = 0; i < values.length; i++) {
    const a = Math.max(0, i - halfWidth);
    const b = Math.min(values.length, i + halfWidth + 1);
    const m = median(values.subarray(a, b));
    if (Math.abs(values[i] - m) > k * sigma) out[i] = m;
  }
  return out;
}

/**
 * The seasonal reference at each time of `times`: a running median over ±30 min of the nearest points. Only the
 * daily shape is wanted; the reference's own minute-to-minute noise and slow wobble would otherwise add to the
 * residual's.
 */
function seasonalAt(times: readonly number[], seasonal: readonly SeriesPoint[], stepMs: number): (number | null)[] {
  const half = Math.max(7, Math.round((30 * 60_000) / Math.max(1, stepMs)));
  const finite = seasonal
    .filter((p): p is readonly [number, number] => p[1] !== null && Number.isFinite(p[1]))
    .sort((a, b) => a[0] - b[0]);
  const out: (number | null)[] = [];
  let j = 0;
  for (const t of times) {
    while (j + 1 < finite.length && Math.abs(finite[j + 1][0] - t) <= Math.abs(finite[j][0] - t)) j++;
    if (finite.length === 0 || Math.abs(finite[j][0] - t) > stepMs) {
      out.push(null);
      continue;
    }
    const window = finite.slice(Math.max(0, j - half), j + half + 1).map((p) => p[1]);
    out.push(median(window));
  }
  return out;
}

export function findRegression(series: readonly SeriesPoint[], opts: RegressionOptions): RegressionResult {
  const minEffect = opts.minEffect ?? 0.05;
  const minSegment = Math.max(5, Math.ceil((opts.minSegmentMs ?? 10 * 60_000) / Math.max(1, opts.stepMs)));
  const points = series.filter((p): p is readonly [number, number] => p[1] !== null && Number.isFinite(p[1]));
  const none = (method: string): RegressionResult => ({ regression: null, shifts: [], adjusted: 'none', method });
  if (points.length < 2 * minSegment)
    return none(`too few points (${points.length}) to find a shift lasting ${minSegment} steps`);

  const positive = points.every((p) => p[1] > 0);
  const reference = opts.seasonal
    ? seasonalAt(
        points.map((p) => p[0]),
        opts.seasonal,
        opts.stepMs,
      )
    : [];
  const covered = reference.filter((r) => r !== null && (!positive || r > 0)).length;
  const useSeasonal = points.length > 0 && covered / points.length >= MIN_SEASONAL_COVERAGE;
  // Multiplicative for strictly positive metrics (latency scales with load), additive when zeros occur.
  const transform = (x: number): number => (positive ? Math.log(x) : x);
  const fallback = useSeasonal
    ? median(reference.filter((r): r is number => r !== null && (!positive || r > 0)).map(transform))
    : 0;
  const residual = Float64Array.from(points, (p, i) => {
    const r = reference[i];
    const base = useSeasonal ? (r !== null && (!positive || r > 0) ? transform(r) : fallback) : 0;
    return transform(p[1]) - base;
  });
  const filtered = removeSpikes(residual);
  const changes = rankChangePoints(filtered, minSegment, opts.alpha ?? 0.01, 12);
  // Effect of each change between the medians of its adjacent segments (not the halves the split was tested on).
  const bounds = [0, ...changes.map((c) => c.index), points.length];
  const shifts: Shift[] = [];
  for (let k = 0; k < changes.length; k++) {
    const [a, s, b] = [bounds[k], bounds[k + 1], bounds[k + 2]];
    const before = median(filtered.subarray(a, s));
    const after = median(filtered.subarray(s, b));
    const rawBefore = median(points.slice(a, s).map((p) => p[1]));
    const rawAfter = median(points.slice(s, b).map((p) => p[1]));
    const shift = positive
      ? Math.exp(after - before) - 1
      : rawBefore !== 0
        ? (after - before) / Math.abs(rawBefore)
        : Number.NaN;
    if (!Number.isFinite(shift) || Math.abs(shift) < minEffect) continue;
    if (opts.minAbsolute !== undefined && Math.abs(rawAfter - rawBefore) < opts.minAbsolute) continue;
    shifts.push({ at: points[s][0], shift, levelBefore: rawBefore, levelAfter: rawAfter, pValue: changes[k].pValue });
  }
  const rises = shifts.filter((s) => s.shift > 0);
  // Several rises (one rollout's steps, a day apart): the latest that is at least half the largest — the responder
  // asks about what happened last, but a small late wobble must not hide the big step before it.
  const largest = rises.reduce((m, s) => Math.max(m, s.shift), 0);
  const chosen = rises.filter((s) => s.shift >= largest / 2).at(-1) ?? null;
  const regression = chosen ? { ...chosen, at: refineOnset(points, filtered, chosen.at, minSegment) } : null;
  const adjusted = useSeasonal ? 'seasonal' : 'none';
  const against = useSeasonal
    ? `against the seasonal baseline (${opts.seasonalLabel ?? 'one period'} earlier)`
    : 'without a seasonal baseline (none with enough data)';
  const method = `change points ${against}, single spikes removed, segments ≥ ${minSegment} steps, shifts ≥ ${Math.round(minEffect * 100)}%; the latest large rise`;
  return { regression, shifts, adjusted, method };
}

/**
 * Where the run-up into a new level began: a split maximises the difference of the two sides, so a rise in two
 * stages (a ramp, then its load catching up) splits at the second. Between the level before and the level after,
 * the least-absolute-deviation boundary over a short stretch before the split finds the first step of the climb
 * (L1, so a stray high point before the ramp does not pull the onset early).
 */
function refineOnset(
  points: readonly (readonly [number, number])[],
  filtered: Float64Array,
  at: number,
  minSegment: number,
): number {
  const s = points.findIndex((p) => p[0] === at);
  const lookback = Math.max(30, 3 * minSegment);
  const a = Math.max(0, s - lookback);
  const before = filtered.subarray(Math.max(0, a - lookback), a);
  const levelBefore = median(before.length >= minSegment ? before : filtered.subarray(a, s));
  const levelAfter = median(filtered.subarray(s, Math.min(filtered.length, s + 2 * minSegment)));
  if (s <= a || !Number.isFinite(levelBefore) || !(levelAfter > levelBefore)) return at;
  // cost(t) = Σ_[a,t) |r − before| + Σ_[t,s) |r − after|, updated as t moves left from s.
  let cost = 0;
  for (let i = a; i < s; i++) cost += Math.abs(filtered[i] - levelBefore);
  let best = { t: s, cost };
  for (let t = s - 1; t >= a; t--) {
    cost += Math.abs(filtered[t] - levelAfter) - Math.abs(filtered[t] - levelBefore);
    if (cost < best.cost) best = { t, cost };
  }
  return points[best.t][0];
}

/**
 * Binary segmentation with a rank statistic: at each stage the split where the Mann–Whitney z between the two sides
 * is largest, kept when significant after Bonferroni over the candidate positions. Ranks bound what any one value
 * can do, and per-minute tail latencies are heavy-tailed, so this is robust where a t statistic is not.
 */
export function rankChangePoints(
  values: Float64Array,
  minSegment: number,
  alpha: number,
  maxChanges: number,
): { index: number; pValue: number }[] {
  const found: { index: number; pValue: number }[] = [];
  const queue: [number, number][] = [[0, values.length]];
  while (queue.length > 0 && found.length < maxChanges) {
    const [a, b] = queue.shift() as [number, number];
    const m = b - a;
    if (m < 2 * minSegment) continue;
    const order = Array.from({ length: m }, (_, i) => i).sort((x, y) => values[a + x] - values[a + y]);
    const ranks = new Float64Array(m);
    for (let i = 0; i < m;) {
      let j = i;
      while (j + 1 < m && values[a + order[j + 1]] === values[a + order[i]]) j++;
      for (let k = i; k <= j; k++) ranks[order[k]] = (i + j) / 2 + 1; // ties share their mean rank
      i = j + 1;
    }
    const prefix = new Float64Array(m + 1);
    for (let i = 0; i < m; i++) prefix[i + 1] = prefix[i] + ranks[i];
    let best = { s: -1, z: 0 };
    for (let s = minSegment; s <= m - minSegment; s++) {
      const n1 = s;
      const n2 = m - s;
      const u = prefix[m] - prefix[s] - (n2 * (n2 + 1)) / 2;
      const z = (u - (n1 * n2) / 2) / Math.sqrt((n1 * n2 * (m + 1)) / 12);
      if (Math.abs(z) > Math.abs(best.z)) best = { s, z };
    }
    if (best.s < 0) continue;
    const p = normalTwoSidedP(best.z);
    if (!(p * (m - 2 * minSegment + 1) < alpha)) continue;
    found.push({ index: a + best.s, pValue: p });
    queue.push([a, a + best.s], [a + best.s, b]);
  }
  return found.sort((x, y) => x.index - y.index);
}
