/**
 * When did a regression start?
 *  - Online: two-sided CUSUM on standardized values, z = (x − μ₀)/σ₀, with reference k = 0.5 and decision interval
 *    h = 5 (in σ): S⁺ = max(0, S⁺ + z − k), S⁻ = max(0, S⁻ − z − k); alarm when either exceeds h. The onset is
 *    the step after that side last sat at 0. About 10 steps to detect a 1σ shift, ~465 steps between false alarms.
 *  - Offline: binary segmentation — split the window where Welch's t between the two sides is largest, keep the
 *    split if significant (Bonferroni over candidate splits), recurse on both halves (Apache Otava/Hunter's idea).
 */
import { studentTTwoSidedP } from './special';
import { medianSorted } from './sample';
import { sortFloat64 } from './sort';

/** A point of a time series: [epoch ms, value]; null = missing (skipped, never read as 0). */
export type SeriesPoint = readonly [number, number | null];

export interface CusumOptions {
  /** In-control mean and standard deviation (σ > 0). */
  mean: number;
  sd: number;
  k?: number;
  h?: number;
}

export interface CusumState {
  upper: number;
  lower: number;
  /** Index of the next value. */
  index: number;
  /** Index where each side last left 0 (the onset estimate if that side alarms). */
  upperStart: number;
  lowerStart: number;
}

export interface CusumAlarm {
  direction: 'higher' | 'lower';
  /** Index of the first value of the run that triggered the alarm. */
  onsetIndex: number;
  alarmIndex: number;
}

export function cusumStep(
  state: CusumState | null,
  value: number | null,
  options: CusumOptions,
): { state: CusumState; alarm: CusumAlarm | null } {
  const s = state ?? { upper: 0, lower: 0, index: 0, upperStart: 0, lowerStart: 0 };
  const index = s.index;
  if (value === null || !Number.isFinite(value) || !(options.sd > 0))
    return { state: { ...s, index: index + 1 }, alarm: null };
  const k = options.k ?? 0.5;
  const h = options.h ?? 5;
  const z = (value - options.mean) / options.sd;
  const upper = Math.max(0, s.upper + z - k);
  const lower = Math.max(0, s.lower - z - k);
  const upperStart = s.upper === 0 ? index : s.upperStart;
  const lowerStart = s.lower === 0 ? index : s.lowerStart;
  const next = { upper, lower, index: index + 1, upperStart, lowerStart };
  if (upper > h)
    return {
      state: { ...next, upper: 0, lower: 0 },
      alarm: { direction: 'higher', onsetIndex: upperStart, alarmIndex: index },
    };
  if (lower > h)
    return {
      state: { ...next, upper: 0, lower: 0 },
      alarm: { direction: 'lower', onsetIndex: lowerStart, alarmIndex: index },
    };
  return { state: next, alarm: null };
}

export interface Onset {
  /** Epoch ms of the estimated first regressed point. */
  at: number;
  index: number;
  /** Epoch ms of the point at which the detector fired. */
  alarmAt: number;
  direction: 'higher' | 'lower';
  method: 'cusum' | 'binary-segmentation';
}

/** Robust location and scale: median and 1.4826 × MAD (falls back to the standard deviation when MAD is 0). */
export function robustMeanSd(values: ArrayLike<number>): { mean: number; sd: number } {
  const sorted = sortFloat64(Float64Array.from(values));
  const med = medianSorted(sorted);
  const deviations = sortFloat64(sorted.map((v) => Math.abs(v - med)));
  let sd = 1.4826 * medianSorted(deviations);
  if (!(sd > 0)) {
    let m = 0;
    for (const v of sorted) m += v / sorted.length;
    let ss = 0;
    for (const v of sorted) ss += (v - m) ** 2;
    sd = sorted.length > 1 ? Math.sqrt(ss / (sorted.length - 1)) : 0;
  }
  return { mean: med, sd };
}

/**
 * First CUSUM alarm in a series. The in-control mean/σ come from `reference` if given, else from the first
 * `referencePoints` finite values (default 20). Null when there is no alarm or no usable reference.
 */
export function detectOnsetCusum(
  series: readonly SeriesPoint[],
  options: { reference?: { mean: number; sd: number }; referencePoints?: number; k?: number; h?: number } = {},
): Onset | null {
  const finite = series.filter((p): p is readonly [number, number] => p[1] !== null && Number.isFinite(p[1]));
  const reference = options.reference ?? robustMeanSd(finite.slice(0, options.referencePoints ?? 20).map((p) => p[1]));
  if (!(reference.sd > 0) || !Number.isFinite(reference.mean)) return null;
  let state: CusumState | null = null;
  for (let i = 0; i < series.length; i++) {
    const step = cusumStep(state, series[i][1], { ...reference, k: options.k, h: options.h });
    state = step.state;
    if (step.alarm) {
      const onset = series[step.alarm.onsetIndex];
      return {
        at: onset[0],
        index: step.alarm.onsetIndex,
        alarmAt: series[i][0],
        direction: step.alarm.direction,
        method: 'cusum',
      };
    }
  }
  return null;
}

