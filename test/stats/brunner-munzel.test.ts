import { describe, expect, it } from 'vitest';
import { brunnerMunzel, brunnerMunzelMinPerArm, brunnerMunzelSeparable } from '../../shared/stats/brunner-munzel';
import { tieAwareShiftInterval } from '../../shared/stats/latency-shift';
import { expectClose, loadFixture } from './helpers';

interface TestCase {
  name: string;
  canary: number[];
  baseline: number[];
  shift: number;
  effect: number;
  statistic: number;
  pValue: number;
}
interface Bound {
  value: number;
  closed: boolean;
}
interface IntervalCase {
  name: string;
  canary: number[];
  baseline: number[];
  confidence: number;
  pValueAtZero: number;
  ci: [Bound, Bound] | null;
}
const fixture = loadFixture<{ tests: TestCase[]; intervals: IntervalCase[] }>('brunner-munzel.json');
const sorted = (xs: number[]) => Float64Array.from(xs).sort();

describe('Brunner–Munzel test against scipy.stats.brunnermunzel (scripts/reference/generate.py)', () => {
  it.each(fixture.tests.map((c) => [`${c.name}, shift ${c.shift}`, c] as const))('%s', (_label, c) => {
    const r = brunnerMunzel(c.canary, c.baseline, c.shift);
    expectClose(r.effect, c.effect, 1e-12, 1e-15, 'effect');
    expectClose(r.statistic, c.statistic, 1e-9, 1e-12, 'statistic');
    expectClose(r.pValue, c.pValue, 1e-7, 1e-15, 'p-value');
  });

  it('replaces a zero variance (complete separation) by the no-difference variance, so tiny samples stay modest', () => {
    const r = brunnerMunzel([10, 11, 12, 13, 14], [1, 2, 3, 4, 5]);
    expect(r).toMatchObject({ effect: 1, degenerate: true });
    expectClose(r.statistic, 0.5 / Math.sqrt(11 / 300), 1e-12);
    expect(brunnerMunzel([7, 7, 7], [7, 7, 7])).toMatchObject({ effect: 0.5, statistic: 0, pValue: 1 });
    expect(brunnerMunzelMinPerArm(0.98)).toBe(6);
    expect(brunnerMunzelSeparable(5, 5, 0.01)).toBe(false);
    expect(brunnerMunzelSeparable(6, 6, 0.01)).toBe(true);
  });
});

describe('tie-aware shift interval (the inverted Brunner–Munzel test) against a brute force over every candidate shift', () => {
  it.each(fixture.intervals.map((c) => [`${c.name} at ${c.confidence}`, c] as const))('%s', (_label, c) => {
    const r = tieAwareShiftInterval(sorted(c.canary), sorted(c.baseline), c.confidence);
    expectClose(r.atZero.pValue, c.pValueAtZero, 1e-7, 1e-15, 'p at 0');
    if (c.ci === null || r.status === 'no-shift-fits') {
      // The brute force may still find isolated non-rejected shifts away from the estimate; the judge then says "not a shift".
      expect(r.status).toBe('no-shift-fits');
      return;
    }
    const [lo, hi] = r.ci as [number, number];
    // Bounds are found to 1e-4 of the interval's width (shown to 3 digits; exact at 0 and at the margin).
    const tolerance = 1e-3 * (c.ci[1].value - c.ci[0].value) + 1e-12;
    expect(Math.abs(lo - c.ci[0].value)).toBeLessThan(tolerance);
    expect(Math.abs(hi - c.ci[1].value)).toBeLessThan(tolerance);
    // The interval and the p-value at 0 agree: 0 inside ⇔ p ≥ 1 − confidence.
    expect(lo <= 0 && hi >= 0).toBe(c.pValueAtZero >= 1 - c.confidence);
  });

  it('makes the interval agree exactly with the test at an anchor shift (the margin) when it falls on a tie', () => {
    const baseline = Array.from({ length: 40 }, (_, i) => 100 + (i % 5));
    const canary = baseline.map((v) => v + 10);
    const r = tieAwareShiftInterval(sorted(canary), sorted(baseline), 0.98, [10]);
    expect(r.estimate).toBe(10);
    expect((r.ci as [number, number])[0]).toBeLessThanOrEqual(10);
    expect((r.ci as [number, number])[1]).toBeGreaterThanOrEqual(10);
  });

  it('says "no shift fits" when most values tie at one point and the rest are far away', () => {
    const baseline = [...Array(57).fill(10), 11, 11, 11];
    const canary = [...Array(36).fill(10), ...Array(24).fill(700)];
    expect(tieAwareShiftInterval(sorted(canary), sorted(baseline), 0.98).status).toBe('no-shift-fits');
    expect(
      tieAwareShiftInterval(sorted([...Array(54).fill(10), ...Array(6).fill(700)]), sorted(baseline), 0.98).status,
    ).toBe('degenerate');
  });
});
