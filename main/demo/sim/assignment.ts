import { FlagdCore } from '@openfeature/flagd-core';
import type { ServiceModel } from './services';

/**
 * Which synthetic users get the treatment in a given flag state — decided by the real flagd evaluator
 * (`@openfeature/flagd-core`, the same bucketing an in-process flagd provider does), so ramping the demo flag
 * really moves a fixed set of users onto the new path, and ramps are monotonic the way flagd's are.
 *
 * One evaluation of the whole pool per distinct (enabled, exposure) state, cached: ~60 ms for 100,000 users. The pool
 * is that large because a small one hashes visibly off the configured split (10,000 users at 25 % gave 25.5 %), and
 * the sample-ratio check on the demo would then rightly alarm.
 */

export const USER_POOL_SIZE = 100_000;

export function userKey(i: number): string {
  return `user-${String(i).padStart(5, '0')}`;
}

export interface FlagStateKey {
  enabled: boolean;
  /** Percent; null means "on without a ramp", i.e. everyone gets the treatment while enabled. */
  exposure: number | null;
}

export interface Assignment {
  /** Per user of the pool: true when the flag serves them the treatment. */
  treated: Uint8Array;
  treatedCount: number;
  /** treatedCount / USER_POOL_SIZE. */
  share: number;
}

/** Weights in thousandths of a percent, so non-integer exposures bucket exactly; treatment first (monotonic). */
function flagConfig(model: ServiceModel, state: FlagStateKey): string {
  const exposure = state.exposure === null ? 100 : Math.min(100, Math.max(0, state.exposure));
  const weight = Math.round(exposure * 1000);
  return JSON.stringify({
    flags: {
      [model.flagKey]: {
        state: state.enabled ? 'ENABLED' : 'DISABLED',
        variants: model.variants,
        defaultVariant: model.defaultVariant,
        targeting: {
          fractional: [
            { cat: [{ var: '$flagd.flagKey' }, { var: 'targetingKey' }] },
            [model.treatment, weight],
            [model.control, 100_000 - weight],
          ],
        },
      },
    },
  });
}

function evaluate(model: ServiceModel, state: FlagStateKey): Assignment {
  const core = new FlagdCore();
  core.setConfigurations(flagConfig(model, state));
  const isBoolean = typeof model.variants[model.treatment] === 'boolean';
  const treated = new Uint8Array(USER_POOL_SIZE);
  let treatedCount = 0;
  for (let i = 0; i < USER_POOL_SIZE; i++) {
    const context = { targetingKey: userKey(i) };
    const result = isBoolean
      ? core.resolveBooleanEvaluation(model.flagKey, false, context)
      : core.resolveStringEvaluation(model.flagKey, model.control, context);
    // A DISABLED flag resolves to the code default without a variant: the application's old path, the control.
    if (result.variant === model.treatment) {
      treated[i] = 1;
      treatedCount++;
    }
  }
  return { treated, treatedCount, share: treatedCount / USER_POOL_SIZE };
}

export interface AssignmentCache {
  get(model: ServiceModel, state: FlagStateKey): Assignment;
  readonly size: number;
}

export function createAssignmentCache(maxEntries = 256): AssignmentCache {
  const cache = new Map<string, Assignment>();
  return {
    get(model, state) {
      // Disabled: everyone gets the control whatever the weights say, so all disabled states share one entry.
      const exposureKey = !state.enabled
        ? 'off'
        : state.exposure === null
          ? 'null'
          : String(Math.round(state.exposure * 1000));
      const key = `${model.flagKey}|${state.enabled}|${exposureKey}`;
      let hit = cache.get(key);
      if (!hit) {
        hit = evaluate(model, state);
        cache.set(key, hit);
        if (cache.size > maxEntries) cache.delete(cache.keys().next().value as string);
      }
      return hit;
    },
    get size() {
      return cache.size;
    },
  };
}
