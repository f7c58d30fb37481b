import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL, Random, binomial, bruteForceP99, normalOrderStatistic, simulateArmStep } from '../../bench/judge/model';

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
