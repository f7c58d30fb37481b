import { formatPercent, type EnvState } from '../../shared/domain/flags';
import { RampartError } from '../../shared/errors';
import type { FlagPoint } from '../store/audit-log';

/**
 * The rules about exposures, owned here and nowhere else (issue 13: "the rollout service owns range, rounding,
 * tolerance and compare-and-set"). Adapters receive an exposure already checked and rounded to their own step, and
 * keep only their vendor-level check (a version test, a file hash under a lock).
 */

/** 0–100 %, a finite number: anything else is refused before a read or a write. */
export function checkRange(percent: number, what = 'exposure'): void {
  if (typeof percent !== 'number' || !Number.isFinite(percent) || percent < 0 || percent > 100) {
    throw new RampartError('bad_request', `The ${what} must be a percentage from 0 to 100, not ${String(percent)}`);
  }
}

/** Decimals of a step such as 0.001 or 0.01, to strip binary noise (30.125000000000004) from rounded values. */
function decimalsOf(step: number): number {
  const text = String(step);
  if (text.includes('e-')) return Number(text.split('e-')[1]);
  return text.includes('.') ? text.split('.')[1].length : 0;
}

/** Rounds to the store's granularity (`capabilities().exposureStep`), staying within 0–100. */
export function roundToStep(percent: number, step: number): number {
  if (!(step > 0)) return percent;
  const rounded = Math.round(percent / step) * step;
  return Math.min(100, Math.max(0, Number(rounded.toFixed(Math.min(10, decimalsOf(step))))));
}

/** The one tolerance: two exposures are the same when they differ by less than half a step. null ("no ramp") is 0. */
export function sameExposure(a: number | null | undefined, b: number | null | undefined, step: number): boolean {
  return Math.abs((a ?? 0) - (b ?? 0)) < Math.max(step, 1e-9) / 2 + 1e-9;
}

/** The compare-and-set: refuse when the live exposure is not the one the user decided on. */
export function assertExpected(
  live: EnvState,
  expected: number | null,
  step: number,
  where: { flagKey: string; env: string },
): void {
  if (sameExposure(live.exposure, expected, step)) return;
  throw new RampartError(
    'conflict',
    `'${where.flagKey}' in ${where.env} changed since you looked: it is now ${live.enabled ? 'on' : 'off'} at ${formatPercent(live.exposure)}, not ${formatPercent(expected)}. Nothing was written; review the new state and try again.`,
    { live },
  );
}

/** The compare-and-set of a whole state (restore, promote): on/off must match too, then the exposure as above. */
export function assertExpectedState(
  live: EnvState,
  expected: FlagPoint,
  step: number,
  where: { flagKey: string; env: string },
): void {
  if (expected.enabled === null || live.enabled === expected.enabled)
    return assertExpected(live, expected.exposure, step, where);
  throw new RampartError(
    'conflict',
    `'${where.flagKey}' in ${where.env} changed since you looked: it is now ${describePoint(pointOf(live))}, not ${describePoint(expected)}. Nothing was written; review the new state and try again.`,
    { live },
  );
}

/** The target a rollback aims at: no unit served the treatment (0 %, or the flag off — whichever the store does). */
export const ROLLBACK_TARGET: FlagPoint = { enabled: null, exposure: 0 };

/** Whether a state (read back, or seen later) is the target of an action. */
export function reachesTarget(state: FlagPoint, target: FlagPoint, step: number, action: string): boolean {
  if (action === 'rollback')
    return state.enabled === false || (state.exposure !== null && sameExposure(state.exposure, 0, step));
  if (target.enabled !== null && state.enabled !== target.enabled) return false;
  // An exposure only matters while the flag serves anything; a flag turned off has no live exposure to compare.
  if (target.exposure !== null && state.enabled !== false)
    return state.exposure !== null && sameExposure(state.exposure, target.exposure, step);
  return state.enabled !== null || state.exposure !== null;
}

export function pointOf(s: EnvState): FlagPoint {
  return { enabled: s.enabled, exposure: s.exposure };
}

export function describePoint(p: FlagPoint): string {
  if (p.enabled === false) return 'off';
  return `${p.enabled === true ? 'on at ' : ''}${formatPercent(p.exposure)}`;
}
