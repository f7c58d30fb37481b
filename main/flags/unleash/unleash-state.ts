import { createHash } from 'node:crypto';
import type { EnvState, FlagState } from '../../../shared/domain/flags';
import { RampartError } from '../../../shared/errors';
import type {
  UnleashConstraint,
  UnleashFeature,
  UnleashFeatureEnvironment,
  UnleashStrategy,
  UnleashVariant,
} from './unleash-schemas';

/**
 * How an Unleash environment maps onto Rampart's exposure. Reads and writes use the same choice (pickRollout), so
 * the number the user sees is the number a ramp compares against and changes.
 *
 * - Exposure is the `rollout` of ONE `flexibleRollout` strategy ("gradual rollout"). With several, Rampart takes
 *   the first active one WITHOUT constraints or segments (the ramp for everyone), else the first active one; "first"
 *   is Unleash's own order (sortOrder, then list order), the order its UI shows. The targeting summary names the
 *   others ("+1 other strategy") so nobody mistakes the figure for the whole story.
 * - No strategies at all → 100: Unleash serves an enabled environment without strategies to everyone, and turning
 *   it on creates a `flexibleRollout` at 100 (feature-toggle-service `unprotectedUpdateEnabled`).
 * - An active `default` ("standard") strategy without constraints or segments → 100: it serves everyone.
 * - Only other strategies (user lists, IPs, constrained `default`) → null: there is no percentage to ramp.
 * Exposure describes the strategies, whether or not the environment is on; `enabled` says whether it is.
 */

export const UNLEASH_ROLLOUT_STRATEGY = 'flexibleRollout';
/** The variant Unleash SDKs return to units the flag is not enabled for. */
export const UNLEASH_DISABLED_VARIANT = 'disabled';

function isActive(s: UnleashStrategy): boolean {
  return s.disabled !== true;
}

function isUnconstrained(s: UnleashStrategy): boolean {
  return (s.constraints?.length ?? 0) === 0 && (s.segments?.length ?? 0) === 0;
}

function inUnleashOrder<S extends UnleashStrategy>(strategies: readonly S[]): S[] {
  return strategies
    .map((s, i) => ({ s, i }))
    .sort((a, b) => (a.s.sortOrder ?? 0) - (b.s.sortOrder ?? 0) || a.i - b.i)
    .map(({ s }) => s);
}

/** The flexibleRollout strategy whose rollout is the environment's exposure (see the header). */
export function pickRollout<S extends UnleashStrategy>(strategies: readonly S[]): S | undefined {
  const rollouts = inUnleashOrder(strategies).filter((s) => s.name === UNLEASH_ROLLOUT_STRATEGY && isActive(s));
  return rollouts.find(isUnconstrained) ?? rollouts[0];
}

/** True when an active, unconstrained `default` strategy serves everyone, so no rollout can narrow exposure. */
export function servesEveryone(strategies: readonly UnleashStrategy[]): boolean {
  return strategies.some((s) => s.name === 'default' && isActive(s) && isUnconstrained(s));
}

/** `rollout` as a percentage; Unleash sends strings ("25"). Anything else is a malformed strategy. */
export function parseRollout(strategy: UnleashStrategy, where: string): number {
  const raw = strategy.parameters?.rollout;
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
  if (!Number.isFinite(n) || n < 0 || n > 100) {
    throw new RampartError(
      'vendor_error',
      `Unleash: unexpected rollout ${JSON.stringify(raw ?? null)} in the ${strategy.name} strategy of ${where} (expected "0"–"100")`,
    );
  }
  return n;
}

export function exposureOf(strategies: readonly UnleashStrategy[], where: string): number | null {
  if (strategies.length === 0 || servesEveryone(strategies)) return 100;
  const chosen = pickRollout(strategies);
  return chosen ? parseRollout(chosen, where) : null;
}

