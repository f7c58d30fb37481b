/**
 * Which flag change caused a regression? Every change near the onset is a suspect, ranked by
 *   score = proximity × (1 + min(|shift in σ|, 10))
 * where proximity = 1 / (1 + distance / step) — 1 for a change at the onset, ½ one step away — and a change after
 * the onset counts as three times as far (it cannot have caused what began before it; onsets are only known to
 * within a step or two, so it is not excluded). The shift is the metric's mean in up to `sidePoints` points after
 * the change minus the mean before it, in units of the before-side's standard deviation, so a change that moved
 * the metric by itself outranks an equally close one that did not.
 */
import type { FlagChange } from '../domain/flags';
import { formatDuration, formatNumber, formatPercentChange } from './format';
import type { SeriesPoint } from './onset';

export interface Suspect {
  change: FlagChange;
  /** change.at − onset (negative: before the onset). */
  offsetMs: number;
  /** Mean after / mean before − 1; null without data on both sides or a zero mean before. */
  relativeShift: number | null;
  /** (mean after − mean before) / sd before; null without enough data. */
  shiftSigma: number | null;
  score: number;
  reason: string;
}

export interface RankSuspectsOptions {
  /** Only changes within this distance of the onset are suspects; default 60 min. */
  windowMs?: number;
  /** Points each side of a change used for its shift; default 10. */
  sidePoints?: number;
  /** Series step; inferred from the series (median spacing) when absent, else 60 s. */
  stepMs?: number;
}

function inferStep(series: readonly SeriesPoint[]): number {
  const gaps: number[] = [];
  for (let i = 1; i < series.length; i++) {
    const gap = series[i][0] - series[i - 1][0];
    if (gap > 0) gaps.push(gap);
  }
  if (gaps.length === 0) return 60_000;
  gaps.sort((a, b) => a - b);
  return gaps[Math.floor(gaps.length / 2)];
}

function meanSd(values: number[]): { mean: number; sd: number } {
  const n = values.length;
  const mean = values.reduce((s, v) => s + v / n, 0);
  const ss = values.reduce((s, v) => s + (v - mean) ** 2, 0);
  return { mean, sd: n > 1 ? Math.sqrt(ss / (n - 1)) : 0 };
}

/** Before/after shift of the series around time `at`. */
export function shiftAround(series: readonly SeriesPoint[], at: number, sidePoints = 10): { relative: number | null; sigma: number | null } {
  const finite = series.filter((p): p is readonly [number, number] => p[1] !== null && Number.isFinite(p[1]));
  const before = finite.filter((p) => p[0] < at).slice(-sidePoints).map((p) => p[1]);
  const after = finite.filter((p) => p[0] >= at).slice(0, sidePoints).map((p) => p[1]);
  if (before.length < 2 || after.length < 1) return { relative: null, sigma: null };
  const b = meanSd(before);
  const a = meanSd(after);
  const relative = b.mean !== 0 ? a.mean / b.mean - 1 : null;
  // A flat before-side (sd 0) would make any move infinitely many σ; fall back to the pooled spread.
  const spread = b.sd > 0 ? b.sd : meanSd([...before, ...after]).sd;
  const sigma = spread > 0 ? (a.mean - b.mean) / spread : a.mean === b.mean ? 0 : null;
  return { relative: relative !== null && Number.isFinite(relative) ? relative : null, sigma: sigma !== null && Number.isFinite(sigma) ? sigma : null };
}

export function rankSuspects(
  onset: number | { at: number },
  changes: readonly FlagChange[],
  series: readonly SeriesPoint[],
  options: RankSuspectsOptions = {},
): Suspect[] {
  const onsetAt = typeof onset === 'number' ? onset : onset.at;
  const windowMs = options.windowMs ?? 60 * 60_000;
  const stepMs = options.stepMs && options.stepMs > 0 ? options.stepMs : inferStep(series);
  const sidePoints = options.sidePoints ?? 10;
  const suspects: Suspect[] = [];
  for (const change of changes) {
    const offsetMs = change.at - onsetAt;
    if (!Number.isFinite(offsetMs) || Math.abs(offsetMs) > windowMs) continue;
    const effectiveDistance = offsetMs <= 0 ? -offsetMs : 3 * offsetMs;
    const proximity = 1 / (1 + effectiveDistance / stepMs);
    const { relative, sigma } = shiftAround(series, change.at, sidePoints);
    const score = proximity * (1 + Math.min(Math.abs(sigma ?? 0), 10));
    const when = offsetMs === 0 ? 'at the onset' : `${formatDuration(Math.abs(offsetMs))} ${offsetMs < 0 ? 'before' : 'after'} the onset`;
    const moved =
      sigma === null
        ? 'no data around it to measure a shift'
        : `metric ${relative !== null ? `${relative >= 0 ? '+' : '-'}${formatPercentChange(relative)} ` : ''}(${sigma >= 0 ? '+' : ''}${formatNumber(sigma, 1)}σ) across it`;
    suspects.push({ change, offsetMs, relativeShift: relative, shiftSigma: sigma, score, reason: `${change.flagKey} ${change.label}, ${when}; ${moved}` });
  }
  return suspects.sort((a, b) => b.score - a.score || Math.abs(a.offsetMs) - Math.abs(b.offsetMs));
}
