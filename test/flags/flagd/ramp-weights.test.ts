import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rampWeights } from '../../../main/flags/flagd/flagd-edit';

/** The control variant's slice of the bucket space [0, 1) for a list of weights (it is one contiguous slice). */
function controlSlice(weights: Array<{ variant: string; weight: number | null }>, control: string): [number, number] {
  const total = weights.reduce((s, b) => s + (b.weight ?? 0), 0);
  let start = 0;
  for (const b of weights) {
    if (b.variant === control) return [start / total, (start + (b.weight ?? 0)) / total];
    start += b.weight ?? 0;
  }
  return [1, 1];
}

const layout = fc
  .record({
    others: fc.integer({ min: 1, max: 3 }),
    controlAt: fc.nat(),
    cuts: fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 3, maxLength: 3 }),
  })
  .map(({ others, controlAt, cuts }) => {
    // Integer weights out of 100 (what Rampart writes), the control somewhere in the list.
    const names = Array.from({ length: others }, (_, i) => `t${i}`);
    const at = controlAt % (others + 1);
    names.splice(at, 0, 'c');
    const points = [...cuts.slice(0, names.length - 1)].sort((a, b) => a - b);
    const edges = [0, ...points, 100];
    return names.map((variant, i) => ({ variant, weight: edges[i + 1] - edges[i] }));
  });

describe('rampWeights', () => {
  it('puts exactly the asked percent off the control, in whole percents out of 100', () => {
    fc.assert(
      fc.property(layout, fc.integer({ min: 0, max: 100 }), (buckets, p) => {
        const next = rampWeights(buckets, 'c', 't0', p);
        expect(next.every((b) => Number.isInteger(b.weight) && (b.weight ?? -1) >= 0)).toBe(true);
        expect(next.reduce((s, b) => s + (b.weight ?? 0), 0)).toBe(100);
        expect(next.find((b) => b.variant === 'c')?.weight).toBe(100 - p);
        expect(next.map((b) => b.variant)).toEqual(buckets.map((b) => b.variant)); // order kept
      }),
    );
  });

  it('ramping up only shrinks the control slice (no unit goes back to control); ramping down only grows it', () => {
    fc.assert(
      fc.property(layout, fc.integer({ min: 0, max: 100 }), (buckets, p) => {
        const before = controlSlice(buckets, 'c');
        const after = controlSlice(rampWeights(buckets, 'c', 't0', p), 'c');
        const oldExposure = 100 - (buckets.find((b) => b.variant === 'c')?.weight ?? 0);
        const eps = 1e-12;
        if (p >= oldExposure) {
          expect(after[0]).toBeGreaterThanOrEqual(before[0] - eps);
          expect(after[1]).toBeLessThanOrEqual(before[1] + eps);
        } else {
          expect(after[0]).toBeLessThanOrEqual(before[0] + eps);
          expect(after[1]).toBeGreaterThanOrEqual(before[1] - eps);
        }
      }),
    );
  });

  it('with nothing off control yet, gives the whole ramp to the treatment', () => {
    expect(
      rampWeights(
        [
          { variant: 'on', weight: 0 },
          { variant: 'off', weight: 100 },
        ],
        'off',
        'on',
        25,
      ),
    ).toEqual([
      { variant: 'on', weight: 25 },
      { variant: 'off', weight: 75 },
    ]);
    expect(rampWeights([{ variant: 'off', weight: 1 }], 'off', 'on', 10)).toEqual([
      { variant: 'on', weight: 10 },
      { variant: 'off', weight: 90 },
    ]);
  });
});
