/**
 * Which flag change caused a regression (docs/statistics.md "Regression onset and suspects")? Every change from a
 * while before the onset up to a small tolerance after it is a suspect — changes long after the onset cannot have
 * caused it (Rampart's own rollback an hour later is not a suspect) — ranked by
 *   score = proximity × (1 + min(|shift in σ|, 10)) × direction × evidence
 * where proximity = 1 / (1 + distance / step) — 1 for a change at the onset, ½ one step away — and a change after
 * the onset counts as three times as far (onsets are known to within a few steps, so it is not excluded). The shift
 * is the metric's mean in up to `sidePoints` points after the change minus the mean before it, in units of the
 * before-side's standard deviation. direction is ⅕ for a change that lowered the exposure (it cannot explain a
 * rise). evidence, when the metrics carry variants, is ×3 when the flag's treatment arm runs above its control after
 * the change while the control did not move (by less than the gap's third, at least the minimum effect) (the strongest evidence, and what disentangles changes made close
 * together), ×¼ when its arms are alike, ×1 when unknown.
 */
import type { FlagChange } from '../domain/flags';
import { formatDuration, formatNumber, formatPercentChange } from './format';
import type { SeriesPoint } from './onset';

/** How a flag's own arms behaved around its change, on its watch's metric (variantEvidence). */
export interface VariantEvidence {
  metric: string;
  treatment: string;
  control: string;
  /** Treatment / control − 1 after the change; null without both arms after it. */
  armGap: number | null;
  /** Control after / control before − 1; null without control data on both sides. */
  controlShift: number | null;
  verdict: 'implicates' | 'clears' | 'unclear';
  text: string;
}

