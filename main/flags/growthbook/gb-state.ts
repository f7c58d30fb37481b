import type { EnvState } from '../../../shared/domain/flags';
import type { GbFeature, GbFeatureEnv, GbRule } from './gb-schemas';

/**
 * How a GrowthBook feature maps onto Rampart's exposure, per environment (docs/growthbook.md):
 * - The CONTROL is the environment's default value (the feature's `defaultValue` on servers without per-environment
 *   defaults): what a unit gets when no rule matches — what users had before the change.
 * - The RAMP is the first enabled `rollout` rule serving a non-control value, preferring one without a condition,
 *   saved groups or prerequisites (it applies to everyone); a rollout ramped to 100 % is re-typed `force` by the
 *   server, so an untargeted force rule serving a non-control value is the ramp at 100 %.
 * - EXPOSURE is the ramp's `coverage` × 100; 0 when nothing serves the treatment. Other rules are summarized in
 *   `targeting` (and weighed by the read-back, gb-reach.ts).
 * - Coverage is a 0–1 float, and the SDK buckets a unit at hash v2's resolution of 1/10000 (`n <= coverage`): the
 *   step is 0.01 %. (Rules on the legacy hash v1 bucket at 1/1000; 0.01 % steps are still exact for v2 and merely
 *   finer than v1 buckets.)
 */

export const EXPOSURE_STEP = 0.01;
/** The attribute a rule Rampart creates is bucketed by: GrowthBook's default identifier attribute. */
export const DEFAULT_HASH_ATTRIBUTE = 'id';

/** GrowthBook sends every value as a string; JSON values are compared by content, not spacing. */
export function sameValue(a: string | undefined, b: string | undefined, valueType: GbFeature['valueType']): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (valueType !== 'json') return a.trim() === b.trim();
  try {
    return JSON.stringify(JSON.parse(a)) === JSON.stringify(JSON.parse(b));
  } catch {
    return a.trim() === b.trim();
  }
}

export function controlOf(feature: GbFeature, env: GbFeatureEnv): string {
  return env.defaultValue ?? feature.defaultValue;
}

export function isBooleanFeature(feature: GbFeature): boolean {
  return feature.valueType === 'boolean';
}

export const isOn = (r: GbRule): boolean => r.enabled !== false;

/** A rule that applies to every unit (no condition, saved groups or prerequisites). */
export function untargeted(r: GbRule): boolean {
  const c = 'condition' in r ? (r.condition ?? '').trim() : '';
  const groups = 'savedGroupTargeting' in r ? (r.savedGroupTargeting ?? []).length : 0;
  const prereqs = 'prerequisites' in r ? (r.prerequisites ?? []).length : 0;
  return (c === '' || c === '{}') && groups === 0 && prereqs === 0;
}

export type RampRule = Extract<GbRule, { type: 'rollout' | 'force' }>;

/** The ramp rule of an environment (see the header), or undefined when there is none yet. */
export function rampOf(feature: GbFeature, env: GbFeatureEnv): RampRule | undefined {
  const control = controlOf(feature, env);
  const serving = env.rules.filter(
    (r): r is RampRule =>
      (r.type === 'rollout' || r.type === 'force') && isOn(r) && !sameValue(r.value, control, feature.valueType),
  );
  const rollouts = serving.filter((r) => r.type === 'rollout');
  return (
    rollouts.find(untargeted) ??
    rollouts[0] ??
    serving.find((r) => r.type === 'force' && untargeted(r) && (r.coverage ?? 1) >= 1)
  );
}

/** Coverage as a percentage at the store's step (binary noise such as 0.07 × 100 = 7.000000000000001 removed). */
export function percentOf(coverage: number): number {
  return Math.round(coverage * 100 * 100) / 100;
}

/** Percent → coverage at hash v2's resolution (4 decimals). */
export function coverageOf(percent: number): number {
  return Math.round(percent * 100) / 10000;
}

export function exposureOf(rule: RampRule | undefined): number {
  if (!rule) return 0;
  return rule.type === 'force' ? percentOf(rule.coverage ?? 1) : percentOf(rule.coverage);
}

/** The value the treatment is, for a ramp Rampart creates: the ramp's, else the opposite of a boolean control. */
export function treatmentOf(feature: GbFeature, env: GbFeatureEnv): string | undefined {
  const ramp = rampOf(feature, env);
  if (ramp) return ramp.value;
  if (!isBooleanFeature(feature)) return undefined;
  return controlOf(feature, env).trim() === 'true' ? 'false' : 'true';
}

function plural(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}

/** The other enabled rules (besides the ramp), by kind, for the targeting summary. */
function targetingSummary(feature: GbFeature, env: GbFeatureEnv, ramp: RampRule | undefined): string | undefined {
  const others = env.rules.filter((r) => isOn(r) && r !== ramp);
  const count = (t: string) => others.filter((r) => r.type === t).length;
  const parts: string[] = [];
  const forces = count('force') + count('rollout');
  if (forces) parts.push(plural(forces, 'targeting rule'));
  if (count('experiment') + count('experiment-ref'))
    parts.push(plural(count('experiment') + count('experiment-ref'), 'experiment rule'));
  if (count('safe-rollout')) parts.push(plural(count('safe-rollout'), 'safe rollout'));
  if (count('unknown')) parts.push(plural(count('unknown'), 'rule of a type Rampart does not know'));
  if (ramp && !untargeted(ramp)) parts.push('the ramp itself is targeted');
  if (feature.prerequisites?.length) parts.push(plural(feature.prerequisites.length, 'prerequisite'));
  if (feature.holdout) parts.push('a holdout');
  return parts.length ? parts.join(', ') : undefined;
}

export function envStateOf(feature: GbFeature, envKey: string): EnvState | undefined {
  const env = feature.environments[envKey];
  if (!env) return undefined;
  const ramp = rampOf(feature, env);
  const targeting = targetingSummary(feature, env, ramp);
  const treatment = treatmentOf(feature, env);
  return {
    enabled: env.enabled,
    exposure: exposureOf(ramp),
    control: controlOf(feature, env),
    ...(treatment !== undefined ? { treatment } : {}),
    ...(targeting ? { targeting } : {}),
    // The live revision: a draft's baseVersion is compared with it (the vendor-level check).
    version: feature.revision.version,
  };
}
