import { describe, expect, it } from 'vitest';
import { mannWhitney, mannWhitneySorted } from '../../shared/stats/mann-whitney';
import { cleanSample } from '../../shared/stats/sample';
import { expectClose, loadFixture } from './helpers';

interface Case {
  name: string;
  canary: number[];
  baseline: number[];
  u: number;
  pValue: number;
}
const { cases } = loadFixture<{ cases: Case[] }>('mann-whitney.json');

describe('Mann-Whitney U against scipy mannwhitneyu(method="asymptotic", use_continuity=True)', () => {
  it('covers ties, small, unbalanced and 10k × 10k samples', () => {
    expect(cases.length).toBeGreaterThanOrEqual(8);
    expect(cases.some((c) => c.canary.length >= 10_000 && c.baseline.length >= 10_000)).toBe(true);
  });

  for (const c of cases) {
    it(`${c.name}: U and p-value to 1e-6 relative`, () => {
      const result = mannWhitneySorted(cleanSample(c.canary).sorted, cleanSample(c.baseline).sorted);
      expectClose(result.u, c.u, 1e-12, 0, 'U');
      expectClose(result.pValue, c.pValue, 1e-6, 1e-300, 'p');
      expect(result.n1).toBe(c.canary.length);
      expect(result.n2).toBe(c.baseline.length);
    });
  }

  it('is symmetric in its arms: same p-value, U₁ + U₂ = n₁n₂', () => {
    const a = [3, 1, 4, 1, 5, 9, 2, 6];
    const b = [2, 7, 1, 8, 2, 8, 1, 8, 2, 8];
    const ab = mannWhitney(a, b);
    const ba = mannWhitney(b, a);
    expect(ab.pValue).toBe(ba.pValue);
    expect(ab.u + ba.u).toBe(a.length * b.length);
  });

  it('gives p = 1 when every value is tied (scipy gives NaN: there is no evidence of a difference)', () => {
    expect(mannWhitney([5, 5, 5], [5, 5]).pValue).toBe(1);
  });

  it('gives NaN for an empty arm instead of throwing', () => {
    expect(mannWhitney([], [1, 2]).pValue).toBeNaN();
  });
});