export interface ChangePoint {
  /** Index in the series of the first point after the change. */
  index: number;
  at: number;
  meanBefore: number;
  meanAfter: number;
  /** Welch t-test p-value between the adjacent segments (not multiplicity-adjusted). */
  pValue: number;
}

function welch(
  prefix: Float64Array,
  prefix2: Float64Array,
  a: number,
  s: number,
  b: number,
): { t: number; df: number; m1: number; m2: number } {
  const n1 = s - a;
  const n2 = b - s;
  const m1 = (prefix[s] - prefix[a]) / n1;
  const m2 = (prefix[b] - prefix[s]) / n2;
  const v1 = Math.max(0, (prefix2[s] - prefix2[a] - n1 * m1 * m1) / (n1 - 1));
  const v2 = Math.max(0, (prefix2[b] - prefix2[s] - n2 * m2 * m2) / (n2 - 1));
  const se2 = v1 / n1 + v2 / n2;
  if (!(se2 > 0)) return { t: m1 === m2 ? 0 : Infinity, df: n1 + n2 - 2, m1, m2 };
  const df = (se2 * se2) / ((v1 / n1) ** 2 / (n1 - 1) + (v2 / n2) ** 2 / (n2 - 1));
  return { t: (m2 - m1) / Math.sqrt(se2), df: Number.isFinite(df) ? df : n1 + n2 - 2, m1, m2 };
}

/** Offline change points of a series by binary segmentation; missing values are skipped. */
export function detectChangePoints(
  series: readonly SeriesPoint[],
  options: { minSegment?: number; alpha?: number; maxChanges?: number } = {},
): ChangePoint[] {
  const kept: number[] = []; // index in `series` of each finite point
  series.forEach((p, i) => {
    if (p[1] !== null && Number.isFinite(p[1])) kept.push(i);
  });
  const points = kept.map((i) => series[i] as readonly [number, number]);
  const minSegment = Math.max(2, options.minSegment ?? 5);
  const alpha = options.alpha ?? 0.01;
  const maxChanges = options.maxChanges ?? 10;
  const n = points.length;
  // Centre the values before the prefix sums of squares, so variances do not cancel catastrophically.
  const centre = n > 0 ? points.reduce((sum, p) => sum + p[1] / n, 0) : 0;
  const prefix = new Float64Array(n + 1);
  const prefix2 = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    const v = points[i][1] - centre;
    prefix[i + 1] = prefix[i] + v;
    prefix2[i + 1] = prefix2[i] + v * v;
  }
  const found: ChangePoint[] = [];
  const queue: Array<[number, number]> = [[0, n]];
  while (queue.length > 0 && found.length < maxChanges) {
    const [a, b] = queue.shift() as [number, number];
    if (b - a < 2 * minSegment) continue;
    let best = { s: -1, t: 0, df: 1, m1: 0, m2: 0 };
    for (let s = a + minSegment; s <= b - minSegment; s++) {
      const w = welch(prefix, prefix2, a, s, b);
      if (Math.abs(w.t) > Math.abs(best.t)) best = { s, ...w };
    }
    if (best.s < 0) continue;
    const candidates = b - a - 2 * minSegment + 1;
    const p = studentTTwoSidedP(best.t, best.df);
    if (!(p * candidates < alpha)) continue;
    found.push({
      index: kept[best.s],
      at: points[best.s][0],
      meanBefore: best.m1 + centre,
      meanAfter: best.m2 + centre,
      pValue: p,
    });
    queue.push([a, best.s], [best.s, b]);
  }
  return found.sort((x, y) => x.index - y.index);
}

/** The earliest offline change point, as an onset. */
export function detectOnsetOffline(
  series: readonly SeriesPoint[],
  options?: { minSegment?: number; alpha?: number },
): Onset | null {
  const changes = detectChangePoints(series, options);
  if (changes.length === 0) return null;
  const first = changes[0];
  return {
    at: first.at,
    index: first.index,
    alarmAt: first.at,
    direction: first.meanAfter >= first.meanBefore ? 'higher' : 'lower',
    method: 'binary-segmentation',
  };
}
