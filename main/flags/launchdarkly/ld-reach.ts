import type { TreatmentReach } from '../../../shared/domain/flags';
import type { LdFlag, LdFlagConfig } from './ld-schemas';
import { controlIndex, exposureOf, variationName, WEIGHT_SCALE } from './ld-state';

/**
 * The kill switch's semantics on LaunchDarkly (docs/integrations.md 3.2–3.3): a flag that is OFF in an environment
 * serves its `offVariation` to every context — targets, rules, prerequisites and the fallthrough are skipped. So a
 * rollback is `turnFlagOff`, and it serves the control only when the off variation IS the control; when it is not
 * (or none is set: SDKs then serve their in-code fallback, which Rampart cannot see), the same all-or-nothing
 * semantic patch first sets `updateOffVariation` to the control. A flag that is ON reaches the treatment through any
 * individual target, rule or fallthrough share that serves a non-control variation.
 */

interface Served {
  variation?: unknown;
  rollout?: { variations?: { variation?: unknown; weight?: unknown }[] } | null;
}

function servesOther(s: Served | undefined, control: number): boolean {
  if (!s) return false;
  if (typeof s.variation === 'number') return s.variation !== control;
  return (s.rollout?.variations ?? []).some(
    (v) => v.variation !== control && typeof v.weight === 'number' && v.weight > 0,
  );
}

/** What turning the flag off needs besides `turnFlagOff`: the off variation set to the control, or nothing. */
export function offVariationFix(flag: LdFlag, cfg: LdFlagConfig): { variationId: string; was: string } | null {
  const control = controlIndex(flag, cfg);
  if (cfg.offVariation === control) return null;
  const was =
    typeof cfg.offVariation === 'number' && flag.variations[cfg.offVariation]
      ? `'${variationName(flag.variations[cfg.offVariation])}'`
      : 'none (the SDK fallback)';
  return { variationId: flag.variations[control]._id, was };
}

export function ldTreatmentReach(flag: LdFlag, cfg: LdFlagConfig | undefined, env: string): TreatmentReach {
  if (!cfg)
    return { state: 'unknown', detail: `LaunchDarkly: no configuration for environment '${env}' in the read-back` };
  const control = controlIndex(flag, cfg);
  const controlName = variationName(flag.variations[control]);
  if (!cfg.on) {
    const off = cfg.offVariation;
    if (off === control)
      return {
        state: 'none',
        detail: `off in ${env}: every context gets the off variation '${controlName}' (the control)`,
      };
    if (typeof off !== 'number')
      return {
        state: 'unknown',
        detail: `off in ${env} with no off variation: SDKs serve their in-code fallback, which Rampart cannot see`,
      };
    return {
      state: 'some',
      share: 100,
      detail: `off in ${env}, but the off variation is '${variationName(flag.variations[off])}', not the control '${controlName}'`,
    };
  }
  const paths: string[] = [];
  const targets = [...(cfg.targets ?? []), ...(cfg.contextTargets ?? [])] as (Served & { values?: unknown[] })[];
  const targeted = targets.filter((t) => servesOther(t, control)).reduce((n, t) => n + (t.values?.length ?? 0), 0);
  if (targeted) paths.push(`${targeted} individual target${targeted === 1 ? '' : 's'}`);
  const rules = ((cfg.rules ?? []) as Served[]).filter((r) => servesOther(r, control)).length;
  if (rules) paths.push(`${rules} targeting rule${rules === 1 ? '' : 's'}`);
  const exposure = exposureOf(flag, cfg);
  if (exposure === null) return { state: 'unknown', detail: `on in ${env} with a fallthrough Rampart cannot read` };
  if (exposure > 1 / WEIGHT_SCALE / 2) paths.push(`${exposure}% of the fallthrough`);
  const prereqs = cfg.prerequisites?.length ?? 0;
  if (prereqs && cfg.offVariation !== control)
    paths.push(`the off variation served when one of ${prereqs} prerequisites fails`);
  if (paths.length === 0)
    return {
      state: 'none',
      detail: `on in ${env}, but every target, rule and the fallthrough serve the control '${controlName}'`,
    };
  return {
    state: 'some',
    share: paths.length === 1 && exposure > 0 ? exposure : null,
    detail: `on in ${env}: the treatment reaches ${paths.join(', ')}`,
  };
}
