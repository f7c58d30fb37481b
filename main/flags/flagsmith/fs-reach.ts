import type { TreatmentReach } from '../../../shared/domain/flags';
import { allocationSum, isMultivariate, rampOf, type LiveFeature } from './fs-state';

/**
 * Can any identity in this environment be served the flag right now, by Flagsmith's own rules? An identity gets the
 * state of its identity override if it has one, else of the highest-priority segment override it matches, else the
 * environment default; a disabled state serves the flag off (the control). So the treatment is out of reach only
 * when the default, every segment override and every identity override are off — or, for a multivariate flag whose
 * only enabled state is the default, when that default allocates 0 % to the variant options.
 */
export function fsTreatmentReach(live: LiveFeature, envName: string): TreatmentReach {
  const paths: string[] = [];
  let share: number | null = null;
  const def = live.def;
  if (!def)
    return {
      state: 'unknown',
      detail: `Flagsmith: '${live.feature.name}' has no environment default state in ${envName}`,
    };
  if (def.enabled) {
    const allocated = isMultivariate(live.feature) ? allocationSum(def.multivariate_feature_state_values) : 100;
    if (allocated > 0) {
      paths.push(
        isMultivariate(live.feature)
          ? `the environment default (${allocated}% to variant options)`
          : 'the environment default (on)',
      );
      share = allocated;
    }
  }
  const onOverrides = live.overrides.filter((o) => o.state?.enabled);
  const unread = live.overrides.filter((o) => !o.state).length;
  if (onOverrides.length) {
    const ramp = rampOf(live);
    paths.push(
      `${onOverrides.length} segment override${onOverrides.length === 1 ? '' : 's'} (${onOverrides.map((o) => o.segment?.name ?? o.segmentName ?? `#${o.segmentId}`).join(', ')})`,
    );
    share = paths.length === 1 && onOverrides.length === 1 && ramp?.override === onOverrides[0] ? ramp.split : null;
  }
  const identities = live.identityOverridesOn ?? 0;
  if (identities) {
    paths.push(
      `${identities} identity override${identities === 1 ? '' : 's'} (remove them in Flagsmith: Rampart does not edit identities)`,
    );
    share = null;
  }
  if (paths.length)
    return {
      state: 'some',
      share: paths.length === 1 ? share : null,
      detail: `${envName}: the flag is served on through ${paths.join(', ')}`,
    };
  if (unread)
    return {
      state: 'unknown',
      detail: `${envName}: ${unread} segment override${unread === 1 ? '' : 's'} whose state could not be read`,
    };
  return { state: 'none', detail: `${envName}: the environment default and every segment override are off` };
}
