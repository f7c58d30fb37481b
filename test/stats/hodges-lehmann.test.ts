import { describe, expect, it } from 'vitest';
import { hodgesLehmann, hodgesLehmannMinPerArm, hodgesLehmannRank } from '../../shared/stats/hodges-lehmann';
import { selectPairwiseDifference, selectPairwiseDifferences } from '../../shared/stats/pairwise-select';
import { cleanSample } from '../../shared/stats/sample';
import { expectClose, lognormalSample, loadFixture, seededRandom } from './helpers';

interface Case {
  name: string;
  canary: number[];
  baseline: number[];
  confidence: number;
  k: number;
  estimate: number;
  ci: [number, number] | null;
}
const { cases } = loadFixture<{ cases: Case[] }>('hodges-lehmann.json');
const sorted = (values: number[]): Float64Array => cleanSample(values).sorted;

describe('Hodges–Lehmann shift and distribution-free CI against a brute-force reference (all n·m differences)', () => {
  for (const c of cases) {
    it(`${c.name} (${c.canary.length} × ${c.baseline.length}, ${c.confidence})`, () => {
      const hl = hodgesLehmann(sorted(c.canary), sorted(c.baseline), c.confidence);
      expect(hl.k).toBe(c.k);
      expectClose(hl.estimate, c.estimate, 1e-12, 1e-12, 'estimate');
      if (c.ci === null) expect(hl.ci).toBeNull();
      else {
        expect(hl.ci).not.toBeNull();
        // Same method, exact order statistics: the bounds are the very same differences.
        expect(hl.ci?.[0]).toBe(c.ci[0]);
        expect(hl.ci?.[1]).toBe(c.ci[1]);
      }
    });
  }

  it('needs 5 per arm for a 98% interval (k ≥ 1), 4 per arm at 95%', () => {
    expect(hodgesLehmannMinPerArm(0.98)).toBe(5);
    expect(hodgesLehmannRank(4, 4, 0.98)).toBeLessThan(1);
    expect(hodgesLehmannRank(5, 5, 0.98)).toBe(1);
    expect(hodgesLehmannMinPerArm(0.95)).toBe(4);
  });
});

describe('rank selection over implicit pairwise differences', () => {
  it('matches sorting every difference, for random sizes, heavy ties and several ranks at once', () => {
    const random = seededRandom(42);
    for (let trial = 0; trial < 150; trial++) {
      const n = 1 + Math.floor(random() * 150);
      const m = 1 + Math.floor(random() * 150);
      const ties = random() < 0.4;
      const draw = (): number => (ties ? Math.floor(random() * 4) : random() * 100 - 50);
      const x = sorted(Array.from({ length: m }, draw));
      const y = sorted(Array.from({ length: n }, draw));
      const all: number[] = [];
      for (const a of x) for (const b of y) all.push(a - b);
      const reference = Float64Array.from(all).sort();
      const ranks = Array.from({ length: 4 }, () => 1 + Math.floor(random() * reference.length));
      const got = selectPairwiseDifferences(x, y, ranks);
      ranks.forEach((k, i) => expect(got[i]).toBe(reference[k - 1]));
    }
  });

  it('is exact on 10k × 10k without materializing 10⁸ differences (checked by counting)', () => {
    const random = seededRandom(7);
    const x = sorted(lognormalSample(random, 10_000));
    const y = sorted(lognormalSample(random, 10_000));
    const k = 49_000_000;
    const value = selectPairwiseDifference(x, y, k);
    let below = 0;
    let atOrBelow = 0;
    for (let i = 0; i < y.length; i++) {
      for (let j = 0; j < x.length; j++) {
        const d = x[j] - y[i];
        if (d < value) below++;
        if (d <= value) atOrBelow++;
      }
    }
    expect(below).toBeLessThan(k);
    expect(atOrBelow).toBeGreaterThanOrEqual(k);
  });

  it('is antisymmetric: swapping the arms negates the estimate and mirrors the interval exactly', () => {
    const random = seededRandom(3);
    const a = sorted(lognormalSample(random, 3000));
    const b = sorted(lognormalSample(random, 2500, 110));
    const ab = hodgesLehmann(a, b);
    const ba = hodgesLehmann(b, a);
    expect(ba.estimate).toBe(-ab.estimate);
    expect(ba.ci).toEqual([-(ab.ci as [number, number])[1], -(ab.ci as [number, number])[0]]);
  });

  it('returns NaN for ranks out of range and for empty arms', () => {
    const x = Float64Array.of(1, 2);
    expect(selectPairwiseDifference(x, Float64Array.of(0), 3)).toBeNaN();
    expect(hodgesLehmann(new Float64Array(0), x).estimate).toBeNaN();
  });
});
