import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MODEL,
  Random,
  binomial,
  bruteForceP99,
  normalOrderStatistic,
  simulateArmStep,
} from '../../bench/judge/model';
import { LATENCY_MODELS, NO_REGRESSION, armCdf, bucketShares, modelQuantile } from '../../bench/judge/latency-model';
import { DEFAULT_TRAFFIC, simulateArmTraffic } from '../../bench/judge/traffic';

/** The simulation draws each per-step p99 as an order statistic instead of generating every request. */
describe('judge simulation model', () => {
  const quantiles = (values: number[]): number[] => {
    const sorted = [...values].sort((a, b) => a - b);
    return [0.1, 0.5, 0.9].map((q) => sorted[Math.floor(q * (sorted.length - 1))]);
  };

  it('draws per-step p99s with the same distribution as brute force over every request', () => {
    const model = { ...DEFAULT_MODEL, loadSigma: 0 };
    const fast: number[] = [];
    const slow: number[] = [];
    const a = new Random(1);
    const b = new Random(2);
    for (let i = 0; i < 6000; i++) {
      fast.push(model.medianMs * Math.exp(model.sigma * normalOrderStatistic(a, Math.ceil(0.99 * 150), 150)));
      slow.push(bruteForceP99(b, model, 150));
    }
    const [f10, f50, f90] = quantiles(fast);
    const [s10, s50, s90] = quantiles(slow);
    expect(Math.abs(f50 / s50 - 1)).toBeLessThan(0.02);
    expect(Math.abs(f10 / s10 - 1)).toBeLessThan(0.03);
    expect(Math.abs(f90 / s90 - 1)).toBeLessThan(0.04);
    // And an arm step uses it: a step at 5% of 3,000 requests/min has ~150 requests and a p99 near those values.
    const step = simulateArmStep(new Random(4), model, 0.05, 1, 0);
    expect(step.requests).toBeGreaterThan(100);
    expect(step.p99).toBeGreaterThan(s10 * 0.7);
    expect(step.p99).toBeLessThan(s90 * 1.5);
  });

  it('draws binomial error counts with the right mean and variance', () => {
    const random = new Random(3);
    const draws = Array.from({ length: 20_000 }, () => binomial(random, 3000, 0.01));
    const mean = draws.reduce((s, v) => s + v, 0) / draws.length;
    const variance = draws.reduce((s, v) => s + (v - mean) ** 2, 0) / (draws.length - 1);
    expect(mean).toBeGreaterThan(29.7);
    expect(mean).toBeLessThan(30.3);
    expect(variance).toBeGreaterThan(27);
    expect(variance).toBeLessThan(32.4);
  });
});

describe('judge simulation: latency models and regressions (bench/judge/latency-model.ts)', () => {
  const quantileOf = (cdf: (x: number) => number, u: number): number => {
    let lo = Math.log(1e-3);
    let hi = Math.log(1e7);
    for (let i = 0; i < 100; i++) {
      const mid = (lo + hi) / 2;
      if (cdf(Math.exp(mid)) < u) lo = mid;
      else hi = mid;
    }
    return Math.exp((lo + hi) / 2);
  };

  it.each(LATENCY_MODELS.map((m) => [m.name, m] as const))(
    '%s: each regression moves the p99 by its factor, and only what it says',
    (_name, model) => {
      const base = armCdf(model, 1, NO_REGRESSION);
      const q = (cdf: (x: number) => number, u: number) => quantileOf(cdf, u);
      const scale = armCdf(model, 1, { shape: 'scale', factor: 1.25 });
      expect(q(scale, 0.5) / q(base, 0.5)).toBeCloseTo(1.25, 6);
      expect(q(scale, 0.99) / q(base, 0.99)).toBeCloseTo(1.25, 6);
      const tail = armCdf(model, 1, { shape: 'p99-only', factor: 1.25 });
      expect(q(tail, 0.99) / q(base, 0.99)).toBeCloseTo(1.25, 4);
      expect(q(tail, 0.97) / q(base, 0.97)).toBeCloseTo(1, 6);
      const spread = armCdf(model, 1, { shape: 'variance', factor: 1.25 });
      expect(q(spread, 0.99) / q(base, 0.99)).toBeCloseTo(1.25, 4);
      expect(q(spread, 0.5) / q(base, 0.5)).toBeCloseTo(1, 6);
      // The shared load factor scales both arms alike.
      expect(q(armCdf(model, 1.1, NO_REGRESSION), 0.99) / q(base, 0.99)).toBeCloseTo(1.1, 6);
    },
  );

  it('draws bucket counts by Poisson splitting: the right request count and a per-minute p99 near the truth', () => {
    const random = new Random(6);
    const model = LATENCY_MODELS[0];
    const steps = Array.from({ length: 400 }, () =>
      simulateArmTraffic(random, DEFAULT_TRAFFIC, model, 0.5, 1, NO_REGRESSION, 0.01),
    );
    const requests = steps.reduce((s, t) => s + t.requests, 0) / steps.length;
    expect(requests).toBeGreaterThan(1470);
    expect(requests).toBeLessThan(1530);
    expect(steps.every((t) => t.buckets.reduce((a, b) => a + b, 0) === t.requests)).toBe(true);
    const p99s = steps.map((t) => t.p99 as number).sort((a, b) => a - b);
    expect(p99s[200] / modelQuantile(model, 0.99)).toBeGreaterThan(0.97);
    expect(p99s[200] / modelQuantile(model, 0.99)).toBeLessThan(1.03);
    expect(bucketShares(armCdf(model, 1, NO_REGRESSION)).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });
});
