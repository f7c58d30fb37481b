import { describe, expect, it } from 'vitest';
import { armStats, mergeArmStats, type ArmStats } from '../../shared/stats/sample';
import {
  alwaysValidFail,
  liveGuardUpdate,
  pooledProportionStats,
  sequentialUpdate,
  sequentialUpdateCounts,
  type SequentialState,
} from '../../shared/stats/sequential';
import { lognormalSample, seededRandom } from './helpers';

const arm = (n: number, mean: number, variance: number): ArmStats => ({ n, mean, variance });

describe('mixture SPRT (always-valid) as in docs/statistics.md', () => {
  it('computes Λ, Z* and the confidence sequence from the formulas, with τ fixed at the first look', () => {
    const alpha = 0.05;
    const t = arm(100, 10.5, 4);
    const c = arm(120, 10, 5);
    const s = sequentialUpdate(null, { treatment: t, control: c }, { alpha });
    const z = 1.959963984540054;
    const v = 4 / 100 + 5 / 120;
    const tau = z * z * (9 / 220);
    const lambda = Math.sqrt(v / (v + tau)) * Math.exp((0.25 * tau) / (2 * v * (v + tau)));
    const zStar = Math.sqrt(((v + tau) / tau) * (-2 * Math.log(alpha / 2) - Math.log(v / (v + tau))));
    expect(s.tau).toBeCloseTo(tau, 14);
    expect(s.lambda).toBeCloseTo(lambda, 12);
    expect(s.pValue).toBeCloseTo(Math.min(1, 1 / lambda), 12);
    expect(s.ci?.[0]).toBeCloseTo(0.5 - zStar * Math.sqrt(v), 12);
    expect(s.ci?.[1]).toBeCloseTo(0.5 + zStar * Math.sqrt(v), 12);
    expect(s.looks).toBe(1);
    // Second look: τ stays, the p-value never increases.
    const s2 = sequentialUpdate(s, { treatment: arm(400, 10.0, 4), control: arm(480, 10, 5) });
    expect(s2.tau).toBe(s.tau);
    expect(s2.pValue).toBeLessThanOrEqual(s.pValue);
    expect(s2.looks).toBe(2);
    expect(s.looks).toBe(1); // by value: the old state is untouched
  });

  it('excludes 0 from the interval exactly when 1/Λ ≤ α/2', () => {
    const random = seededRandom(5);
    for (let i = 0; i < 500; i++) {
      const n = 5 + Math.floor(random() * 500);
      const s = sequentialUpdate(null, {
        treatment: arm(n, random() * 2, 1 + random()),
        control: arm(n, random() * 2, 1 + random()),
      });
      const excludes = (s.ci as [number, number])[0] > 0 || (s.ci as [number, number])[1] < 0;
      expect(excludes).toBe(1 / (s.lambda as number) <= 0.025);
    }
  });

  it('keeps the state unchanged (but copied) without usable data', () => {
    const s = sequentialUpdate(null, { treatment: arm(1, 5, 0), control: arm(10, 5, 1) });
    expect(s).toMatchObject({ looks: 0, tau: null, pValue: 1, ci: null });
    const zero = sequentialUpdate(s, { treatment: arm(10, 5, 0), control: arm(10, 5, 0) });
    expect(zero.looks).toBe(0);
  });

  it('holds its false-positive rate under continuous peeking (A/A, 300 runs × 60 looks)', () => {
    const random = seededRandom(11);
    let alwaysValid = 0;
    let naive = 0;
    for (let run = 0; run < 300; run++) {
      let t = arm(0, 0, 0);
      let c = arm(0, 0, 0);
      let state: SequentialState | null = null;
      let naiveHit = false;
      for (let look = 0; look < 60; look++) {
        t = mergeArmStats(t, armStats(lognormalSample(random, 1, 100, 0.3)));
        c = mergeArmStats(c, armStats(lognormalSample(random, 1, 100, 0.3)));
        state = sequentialUpdate(state, { treatment: t, control: c });
        if (t.n >= 2) {
          const z = (t.mean - c.mean) / Math.sqrt(t.variance / t.n + c.variance / c.n);
          if (Math.abs(z) > 1.96) naiveHit = true;
        }
      }
      if (state && state.pValue <= 0.05) alwaysValid++;
      if (naiveHit) naive++;
    }
    expect(alwaysValid / 300).toBeLessThanOrEqual(0.05);
    expect(naive / 300).toBeGreaterThan(0.15); // the problem the always-valid test solves
  });

  it('detects a real shift', () => {
    const s = sequentialUpdateCounts(null, {
      treatment: { errors: 300, total: 10_000 },
      control: { errors: 100, total: 10_000 },
    });
    expect(alwaysValidFail(s, 'higher')).toBe(true);
    expect(alwaysValidFail(s, 'lower')).toBe(false);
    expect(s.direction).toBe('higher');
  });
});

