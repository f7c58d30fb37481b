import type { TreatmentReach } from '../../../shared/domain/flags';
import type { GbFeature, GbFeatureEnv, GbRule } from './gb-schemas';
import { controlOf, exposureOf, isBooleanFeature, isOn, rampOf, sameValue, untargeted } from './gb-state';

/**
 * The kill switch's semantics on GrowthBook (docs/growthbook.md "Kill switch"). A feature that is OFF in an
 * environment is left out of that environment's SDK payload and "will always evaluate to null" (GrowthBook's docs,
 * features/environments) — not its default value. Null is "off": for a boolean feature whose control is `false`
 * that IS the control, and turning the environment off (`POST /features/{id}/toggle`) is the kill switch. For any
 * other feature, null means each SDK's in-code fallback, which Rampart cannot see; there the kill switch keeps the
 * environment on and makes every rule serve the control instead: the ramp's coverage to 0, every other rule that
 * can serve another value disabled — one published revision, so everyone gets the default value, the control.
 * What no rule edit can close (a holdout, prerequisites, a rule type Rampart does not know) is reported.
 */

interface Path {
  what: string;
  /** The rule to edit to close it, when an edit can. */
  rule?: GbRule;
  /** An edit cannot decide whether it serves the treatment (a rule type Rampart does not know, a null fallback). */
  unknown?: boolean;
}

function ruleServesOther(r: GbRule, control: string, t: GbFeature['valueType']): boolean {
  const other = (v: string) => !sameValue(v, control, t);
  switch (r.type) {
    case 'force':
      return other(r.value) && (r.coverage ?? 1) > 0;
    case 'rollout':
      return other(r.value) && r.coverage > 0;
    case 'experiment':
      return (r.coverage ?? 1) > 0 && (r.value ?? []).some((v) => v.weight > 0 && other(v.value));
    case 'experiment-ref':
      return r.variations.some((v) => other(v.value));
    case 'safe-rollout':
      return other(r.variationValue) || other(r.controlValue);
    case 'unknown':
      return true;
  }
}

/** Where a null value (flag off, or a failed prerequisite) leads: the control, the treatment, or the unseen fallback. */
function nullServes(feature: GbFeature, env: GbFeatureEnv): 'control' | 'other' | 'fallback' {
  if (!isBooleanFeature(feature)) return 'fallback';
  return controlOf(feature, env).trim() === 'false' ? 'control' : 'other';
}

/** Every way a unit in an environment that is ON can get something other than the control. */
export function pathsToOther(feature: GbFeature, env: GbFeatureEnv): Path[] {
  const control = controlOf(feature, env);
  const paths: Path[] = [];
  for (const r of env.rules) {
    if (!isOn(r) || !ruleServesOther(r, control, feature.valueType)) continue;
    const label =
      r.type === 'unknown'
        ? `a '${r.vendorType}' rule`
        : `${r.type} rule '${r.id}'${untargeted(r) ? '' : ' (targeted)'}`;
    paths.push({ what: label, rule: r, ...(r.type === 'unknown' ? { unknown: true } : {}) });
  }
  if (feature.holdout && !sameValue(feature.holdout.value, control, feature.valueType))
    paths.push({ what: `holdout '${feature.holdout.id}' serving ${feature.holdout.value}` });
  const prereqs = feature.prerequisites?.length ?? 0;
  const onFail = nullServes(feature, env);
  if (prereqs && onFail !== 'control') {
    paths.push({
      what: `units failing ${prereqs === 1 ? 'its prerequisite' : `one of ${prereqs} prerequisites`} (served null: ${onFail === 'other' ? 'off, the treatment' : 'the in-code fallback'})`,
      unknown: onFail === 'fallback',
    });
  }
  return paths;
}

/** Whether turning the environment off serves the control to every unit (see the header). */
export function offServesControl(feature: GbFeature, env: GbFeatureEnv): boolean {
  return nullServes(feature, env) === 'control';
}

export function gbTreatmentReach(feature: GbFeature, envKey: string): TreatmentReach {
  const env = feature.environments[envKey];
  if (!env)
    return { state: 'unknown', detail: `GrowthBook: '${feature.id}' has no environment '${envKey}' in the read-back` };
  const control = controlOf(feature, env);
  if (!env.enabled) {
    const serves = nullServes(feature, env);
    if (serves === 'control')
      return {
        state: 'none',
        detail: `off in ${envKey}: left out of the SDK payload, it evaluates to null — off, the control '${control}'`,
      };
    if (serves === 'other')
      return {
        state: 'some',
        share: 100,
        detail: `off in ${envKey}: it evaluates to null (off), but the control is '${control}'`,
      };
    return {
      state: 'unknown',
      detail: `off in ${envKey}: SDKs serve their in-code fallback for a ${feature.valueType} feature, which Rampart cannot see`,
    };
  }
  const paths = pathsToOther(feature, env);
  if (paths.length === 0)
    return {
      state: 'none',
      detail: `on in ${envKey}, but every rule serves the control '${control}' (the default value)`,
    };
  const known = paths.filter((p) => !p.unknown);
  if (known.length === 0)
    return {
      state: 'unknown',
      detail: `on in ${envKey}: Rampart cannot tell what ${paths.map((p) => p.what).join(', ')} serve${paths.length === 1 ? 's' : ''}`,
    };
  const ramp = rampOf(feature, env);
  const onlyRamp = paths.length === 1 && paths[0].rule === ramp && ramp !== undefined && untargeted(ramp);
  return {
    state: 'some',
    share: onlyRamp ? exposureOf(ramp) : null,
    detail: `on in ${envKey}: the treatment reaches ${paths.map((p) => p.what).join(', ')}`,
  };
}
