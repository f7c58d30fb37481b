import { afterEach, describe, expect, it } from 'vitest';
import { sampleContexts } from '../../../main/flags/flagd/flagd-samples';
import { storeFor, tempFlagFile, type TempFlagFile } from './fixtures';
import { evaluateFile, treatmentServed } from './support/flagd-eval';
import { bool, byKey, fileWith, isStaff, on, SHAPES } from './support/shapes';

/**
 * The read-back proof (FlagStore.treatmentReach): `none` is what "confirmed" means, so it must never be said of a
 * flag that can still serve the treatment — by sampling with flagd-core or by a rule the samples miss.
 */

let tmp: TempFlagFile;
afterEach(() => tmp?.cleanup());

async function reachOf(def: Record<string, unknown>) {
  tmp = tempFlagFile(fileWith(def));
  return storeFor(tmp.file).treatmentReach('subject', 'production');
}

describe('flagd treatment reach', () => {
  it('measures the share a fractional rule serves over 10,000 keys', async () => {
    const reach = await reachOf(on(bool, 'off', { fractional: [byKey, ['on', 25], ['off', 75]] }));
    expect(reach.state).toBe('some');
    const share = reach.state === 'some' ? reach.share : null;
    expect(share).toBeGreaterThan(23);
    expect(share).toBeLessThan(27);
  });

  it('finds a rule that random keys never hit, from the values the targeting compares against', async () => {
    const reach = await reachOf(
      on(bool, 'off', { if: [isStaff, 'on', { fractional: [byKey, ['on', 0], ['off', 100]] }] }),
    );
    expect(reach).toMatchObject({ state: 'some', share: null });
    expect(reach.detail).toMatch(/served "on" to a unit with \{"email":"[^"]*@example\.com"\}/);
  });

  it('is unknown, not none, when only the static analysis sees a way to the treatment', async () => {
    const computed = await reachOf(
      on(bool, 'off', { if: [{ '==': [{ var: 'tier' }, { cat: ['gold', '-plus'] }] }, 'on', 'off'] }),
    );
    expect(computed.state).toBe('unknown');
    expect(computed.detail).toMatch(/targeting\.if\[1\] serves "on"/);
    const fromContext = await reachOf(on(bool, 'off', { var: 'variant' }));
    expect(fromContext.state).not.toBe('none');
  });

  it('is none for a DISABLED flag, and says what re-enabling it would do', async () => {
    const reach = await reachOf({
      ...on(bool, 'off', { fractional: [byKey, ['on', 25], ['off', 75]] }),
      state: 'DISABLED',
    });
    expect(reach.state).toBe('none');
    expect(reach.detail).toMatch(
      /off \(state DISABLED\).*code default.*turning it back on would serve other variants again/,
    );
  });

  it('is none for a flag that serves the control to everyone', async () => {
    const reach = await reachOf(on(bool, 'off', { fractional: [byKey, ['on', 0], ['off', 100]] }));
    expect(reach).toMatchObject({ state: 'none' });
    expect(reach.detail).toMatch(/served "off" \(or the code default\) to all 10000 targeting keys and \d+ contexts/);
  });

  it('is never none for a shape that flagd-core serves the treatment with', async () => {
    for (const shape of SHAPES) {
      tmp?.cleanup();
      tmp = tempFlagFile(fileWith(shape.def));
      const served = evaluateFile(tmp.file, 'subject');
      if (treatmentServed(served, shape.control) === 0 && served.errors === 0) continue; // no live path to begin with
      const reach = await storeFor(tmp.file).treatmentReach('subject', 'production');
      expect(reach.state, `${shape.name}: ${reach.detail}`).not.toBe('none');
    }
  });

  it('builds contexts from the targeting: both sides of each comparison, through $refs, without a targetingKey too', () => {
    const evaluators = { isStaff };
    const { keyed, derived } = sampleContexts(
      {
        if: [
          {
            and: [{ $ref: 'isStaff' }, { in: [{ var: 'country' }, ['DE', 'FR']] }, { '>=': [{ var: 'user.age' }, 18] }],
          },
          'on',
          'off',
        ],
      },
      evaluators,
    );
    expect(keyed).toHaveLength(10_000);
    expect(new Set(keyed.map((c) => c.targetingKey)).size).toBe(10_000);
    const together = derived.find(
      (c) =>
        typeof c.email === 'string' &&
        c.email.endsWith('@example.com') &&
        c.country === 'DE' &&
        (c.user as { age?: number })?.age === 18,
    );
    expect(together).toBeDefined();
    expect(derived.some((c) => c.country === 'FR')).toBe(true);
    expect(derived.some((c) => (c.user as { age?: number })?.age === 17)).toBe(true);
    expect(derived.some((c) => c.targetingKey === undefined && c.email !== undefined)).toBe(true);
  });

  it('never walks into Object.prototype through a variable name', () => {
    sampleContexts(
      {
        if: [{ '==': [{ var: '__proto__.polluted' }, 'x'] }, 'on', { '==': [{ var: 'constructor.prototype.p' }, 'y'] }],
      },
      {},
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).p).toBeUndefined();
  });
});
