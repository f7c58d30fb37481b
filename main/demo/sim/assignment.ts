import { FlagdCore } from '@openfeature/flagd-core';
import MurmurHash3 from 'imurmurhash';
import type { ServiceModel } from './services';
import { setBounded } from '../../../shared/bounded-map';

/**
 * Which synthetic users get the treatment in a given flag state — as the real flagd evaluator decides it
 * (`@openfeature/flagd-core`, the same bucketing an in-process flagd provider does), so ramping the demo flag
 * really moves a fixed set of users onto the new path, and ramps are monotonic the way flagd's are.
 *
 * The pool is 100,000 users because a small one hashes visibly off the configured split (10,000 users at 25 % gave
 * 25.5 %), and the sample-ratio check on the demo would then rightly alarm. Evaluating it with flagd-core costs
 * 90–230 ms per flag state, and a cold start meets a dozen states before its first chart (issue 15). flagd's
 * `fractional` puts a user in bucket ⌊murmur3(flagKey + targetingKey) × total / 2³²⌋ and serves the first variant
 * whose cumulative weight exceeds it; the demo's rule is [treatment w, control 100,000 − w], so a user is treated
 * exactly when their bucket is below w. The buckets are hashed once per flag (≈ 30 ms, with the murmur3 package
 * flagd-core itself uses) and every state is then a comparison — checked against flagd-core for the users nearest the
 * threshold and a spread of others; any disagreement (a changed flagd-core) falls back to evaluating the whole pool.
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

/** Weights in thousandths of a percent (the rule's total), so non-integer exposures bucket exactly. */
const TOTAL_WEIGHT = 100_000;

/** The treatment's weight in the demo's rule for a state; 0 when disabled (everyone on the old path). */
function treatmentWeight(state: FlagStateKey): number {
  if (!state.enabled) return 0;
  const exposure = state.exposure === null ? 100 : Math.min(100, Math.max(0, state.exposure));
  return Math.round(exposure * 1000);
}

/**
 * Treatment first, so ramps are monotonic: a user treated at w stays treated at every larger w. A disabled flag keeps
 * its weights in the file (flagd serves the default whatever they say).
 */
function flagConfig(model: ServiceModel, state: FlagStateKey): string {
  const weight = treatmentWeight({ ...state, enabled: true });
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
            [model.control, TOTAL_WEIGHT - weight],
          ],
        },
      },
    },
  });
}

/** flagd-core's own answer for some users of the pool: true where it serves them the treatment. */
function flagdTreats(model: ServiceModel, state: FlagStateKey, users: Iterable<number>): Map<number, boolean> {
  const core = new FlagdCore();
  core.setConfigurations(flagConfig(model, state));
  const isBoolean = typeof model.variants[model.treatment] === 'boolean';
  const out = new Map<number, boolean>();
  for (const i of users) {
    const context = { targetingKey: userKey(i) };
    const result = isBoolean
      ? core.resolveBooleanEvaluation(model.flagKey, false, context)
      : core.resolveStringEvaluation(model.flagKey, model.control, context);
    // A DISABLED flag resolves to the code default without a variant: the application's old path, the control.
    out.set(i, result.variant === model.treatment);
  }
  return out;
}

function assignmentOf(treated: Uint8Array): Assignment {
  let treatedCount = 0;
  for (let i = 0; i < treated.length; i++) treatedCount += treated[i];
  return { treated, treatedCount, share: treatedCount / USER_POOL_SIZE };
}

/** The whole pool through flagd-core: the reference, and the fallback when the buckets disagree with it. */
export function evaluateWithFlagd(model: ServiceModel, state: FlagStateKey): Assignment {
  const all = flagdTreats(
    model,
    state,
    Array.from({ length: USER_POOL_SIZE }, (_, i) => i),
  );
  const treated = new Uint8Array(USER_POOL_SIZE);
  for (const [i, on] of all) treated[i] = on ? 1 : 0;
  return assignmentOf(treated);
}

/** Each user's flagd bucket for the demo's rule (0 ≤ bucket < TOTAL_WEIGHT), hashed as flagd-core hashes it. */
export function bucketsOf(flagKey: string): Uint32Array {
  const buckets = new Uint32Array(USER_POOL_SIZE);
  // hash × 100,000 < 2⁴⁹ is exact in a double, and dividing by 2³² only shifts the exponent: the same integer as
  // flagd-core's BigInt (hash × total) >> 32.
  for (let i = 0; i < USER_POOL_SIZE; i++)
    buckets[i] = Math.floor(((new MurmurHash3(flagKey + userKey(i)).result() >>> 0) * TOTAL_WEIGHT) / 2 ** 32);
  return buckets;
}

/** Users to ask flagd-core about: some whose buckets lie just below and just above the threshold, and a spread. */
function checkedUsers(buckets: Uint32Array, weight: number): number[] {
  const users = new Set<number>();
  for (let i = 0; i < USER_POOL_SIZE; i += 1_999) users.add(i);
  // One pass, no copy of the pool: up to 32 users on each side within 40 buckets of the threshold.
  let below = 0;
  let above = 0;
  for (let i = 0; i < USER_POOL_SIZE && (below < 32 || above < 32); i++) {
    const d = buckets[i] - weight;
    if (d >= -40 && d < 0 && below < 32) {
      users.add(i);
      below++;
    } else if (d >= 0 && d <= 40 && above < 32) {
      users.add(i);
      above++;
    }
  }
  return [...users];
}

/** A state's assignment from the pool's buckets, confirmed by flagd-core on a sample (exported for its test). */
export function assignmentFromBuckets(model: ServiceModel, state: FlagStateKey, buckets: Uint32Array): Assignment {
  const weight = treatmentWeight(state);
  const treated = new Uint8Array(USER_POOL_SIZE);
  for (let i = 0; i < USER_POOL_SIZE; i++) treated[i] = buckets[i] < weight ? 1 : 0;
  for (const [i, on] of flagdTreats(model, state, checkedUsers(buckets, weight)))
    if (on !== (treated[i] === 1)) return evaluateWithFlagd(model, state);
  return assignmentOf(treated);
}

export interface AssignmentCache {
  get(model: ServiceModel, state: FlagStateKey): Assignment;
  readonly size: number;
}

export function createAssignmentCache(maxEntries = 256): AssignmentCache {
  const cache = new Map<string, Assignment>();
  const bucketsByFlag = new Map<string, Uint32Array>();
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
        let buckets = bucketsByFlag.get(model.flagKey);
        if (!buckets) bucketsByFlag.set(model.flagKey, (buckets = bucketsOf(model.flagKey)));
        hit = assignmentFromBuckets(model, state, buckets);
        setBounded(cache, key, hit, maxEntries);
      }
      return hit;
    },
    get size() {
      return cache.size;
    },
  };
}