function constraintText(c: UnleashConstraint): string {
  const values = c.values?.length ? c.values : c.value != null ? [c.value] : [];
  const shown = values.length <= 3 ? `[${values.join(', ')}]` : `${values.length} values`;
  return `${c.inverted ? 'NOT ' : ''}${c.contextName} ${c.operator} ${shown}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** e.g. "appName IN [web]; 1 segment; sticky on userId; +1 other strategy (userWithId)". */
export function targetingSummary(strategies: readonly UnleashStrategy[]): string {
  const active = strategies.filter(isActive);
  if (strategies.length === 0) return 'everyone (no strategies)';
  if (active.length === 0) return 'no active strategies';
  const main = pickRollout(active) ?? inUnleashOrder(active)[0];
  const parts: string[] = main.name === UNLEASH_ROLLOUT_STRATEGY ? [] : [main.name];
  parts.push(...(main.constraints ?? []).map(constraintText));
  if (main.segments?.length) parts.push(plural(main.segments.length, 'segment'));
  const stickiness = main.parameters?.stickiness;
  if (typeof stickiness === 'string' && stickiness !== 'default') parts.push(`sticky on ${stickiness}`);
  if (parts.length === 0 || (parts.length === 1 && parts[0] === 'default')) parts.splice(0, parts.length, 'everyone');
  const others = active.filter((s) => s !== main);
  if (others.length) {
    const names = [...new Set(others.map((s) => s.name))].join(', ');
    parts.push(`+${others.length} other ${others.length === 1 ? 'strategy' : 'strategies'} (${names})`);
  }
  const text = parts.join('; ');
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}

/** Variants served to the exposed share: the rollout strategy's own, else the environment's (flag-level) ones. */
function variantsOf(env: UnleashFeatureEnvironment): UnleashVariant[] {
  const chosen = pickRollout(env.strategies ?? []);
  return chosen?.variants?.length ? chosen.variants : (env.variants ?? []);
}

/** The heaviest variant (ties: the first) is "the treatment"; Unleash's weights are out of 1000. */
function treatmentOf(variants: readonly UnleashVariant[]): string | undefined {
  let best: UnleashVariant | undefined;
  for (const v of variants) if (!best || (v.weight ?? 0) > (best.weight ?? 0)) best = v;
  return best?.name;
}

/** A change detector, not a vendor version (Unleash OSS has none): the chosen strategy, its rollout, and a hash of everything else that shapes who gets the flag. */
export function versionOf(env: UnleashFeatureEnvironment, exposure: number | null): string {
  const strategies = inUnleashOrder(env.strategies ?? []).map((s) => ({
    id: s.id,
    name: s.name,
    parameters: s.parameters ?? {},
    constraints: s.constraints ?? [],
    segments: s.segments ?? [],
    variants: s.variants ?? [],
    disabled: s.disabled ?? false,
  }));
  const hash = createHash('sha256')
    .update(JSON.stringify({ enabled: env.enabled, strategies, variants: env.variants ?? [] }))
    .digest('hex')
    .slice(0, 12);
  return `${pickRollout(env.strategies ?? [])?.id ?? 'none'}:${exposure ?? '-'}:${hash}`;
}

export function toEnvState(flagKey: string, env: UnleashFeatureEnvironment): EnvState {
  const strategies = env.strategies ?? [];
  const exposure = exposureOf(strategies, `'${flagKey}' in ${env.name}`);
  const variants = variantsOf(env);
  const treatment = treatmentOf(variants);
  return {
    enabled: env.enabled,
    exposure,
    ...(treatment ? { treatment, control: UNLEASH_DISABLED_VARIANT } : {}),
    targeting: targetingSummary(strategies),
    version: versionOf(env, exposure),
  };
}

/** Normalizes one flag; `envKeys` limits it to the project's environments (Unleash also lists hidden ones). */
export function toFlagState(feature: UnleashFeature, envKeys?: ReadonlySet<string>): FlagState {
  const envs: FlagState['envs'] = {};
  const variantNames = new Set<string>();
  for (const env of feature.environments) {
    if (envKeys && !envKeys.has(env.name)) continue;
    envs[env.name] = toEnvState(feature.name, env);
    for (const v of env.variants ?? []) variantNames.add(v.name);
    for (const s of env.strategies ?? []) for (const v of s.variants ?? []) variantNames.add(v.name);
  }
  return {
    key: feature.name,
    name: feature.name,
    ...(feature.description ? { description: feature.description } : {}),
    variants: [...variantNames],
    envs,
  };
}
