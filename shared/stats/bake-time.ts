/**
 * How long to bake a ramp step: the number of per-step samples each arm needs for a two-sided test at level α
 * to detect a relative change r of the mean with the given power (normal approximation on per-step values):
 *
 *   n = (z₁₋α/₂ + z_power)² · (σ_b² + σ_c²) / (r·μ)²
 *
 * The canary's per-step values are noisier than the baseline's at low exposure (fewer requests per step), so its
 * σ can be passed separately. Minutes = steps × step length; "more" subtracts the steps already collected.
 */
import { formatDuration } from './format';
import { normalQuantile, twoSidedZ } from './distributions';

export interface BakeTimeInput {
  /** Mean of the metric's per-step values (e.g. the baseline's per-minute p99). */
  mean: number;
  /** Standard deviation of the baseline's per-step values. */
  sd: number;
  /** Standard deviation of the canary's per-step values; defaults to `sd`. */
  canarySd?: number;
  stepMs: number;
  /** Relative regression to detect; default 0.10. */
  relativeChange?: number;
  alpha?: number;
  power?: number;
  /** Steps already collected in the canary window. */
  stepsSoFar?: number;
}

export interface BakeTime {
  relativeChange: number;
  /** Steps per arm needed in total; Infinity when the mean is 0 or the inputs are unusable. */
  steps: number;
  stepsMore: number;
  ms: number;
  msMore: number;
}

export function bakeTime(input: BakeTimeInput): BakeTime {
  const relativeChange = input.relativeChange ?? 0.1;
  const alpha = input.alpha ?? 0.05;
  const power = input.power ?? 0.8;
  const sdB = input.sd;
  const sdC = input.canarySd ?? input.sd;
  const effect = Math.abs(relativeChange * input.mean);
  const stepsSoFar = Math.max(0, input.stepsSoFar ?? 0);
  let steps: number;
  if (![effect, sdB, sdC, input.stepMs].every(Number.isFinite) || sdB < 0 || sdC < 0 || !(input.stepMs > 0))
    steps = Infinity;
  else if (effect === 0) steps = sdB === 0 && sdC === 0 ? 2 : Infinity;
  else {
    const z = twoSidedZ(1 - alpha) + normalQuantile(power);
    // At least 2 per arm: a variance needs two values.
    steps = Math.max(2, Math.ceil((z * z * (sdB * sdB + sdC * sdC)) / (effect * effect)));
  }
  const stepsMore = Math.max(0, steps - stepsSoFar);
  return { relativeChange, steps, stepsMore, ms: steps * input.stepMs, msMore: stepsMore * input.stepMs };
}

/** "25%: ≥ 12 min more", "10%: detectable now", "50%: not detectable (no variation data)". */
export function formatBakeTime(b: BakeTime): string {
  const label = `${Number((b.relativeChange * 100).toFixed(1))}%`;
  if (!Number.isFinite(b.steps)) return `${label}: not detectable with these data`;
  if (b.stepsMore === 0) return `${label}: detectable now`;
  return `${label}: ≥ ${formatDuration(b.msMore)} more`;
}

/** Bake times for the usual regression sizes (10%, 25%, 50%). */
export function bakeTimeTable(
  input: Omit<BakeTimeInput, 'relativeChange'>,
  changes: readonly number[] = [0.1, 0.25, 0.5],
): BakeTime[] {
  return changes.map((relativeChange) => bakeTime({ ...input, relativeChange }));
}
