/**
 * Mann-Whitney U, two-sided, normal approximation with tie and continuity corrections — the same numbers as
 * scipy.stats.mannwhitneyu(x, y, alternative='two-sided', method='asymptotic', use_continuity=True).
 *
 * Ranks come from one merge of the two sorted samples (O(n + m)), so the cost is dominated by the sorts the caller
 * already did. U is reported for the first argument (canary): U = R₁ − n₁(n₁+1)/2.
 */
import { normalSf } from './distributions';

export interface MannWhitneyResult {
  /** U statistic of the first sample (number of pairs where it is larger, ties counting ½). */
  u: number;
  /** z of the larger of U₁, U₂ with continuity correction; 0 when every value is tied. */
  z: number;
  /** Two-sided p-value. 1 when every value is tied (scipy returns NaN there: no evidence of any difference). */
  pValue: number;
  n1: number;
  n2: number;
}

/**
 * @param x sorted ascending (canary)
 * @param y sorted ascending (baseline)
 */
export function mannWhitneySorted(x: ArrayLike<number>, y: ArrayLike<number>): MannWhitneyResult {
  const n1 = x.length;
  const n2 = y.length;
  if (n1 === 0 || n2 === 0) return { u: Number.NaN, z: Number.NaN, pValue: Number.NaN, n1, n2 };
  let i = 0;
  let j = 0;
  let rankSumX = 0;
  let tieTerm = 0;
  let position = 0; // how many values precede the current tie group
  while (i < n1 || j < n2) {
    const v = j >= n2 || (i < n1 && x[i] <= y[j]) ? x[i] : y[j];
    let a = 0;
    while (i < n1 && x[i] === v) {
      i++;
      a++;
    }
    let b = 0;
    while (j < n2 && y[j] === v) {
      j++;
      b++;
    }
    const t = a + b;
    const midRank = position + (t + 1) / 2;
    rankSumX += a * midRank;
    if (t > 1) tieTerm += t * t * t - t;
    position += t;
  }
  const u1 = rankSumX - (n1 * (n1 + 1)) / 2;
  const u2 = n1 * n2 - u1;
  const n = n1 + n2;
  const mu = (n1 * n2) / 2;
  const s = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
  if (!(s > 0)) return { u: u1, z: 0, pValue: 1, n1, n2 };
  const z = (Math.max(u1, u2) - mu - 0.5) / s;
  const pValue = Math.min(1, Math.max(0, 2 * normalSf(z)));
  return { u: u1, z, pValue, n1, n2 };
}

/** Convenience for unsorted finite arrays (sorts copies). */
export function mannWhitney(x: ArrayLike<number>, y: ArrayLike<number>): MannWhitneyResult {
  return mannWhitneySorted(Float64Array.from(x).sort(), Float64Array.from(y).sort());
}
