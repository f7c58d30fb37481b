import type { FlagChange } from '../../shared/domain/flags';
import type { VersionState } from '../../shared/domain/lifecycle';

/** The live state a timeline is rebuilt from: what the store serves now, exactly. */
export interface LiveState {
  enabled: boolean;
  exposure: number | null;
  targeting: string | null;
}

const TARGETING_KINDS = new Set<FlagChange['kind']>(['targeting']);

/**
 * The state after each change, rebuilt backwards from the live state (the only state known for certain): before a
 * change, a field is what the change's `from` says, else what it was after — unless the change set it without saying
 * what it was before, then it is unknown. Targeting is known only as the live summary: a change's text describes the
 * change ("added default strategy"), not the whole targeting, so every version before a targeting change has
 * targeting "not as now".
 */
export function statesAfter(
  changes: readonly Pick<FlagChange, 'kind' | 'from' | 'to'>[],
  live: LiveState,
): VersionState[] {
  return timeline(changes, live).after;
}

/** The states after each change, and the state before the first one (what the oldest change changed from). */
export function timeline(
  changes: readonly Pick<FlagChange, 'kind' | 'from' | 'to'>[],
  live: LiveState,
): { after: VersionState[]; before: VersionState } {
  const out: VersionState[] = new Array(changes.length);
  let after: VersionState = {
    enabled: live.enabled,
    exposure: live.exposure,
    exposureKnown: true,
    targeting: live.targeting,
    targetingAsNow: true,
  };
  for (let i = changes.length - 1; i >= 0; i--) {
    out[i] = after;
    const c = changes[i];
    const from = c.from ?? {};
    const to = c.to ?? {};
    const before: VersionState = { ...after };
    if (from.enabled !== undefined) before.enabled = from.enabled;
    else if (to.enabled !== undefined || c.kind === 'enabled') before.enabled = null;
    if (from.exposure !== undefined) {
      before.exposure = from.exposure;
      before.exposureKnown = true;
    } else if (to.exposure !== undefined || c.kind === 'exposure') {
      before.exposure = null;
      before.exposureKnown = false;
    }
    if (TARGETING_KINDS.has(c.kind) || from.targeting !== undefined || to.targeting !== undefined) {
      before.targeting = from.targeting ?? null;
      before.targetingAsNow = false;
    }
    if (c.kind === 'created') {
      // Nothing existed before creation; the state right after it is what the change says, when it says.
      before.enabled = null;
      before.exposure = null;
      before.exposureKnown = false;
    }
    after = before;
  }
  return { after: out, before: after };
}

/** Whether a state served the treatment to anyone: on at a percentage above 0, or on with no percentage. */
export function servedAnyone(s: Pick<VersionState, 'enabled' | 'exposure' | 'exposureKnown'>): boolean {
  return s.enabled === true && (!s.exposureKnown || s.exposure === null || s.exposure > 0);
}
