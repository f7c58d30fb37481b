import { describe, expect, it } from 'vitest';
import { DEMO_SERVICES } from '../../main/demo';
import {
  assignmentFromBuckets,
  bucketsOf,
  createAssignmentCache,
  evaluateWithFlagd,
  USER_POOL_SIZE,
  type FlagStateKey,
} from '../../main/demo/sim/assignment';

const STATES: FlagStateKey[] = [
  { enabled: true, exposure: 1 },
  { enabled: true, exposure: 5 },
  { enabled: true, exposure: 25 },
  { enabled: true, exposure: 33.333 },
  { enabled: true, exposure: 99.999 },
  { enabled: true, exposure: null },
  { enabled: false, exposure: 50 },
  { enabled: true, exposure: 0 },
];

function differing(a: Uint8Array, b: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) n++;
  return n;
}

describe('demo: the pool assignment from flagd buckets is the one flagd-core evaluates', () => {
  // The whole pool through flagd-core for every demo flag in every kind of state: the buckets must agree user by user.
  for (const model of DEMO_SERVICES) {
    it(`${model.flagKey}: every user of the pool, in ${STATES.length} states`, () => {
      const cache = createAssignmentCache();
      for (const state of STATES) {
        const fast = cache.get(model, state);
        const reference = evaluateWithFlagd(model, state);
        expect(differing(fast.treated, reference.treated), JSON.stringify(state)).toBe(0);
        expect(fast.treatedCount).toBe(reference.treatedCount);
      }
    });
  }

  it('falls back to flagd-core when the buckets disagree with it (a changed hash would)', () => {
    const model = DEMO_SERVICES[0];
    const state = { enabled: true, exposure: 25 };
    const wrong = bucketsOf(model.flagKey).map((b) => (b + 7_000) % 100_000);
    const got = assignmentFromBuckets(model, state, wrong);
    const reference = evaluateWithFlagd(model, state);
    expect(differing(got.treated, reference.treated)).toBe(0);
    expect(got.share).toBeGreaterThan(0.24);
    expect(got.share).toBeLessThan(0.26);
  });

  it('hashes each flag once and answers later states from the same buckets', () => {
    const cache = createAssignmentCache();
    const model = DEMO_SERVICES[1];
    const shares = [1, 5, 25, 50, 100].map((exposure) => cache.get(model, { enabled: true, exposure }).share);
    for (let k = 1; k < shares.length; k++) expect(shares[k]).toBeGreaterThan(shares[k - 1]);
    expect(shares[4]).toBe(1);
    expect(cache.size).toBe(5);
    expect(USER_POOL_SIZE).toBe(100_000);
  });
});
