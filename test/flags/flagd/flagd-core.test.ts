import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FlagdCore } from '@openfeature/flagd-core';
import { afterEach, describe, expect, it } from 'vitest';
import { storeFor, tempFlagFile, type TempFlagFile } from './fixtures';

/**
 * The file Rampart writes is judged by the real evaluator: `@openfeature/flagd-core` (what the in-process flagd
 * provider runs) loads it and buckets 10,000 targeting keys.
 */

let tmp: TempFlagFile;
afterEach(() => tmp?.cleanup());

const KEYS = Array.from({ length: 10_000 }, (_, i) => `user-${i}`);

function load(file: string): FlagdCore {
  const core = new FlagdCore();
  core.setConfigurations(readFileSync(file, 'utf8')); // throws on a file flagd would reject
  return core;
}

function variantsOf(file: string, flagKey: string, kind: 'boolean' | 'string' = 'boolean'): string[] {
  const core = load(file);
  return KEYS.map((targetingKey) => {
    const r =
      kind === 'boolean'
        ? core.resolveBooleanEvaluation(flagKey, false, { targetingKey })
        : core.resolveStringEvaluation(flagKey, '', { targetingKey });
    expect(r.errorCode).toBeUndefined();
    return r.variant ?? '(default)';
  });
}

const share = (variants: string[], v: string) => variants.filter((x) => x === v).length / variants.length;

/** Keys served `from` before and `to` after. */
function moved(before: string[], after: string[], from: (v: string) => boolean, to: (v: string) => boolean): number {
  return before.filter((v, i) => from(v) && to(after[i])).length;
}

const flag = { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: 'off' };

describe('flagd adapter: the written file as flagd-core evaluates it', () => {
  it('serves ~25 % after a ramp to 25 %, and a ramp 25 → 50 moves no key from treatment back to control', async () => {
    tmp = tempFlagFile({ flags: { 'new-checkout': flag } });
    const store = storeFor(tmp.file);
    expect(share(variantsOf(tmp.file, 'new-checkout'), 'on')).toBe(0);

    await store.setExposure('new-checkout', 'production', 25, { comment: 'ramp', expected: null });
    const at25 = variantsOf(tmp.file, 'new-checkout');
    expect(share(at25, 'on')).toBeGreaterThanOrEqual(0.23);
    expect(share(at25, 'on')).toBeLessThanOrEqual(0.27);

    await store.setExposure('new-checkout', 'production', 50, { comment: 'ramp', expected: 25 });
    const at50 = variantsOf(tmp.file, 'new-checkout');
    expect(share(at50, 'on')).toBeGreaterThanOrEqual(0.48);
    expect(share(at50, 'on')).toBeLessThanOrEqual(0.52);
    expect(
      moved(
        at25,
        at50,
        (v) => v === 'on',
        (v) => v === 'off',
      ),
    ).toBe(0);

    await store.setExposure('new-checkout', 'production', 100, { comment: 'ramp', expected: 50 });
    expect(share(variantsOf(tmp.file, 'new-checkout'), 'on')).toBe(1);

    // Rolling back shrinks the treatment the same way: nobody moves from control to treatment.
    await store.setExposure('new-checkout', 'production', 5, { comment: 'back', expected: 100 });
    const at5 = variantsOf(tmp.file, 'new-checkout');
    expect(
      moved(
        at25,
        at5,
        (v) => v === 'off',
        (v) => v === 'on',
      ),
    ).toBe(0);
    expect(share(at5, 'on')).toBeGreaterThanOrEqual(0.04);
    expect(share(at5, 'on')).toBeLessThanOrEqual(0.06);
  });

  it('stays monotonic when the file lists the treatment last', async () => {
    tmp = tempFlagFile({
      flags: {
        f: {
          ...flag,
          targeting: {
            fractional: [
              ['off', 75],
              ['on', 25],
            ],
          },
        },
      },
    });
    const store = storeFor(tmp.file);
    const before = variantsOf(tmp.file, 'f');
    await store.setExposure('f', 'production', 60, { comment: 'ramp', expected: 25 });
    const after = variantsOf(tmp.file, 'f');
    expect(
      moved(
        before,
        after,
        (v) => v === 'on',
        (v) => v === 'off',
      ),
    ).toBe(0);
    expect(share(after, 'on')).toBeGreaterThan(0.57);
    expect(share(after, 'on')).toBeLessThan(0.63);
  });

  it('with three variants, ramping up moves no key from a treatment to the default', async () => {
    tmp = tempFlagFile({
      flags: {
        colour: {
          state: 'ENABLED',
          variants: { red: 'r', blue: 'b', green: 'g' },
          defaultVariant: 'blue',
          targeting: {
            fractional: [
              ['red', 5],
              ['blue', 90],
              ['green', 5],
            ],
          },
        },
      },
    });
    const store = storeFor(tmp.file);
    const before = variantsOf(tmp.file, 'colour', 'string');
    await store.setExposure('colour', 'production', 40, { comment: 'ramp', expected: 10 });
    const after = variantsOf(tmp.file, 'colour', 'string');
    expect(
      moved(
        before,
        after,
        (v) => v !== 'blue',
        (v) => v === 'blue',
      ),
    ).toBe(0);
    expect(1 - share(after, 'blue')).toBeGreaterThan(0.37);
    expect(1 - share(after, 'blue')).toBeLessThan(0.43);
  });

  it('ramps the demo workspace file (rules, $evaluators and a nested split) into a file flagd-core still loads', async () => {
    const demo = readFileSync(path.join(__dirname, '../../../resources/demo/flags.json'), 'utf8');
    tmp = tempFlagFile(demo);
    const store = storeFor(tmp.file);
    const before = variantsOf(tmp.file, 'search-ranker', 'string');
    expect(share(before, 'ml-v2')).toBeGreaterThan(0.47);
    await store.setExposure('search-ranker', 'production', 100, { comment: 'full', expected: 50 });
    await store.setExposure('checkout-v2', 'production', 0, { comment: 'rollback', expected: 25 });
    await store.setEnabled('dark-mode', 'production', false, { comment: 'off' });
    expect(share(variantsOf(tmp.file, 'search-ranker', 'string'), 'ml-v2')).toBe(1);
    expect(share(variantsOf(tmp.file, 'checkout-v2'), 'on')).toBe(0);
    const core = load(tmp.file);
    expect(core.resolveBooleanEvaluation('dark-mode', false, { targetingKey: 'u' }).reason).toBe('DISABLED');
    expect(
      core.resolveStringEvaluation('search-ranker', '', { targetingKey: 'u', email: 'x@rampart.example' }).value,
    ).toBe('ml-v2');
  });
});