describe('error rates in the sequential test (pooled variance)', () => {
  it('gives both arms the pooled variance and the observed rates as means', () => {
    const { treatment, control } = pooledProportionStats({ errors: 0, total: 300 }, { errors: 30, total: 2970 });
    expect(treatment).toEqual({ n: 300, mean: 0, variance: (30 / 3270) * (1 - 30 / 3270) });
    expect(control.variance).toBe(treatment.variance);
    expect(control.mean).toBeCloseTo(30 / 2970, 15);
  });

  it('does not call a low-traffic canary with no errors yet "significantly better"', () => {
    // 0 of 300 vs 1% of 29,700: plug-in variance (0 for the canary) would give z ≈ −17.
    const s = sequentialUpdateCounts(null, {
      treatment: { errors: 0, total: 300 },
      control: { errors: 297, total: 29_700 },
    });
    expect(s.direction).toBe('same');
    expect(s.pValue).toBeGreaterThan(0.05);
  });
});

describe('live guard rule: act on always-valid, or on a fixed-horizon fail sustained k = 3 times', () => {
  const quiet = { treatment: arm(50, 100, 25), control: arm(50, 100, 25) };

  it('never acts on a single blip, acts on the third consecutive fixed-horizon fail', () => {
    let d = liveGuardUpdate(null, { ...quiet, fixedHorizonFail: true });
    expect(d).toMatchObject({ act: false, trigger: null });
    d = liveGuardUpdate(d.state, { ...quiet, fixedHorizonFail: false });
    expect(d.state.failStreak).toBe(0);
    d = liveGuardUpdate(d.state, { ...quiet, fixedHorizonFail: true });
    d = liveGuardUpdate(d.state, { ...quiet, fixedHorizonFail: true });
    expect(d.act).toBe(false);
    expect(d.reason).toMatch(/2 of 3/);
    d = liveGuardUpdate(d.state, { ...quiet, fixedHorizonFail: true });
    expect(d).toMatchObject({ act: true, trigger: 'sustained-fixed-horizon' });
  });

  it('acts at once when the always-valid interval is entirely on the bad side, and honours k', () => {
    const bad = {
      ...pooledProportionStats({ errors: 500, total: 10_000 }, { errors: 100, total: 10_000 }),
      fixedHorizonFail: false,
    };
    expect(liveGuardUpdate(null, bad)).toMatchObject({ act: true, trigger: 'always-valid' });
    expect(liveGuardUpdate(null, { ...quiet, fixedHorizonFail: true }, { sustain: 1 })).toMatchObject({ act: true });
  });
});

describe('levels of the always-valid intervals are stated as built', () => {
  it('an interval built with −2·ln(α/2) is a 97.5% sequence for α = 0.05, and says so', () => {
    const bad = {
      ...pooledProportionStats({ errors: 500, total: 10_000 }, { errors: 100, total: 10_000 }),
      fixedHorizonFail: false,
    };
    expect(liveGuardUpdate(null, bad).reason).toBe('always-valid 97.5% interval is entirely higher than control');
    // Its exclusion of 0 coincides with 1/Λ ≤ α/2 (test above), i.e. the 1 − α/2 level, not 1 − α.
  });
});
