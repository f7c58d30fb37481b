/**
 * Sample ratio mismatch: are the exposure counts per variant consistent with the configured split?
 * Chi-square goodness of fit (df = variants − 1). Warn at p < 0.01, alert at p < 0.001 — and only when every
 * variant has at least 8 units, below which the chi-square approximation and the check itself mean little
 * (GrowthBook, Statsig).
 */
import { chiSquareSf } from './special';

export const SRM_WARN_P = 0.01;
export const SRM_ALERT_P = 0.001;
export const SRM_MIN_UNITS = 8;

export interface SrmResult {
  level: 'ok' | 'warn' | 'alert' | 'nodata';
  chiSquare: number | null;
  df: number;
  pValue: number | null;
  /** Expected counts under the configured split. */
  expected: number[];
  reason: string;
}

/**
 * @param observed exposure counts per variant
 * @param split configured weights per variant, same order (percentages or any positive weights)
 * @param names variant names for the reason; defaults to "variant 1", …
 */
export function sampleRatioMismatch(observed: readonly number[], split: readonly number[], names?: readonly string[]): SrmResult {
  const df = observed.length - 1;
  const label = (i: number): string => names?.[i] ?? `variant ${i + 1}`;
  if (observed.length < 2 || observed.length !== split.length) {
    return { level: 'nodata', chiSquare: null, df: Math.max(0, df), pValue: null, expected: [], reason: 'need counts and a split for at least two variants' };
  }
  if (!observed.every((c) => Number.isFinite(c) && c >= 0) || !split.every((w) => Number.isFinite(w) && w >= 0)) {
    return { level: 'nodata', chiSquare: null, df, pValue: null, expected: [], reason: 'counts and split must be finite and non-negative' };
  }
  const total = observed.reduce((a, b) => a + b, 0);
  const weight = split.reduce((a, b) => a + b, 0);
  if (!(total > 0) || !(weight > 0)) return { level: 'nodata', chiSquare: null, df, pValue: null, expected: [], reason: 'no exposures yet' };
  const expected = split.map((w) => (total * w) / weight);
  // A variant configured at 0% that still received units is a mismatch no chi-square needs to confirm.
  const impossible = observed.findIndex((c, i) => expected[i] === 0 && c > 0);
  if (impossible >= 0) {
    return { level: 'alert', chiSquare: null, df, pValue: 0, expected, reason: `${label(impossible)} is configured at 0% but received ${observed[impossible]} units` };
  }
  let chiSquare = 0;
  for (let i = 0; i < observed.length; i++) if (expected[i] > 0) chiSquare += (observed[i] - expected[i]) ** 2 / expected[i];
  const pValue = chiSquareSf(chiSquare, df);
  const shares = observed.map((c, i) => `${label(i)} ${c} (${((100 * c) / total).toFixed(1)}% vs ${((100 * split[i]) / weight).toFixed(1)}%)`).join(', ');
  const fewest = Math.min(...observed);
  if (fewest < SRM_MIN_UNITS) {
    return { level: 'nodata', chiSquare, df, pValue, expected, reason: `too few units to check the split (fewest ${fewest}, need ${SRM_MIN_UNITS} per variant)` };
  }
  const p = pValue < 1e-4 ? pValue.toExponential(1) : pValue.toFixed(4);
  if (pValue < SRM_ALERT_P) return { level: 'alert', chiSquare, df, pValue, expected, reason: `sample ratio mismatch (p = ${p}): ${shares}` };
  if (pValue < SRM_WARN_P) return { level: 'warn', chiSquare, df, pValue, expected, reason: `possible sample ratio mismatch (p = ${p}): ${shares}` };
  return { level: 'ok', chiSquare, df, pValue, expected, reason: `exposure split matches the configuration (p = ${p})` };
}