export interface Suspect {
  change: FlagChange;
  evidence: VariantEvidence | null;
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
  /** How far before the onset a change is still a suspect; default 60 min. */
  windowMs?: number;
  /** How far after the onset a change is still a suspect; default max(3 steps, 15 min). */
  toleranceMs?: number;
  /** Per-variant evidence by change id (variantEvidence), when the metrics carry variants. */
  evidence?: ReadonlyMap<string, VariantEvidence>;
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
export function shiftAround(
  series: readonly SeriesPoint[],
  at: number,
  sidePoints = 10,
): { relative: number | null; sigma: number | null } {
  const finite = series.filter((p): p is readonly [number, number] => p[1] !== null && Number.isFinite(p[1]));
  const before = finite
    .filter((p) => p[0] < at)
    .slice(-sidePoints)
    .map((p) => p[1]);
  const after = finite
    .filter((p) => p[0] >= at)
    .slice(0, sidePoints)
    .map((p) => p[1]);
  if (before.length < 2 || after.length < 1) return { relative: null, sigma: null };
  const b = meanSd(before);
  const a = meanSd(after);
  const relative = b.mean !== 0 ? a.mean / b.mean - 1 : null;
  // A flat before-side (sd 0) would make any move infinitely many σ; fall back to the pooled spread.
  const spread = b.sd > 0 ? b.sd : meanSd([...before, ...after]).sd;
  const sigma = spread > 0 ? (a.mean - b.mean) / spread : a.mean === b.mean ? 0 : null;
  return {
    relative: relative !== null && Number.isFinite(relative) ? relative : null,
    sigma: sigma !== null && Number.isFinite(sigma) ? sigma : null,
  };
}

/** The default tolerance after an onset: a few steps, at least 15 min (an onset on noisy data moves by minutes). */
export function suspectTolerance(stepMs: number): number {
  return Math.max(3 * stepMs, 15 * 60_000);
}

const EVIDENCE_FACTOR: Record<VariantEvidence['verdict'], number> = { implicates: 3, clears: 0.25, unclear: 1 };

/** Whether a change lowered the share of units served the treatment (a rollback, a ramp down, off). */
export function lowersExposure(c: FlagChange): boolean {
  const eff = (s: FlagChange['from']): number | null =>
    s?.enabled === false ? 0 : (s?.exposure ?? (s?.enabled === true ? 100 : null));
  const before = eff(c.from);
  const after = eff(c.to);
  return before !== null && after !== null && after < before;
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
  const toleranceMs = options.toleranceMs ?? suspectTolerance(stepMs);
  const sidePoints = options.sidePoints ?? 10;
  const suspects: Suspect[] = [];
  for (const change of changes) {
    const offsetMs = change.at - onsetAt;
    if (!Number.isFinite(offsetMs) || offsetMs < -windowMs || offsetMs > toleranceMs) continue;
    const effectiveDistance = offsetMs <= 0 ? -offsetMs : 3 * offsetMs;
    const proximity = 1 / (1 + effectiveDistance / stepMs);
    const { relative, sigma } = shiftAround(series, change.at, sidePoints);
    const evidence = options.evidence?.get(change.id) ?? null;
    const lowers = lowersExposure(change);
    const score =
      proximity *
      (1 + Math.min(Math.abs(sigma ?? 0), 10)) *
      (lowers ? 0.2 : 1) *
      (evidence ? EVIDENCE_FACTOR[evidence.verdict] : 1);
    const when =
      offsetMs === 0
        ? 'at the onset'
        : `${formatDuration(Math.abs(offsetMs))} ${offsetMs < 0 ? 'before' : 'after'} the onset`;
    const moved =
      sigma === null
        ? 'no data around it to measure a shift'
        : `metric ${relative !== null ? `${relative >= 0 ? '+' : '-'}${formatPercentChange(relative)} ` : ''}(${sigma >= 0 ? '+' : ''}${formatNumber(sigma, 1)}σ) across it`;
    const extra = [lowers ? 'it lowered the exposure, so it cannot explain a rise' : '', evidence?.text ?? ''].filter(
      Boolean,
    );
    suspects.push({
      change,
      evidence,
      offsetMs,
      relativeShift: relative,
      shiftSigma: sigma,
      score,
      reason: `${change.flagKey} ${change.label}, ${when}; ${moved}${extra.length ? `; ${extra.join('; ')}` : ''}`,
    });
  }
  return suspects.sort((a, b) => b.score - a.score || Math.abs(a.offsetMs) - Math.abs(b.offsetMs));
}

function medianOf(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Did this flag's treatment arm move while its control did not? Medians of each arm over up to `sidePoints`
 * points before and after the change (per-step values of the flag's own watch, split by its variant label).
 * `minEffect` is the smallest gap that counts (default 0.05, half the default allowed increase).
 */
export function variantEvidence(
  arms: {
    metric: string;
    treatment: string;
    control: string;
    treatmentPoints: readonly SeriesPoint[];
    controlPoints: readonly SeriesPoint[];
  },
  at: number,
  opts: { sidePoints?: number; minEffect?: number } = {},
): VariantEvidence {
  const side = opts.sidePoints ?? 20;
  const minEffect = opts.minEffect ?? 0.05;
  const finite = (ps: readonly SeriesPoint[]) =>
    ps.filter((p): p is readonly [number, number] => p[1] !== null && Number.isFinite(p[1]));
  const before = (ps: readonly SeriesPoint[]) =>
    finite(ps)
      .filter((p) => p[0] < at)
      .slice(-side)
      .map((p) => p[1]);
  const after = (ps: readonly SeriesPoint[]) =>
    finite(ps)
      .filter((p) => p[0] >= at)
      .slice(0, side)
      .map((p) => p[1]);
  const tAfter = medianOf(after(arms.treatmentPoints));
  const cAfter = medianOf(after(arms.controlPoints));
  const cBefore = medianOf(before(arms.controlPoints));
  const armGap = tAfter !== null && cAfter !== null && cAfter > 0 ? tAfter / cAfter - 1 : null;
  const controlShift = cAfter !== null && cBefore !== null && cBefore > 0 ? cAfter / cBefore - 1 : null;
  const pct = (x: number) => `${x >= 0 ? '+' : '-'}${formatPercentChange(x)}`;
  const base = { metric: arms.metric, treatment: arms.treatment, control: arms.control, armGap, controlShift };
  if (armGap === null)
    return { ...base, verdict: 'unclear', text: `no ${arms.metric} of both arms after it to compare` };
  const gap = `${arms.metric} of treatment '${arms.treatment}' ${pct(armGap)} vs control '${arms.control}' after it`;
  const control = controlShift === null ? 'control before it unknown' : `control moved ${pct(controlShift)}`;
  // The control may drift with the time of day; it "did not move" when it moved far less than the arms differ.
  if (armGap >= minEffect && controlShift !== null && Math.abs(controlShift) < Math.max(minEffect, armGap / 3)) {
    return { ...base, verdict: 'implicates', text: `${gap}, ${control}: its treatment arm moved, its control did not` };
  }
  if (Math.abs(armGap) < minEffect / 2) return { ...base, verdict: 'clears', text: `${gap}: its arms behave alike` };
  return { ...base, verdict: 'unclear', text: `${gap}, ${control}` };
}
