import type { EnvState } from '../../../shared/domain/flags';
import type { LdFlag, LdFlagConfig, LdRollout } from './ld-schemas';

/**
 * How a LaunchDarkly flag maps onto Rampart's exposure, per environment. The rule:
 * - The CONTROL variation is what users had before the change: for a boolean flag the `false` variation; otherwise the
 *   environment's `offVariation` (what the flag serves when off), or variation 0 when none is set.
 * - EXPOSURE is the share of the fallthrough (the default rule, "everyone else") served anything but the control:
 *   100 − control weight / 1000 for a percentage rollout, 0 or 100 for a fixed variation. Targeting rules and
 *   individual targets are not counted (they are summarized in `targeting`).
 * - Weights are thousandths of a percent (0–100000), so exposure moves in steps of 0.001.
 * The flag JSON refers to variations by INDEX; semantic patch refers to them by `_id` — `weightsById` maps one to the other.
 */

export const WEIGHT_SCALE = 1000; // weight units per percent
export const TOTAL_WEIGHT = 100 * WEIGHT_SCALE;

export function variationName(v: LdFlag['variations'][number]): string {
  if (v.name) return v.name;
  return typeof v.value === 'string' ? v.value : JSON.stringify(v.value);
}

export function isBooleanFlag(flag: LdFlag): boolean {
  return flag.variations.length === 2 && flag.variations.every((v) => typeof v.value === 'boolean');
}

export function controlIndex(flag: LdFlag, cfg: LdFlagConfig): number {
  if (isBooleanFlag(flag)) return flag.variations.findIndex((v) => v.value === false);
  const off = cfg.offVariation;
  return typeof off === 'number' && off < flag.variations.length ? off : 0;
}

/** Current fallthrough weights per variation index (a fixed variation is 100% of it), or undefined when there is none. */
export function currentWeights(flag: LdFlag, cfg: LdFlagConfig): number[] | undefined {
  const ft = cfg.fallthrough;
  const weights = flag.variations.map(() => 0);
  if (ft?.rollout) {
    for (const wv of ft.rollout.variations) if (wv.variation < weights.length) weights[wv.variation] += wv.weight;
    return weights;
  }
  if (typeof ft?.variation === 'number' && ft.variation < weights.length) {
    weights[ft.variation] = TOTAL_WEIGHT;
    return weights;
  }
  return undefined;
}

export function exposureOf(flag: LdFlag, cfg: LdFlagConfig): number | null {
  const weights = currentWeights(flag, cfg);
  if (!weights) return null;
  const total = weights.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const control = weights[controlIndex(flag, cfg)] ?? 0;
  // Rollouts always sum to 100000; normalizing guards against a partial one.
  return Math.round(((total - control) / total) * 100 * WEIGHT_SCALE) / WEIGHT_SCALE;
}

function targetingSummary(cfg: LdFlagConfig): string | undefined {
  const parts: string[] = [];
  const rules = cfg.rules?.length ?? 0;
  const targets = [...(cfg.targets ?? []), ...(cfg.contextTargets ?? [])].reduce(
    (n, t) => n + (t.values?.length ?? 0),
    0,
  );
  const prereqs = cfg.prerequisites?.length ?? 0;
  if (rules) parts.push(`${rules} targeting rule${rules === 1 ? '' : 's'}`);
  if (targets) parts.push(`${targets} individual target${targets === 1 ? '' : 's'}`);
  if (prereqs) parts.push(`${prereqs} prerequisite${prereqs === 1 ? '' : 's'}`);
  return parts.length ? parts.join(', ') : undefined;
}

export function envStateOf(flag: LdFlag, cfg: LdFlagConfig): EnvState {
  const control = controlIndex(flag, cfg);
  const treatments = flag.variations.filter((_, i) => i !== control).map(variationName);
  const targeting = targetingSummary(cfg);
  return {
    enabled: cfg.on,
    exposure: exposureOf(flag, cfg),
    treatment: treatments.join(' / '),
    control: variationName(flag.variations[control]),
    ...(targeting ? { targeting } : {}),
    // The flag-level `_version` is what JSON Patch `test /version` checks.
    version: flag._version,
  };
}

/**
 * Fallthrough weights (per variation index, summing to 100000) that serve `percent` to the treatment(s). With more
 * than one non-control variation, their current proportions are kept (equal shares when they are all zero); the
 * integer split uses largest remainders so the sum is exact.
 */
export function weightsFor(flag: LdFlag, cfg: LdFlagConfig, percent: number): number[] {
  const control = controlIndex(flag, cfg);
  const target = Math.round(percent * WEIGHT_SCALE);
  const current = currentWeights(flag, cfg) ?? flag.variations.map(() => 0);
  const others = flag.variations.map((_, i) => i).filter((i) => i !== control);
  const otherSum = others.reduce((n, i) => n + current[i], 0);
  const shares = others.map((i) => (otherSum > 0 ? current[i] / otherSum : 1 / others.length));
  const raw = shares.map((s) => s * target);
  const floors = raw.map(Math.floor);
  let left = target - floors.reduce((a, b) => a + b, 0);
  const order = raw.map((r, k) => ({ k, frac: r - floors[k] })).sort((a, b) => b.frac - a.frac);
  for (const { k } of order) {
    if (left <= 0) break;
    floors[k]++;
    left--;
  }
  const weights = flag.variations.map(() => 0);
  others.forEach((i, k) => (weights[i] = floors[k]));
  weights[control] = TOTAL_WEIGHT - target;
  return weights;
}

/** The rollout object for a JSON Patch, keeping the existing bucketing (`bucketBy`, `contextKind`, `seed`). */
export function rolloutFor(cfg: LdFlagConfig, weights: number[]): LdRollout {
  const existing = cfg.fallthrough?.rollout;
  return {
    variations: weights.map((weight, variation) => ({ variation, weight })),
    contextKind: existing?.contextKind ?? 'user',
    ...(existing?.bucketBy ? { bucketBy: existing.bucketBy } : {}),
    ...(existing?.seed !== undefined ? { seed: existing.seed } : {}),
  };
}

/** Semantic patch wants `rolloutWeights` keyed by variation `_id`, not by index. */
export function weightsById(flag: LdFlag, weights: number[]): Record<string, number> {
  return Object.fromEntries(flag.variations.map((v, i) => [v._id, weights[i]]));
}

/** RFC 6901 escaping for an environment key used inside a JSON pointer. */
export function pointerToken(s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}
