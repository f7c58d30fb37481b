import { describe, expect, it } from 'vitest';
import { DEFAULT_EXPOSURE_MODEL, simulateExposure } from '../../bench/judge/srm-model';
import { Random } from '../../bench/judge/model';
import { chiSquareSf } from '../../shared/stats/special';
import { SRM_MIN_STEPS, srmOnRequests, srmOnUnits } from '../../shared/stats/srm';
import { expectClose, loadFixture } from './helpers';

interface ChiCase {
  observed: number[];
  split: number[];
  pValue: number;
}
const fixture = loadFixture<{ cases: ChiCase[] }>('chisquare.json');

describe('SRM on exposed units (chi-square goodness of fit, scipy reference)', () => {
  it.each(fixture.cases.filter((c) => c.observed.length === 2).map((c) => [c.observed.join(' vs '), c] as const))(
    '%s',
    (_label, c) => {
      const r = srmOnUnits({ units: [c.observed[0], c.observed[1]], split: [c.split[0], c.split[1]] });
      if (Math.min(...c.observed) < 8) return expect(r.status).toBe('nodata');
      expectClose(r.pValue as number, c.pValue, 1e-9, 1e-300);
      expect(r.status).toBe(c.pValue < 0.001 ? 'alert' : c.pValue < 0.01 ? 'warn' : 'ok');
      expect(r.method).toBe('chi-square goodness of fit on exposed units');
    },
  );

  it('is "not applicable" at 0% and 100%, however many exposures', () => {
    expect(srmOnUnits({ units: [0, 5_000_000], split: [0, 100] })).toMatchObject({
      status: 'not-applicable',
      pValue: null,
    });
    expect(srmOnUnits({ units: [5_000_000, 0], split: [100, 0] }).status).toBe('not-applicable');
    expect(srmOnRequests({ perStep: [[10, 0]], split: [100, 0] }).status).toBe('not-applicable');
  });
});

describe('SRM on request counts: dispersion-corrected, and it says so', () => {
  it('needs enough steps and names its method', () => {
    expect(
      srmOnRequests({
        perStep: [
          [50, 50],
          [50, 50],
        ],
        split: [50, 50],
      }),
    ).toMatchObject({ status: 'nodata' });
    const r = srmOnRequests({
      perStep: Array.from({ length: 10 }, () => [500, 500] as [number, number]),
      split: [50, 50],
    });
    expect(r.method).toMatch(/^dispersion-corrected test on request counts/);
    expect(r.message).toMatch(/dispersion-corrected test on request counts, as no unit counts are available$/);
    expect(SRM_MIN_STEPS).toBe(10);
  });

  it('A/A with per-user bucketing: units and the corrected request test alarm in ≤ 2% of runs, the naive test in most', () => {
    const random = new Random(99);
    let units = 0;
    let corrected = 0;
    let naive = 0;
    const runs = 150;
    for (let run = 0; run < runs; run++) {
      const w = simulateExposure(random, DEFAULT_EXPOSURE_MODEL, 30, 0.05);
      if (srmOnUnits({ units: w.units, split: [5, 95] }).status === 'alert') units++;
      if (srmOnRequests({ perStep: w.perStep, split: [5, 95] }).status === 'alert') corrected++;
      const t = w.perStep.reduce((a, [x]) => a + x, 0);
      const n = w.perStep.reduce((a, [x, y]) => a + x + y, 0);
      if (chiSquareSf((t - 0.05 * n) ** 2 / (0.05 * 0.95 * n), 1) < 0.001) naive++;
    }
    expect(units / runs).toBeLessThanOrEqual(0.02);
    expect(corrected / runs).toBeLessThanOrEqual(0.02);
    expect(naive / runs).toBeGreaterThan(0.3);
  });

  it('still catches a real mismatch (users bucketed 7% instead of 5%)', () => {
    const w = simulateExposure(new Random(5), DEFAULT_EXPOSURE_MODEL, 30, 0.07);
    expect(srmOnUnits({ units: w.units, split: [5, 95] }).status).toBe('alert');
  });
});
