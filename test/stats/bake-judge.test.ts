import { describe, expect, it } from 'vitest';
import type { JudgeMetricInput } from '../../shared/domain/verdict';
import { normalCdf } from '../../shared/stats/distributions';
import { bakeTimeForJudge } from '../../shared/stats/bake-judge';
import { judge } from '../../shared/stats/judge';
import { seededRandom } from './helpers';

const BOUNDS: (number | null)[] = [...Array.from({ length: 30 }, (_, k) => Number((10 * 1.25 ** k).toFixed(6))), null];
/** P(bucket) of a lognormal(median, σ) latency, scaled by `factor`. */
function bucketProbabilities(median: number, sigma: number, factor = 1): number[] {
  let previous = 0;
  return BOUNDS.map((b) => {
    const cdf = b === null ? 1 : normalCdf(Math.log(b / (median * factor)) / sigma);
    const p = cdf - previous;
    previous = cdf;
    return p;
  });
}
function poisson(random: () => number, lambda: number): number {
  if (lambda > 30)
    return Math.max(
      0,
      Math.round(
        lambda + Math.sqrt(lambda) * Math.sqrt(-2 * Math.log(random() || 1e-12)) * Math.cos(2 * Math.PI * random()),
      ),
    );
  let k = 0;
  let p = random();
  const limit = Math.exp(-lambda);
  while (p > limit) {
    k++;
    p *= random();
  }
  return k;
}
const draw = (random: () => number, probs: number[], n: number) => probs.map((p) => poisson(random, n * p));

describe('bakeTimeForJudge predicts the power of the judge’s own test', () => {
  const perStepRequests = { treatment: 150, control: 2850 }; // 5% of 50 rps, one-minute steps

  it('histogram: at the predicted minute the judge fails a +25% p99 in about 80% of simulated windows', () => {
    const random = seededRandom(12);
    const base = bucketProbabilities(80, 0.6);
    const bake = bakeTimeForJudge({
      kind: 'histogram',
      stepMs: 60_000,
      stepsSoFar: 0,
      perStepRequests,
      baseline: { bounds: BOUNDS, counts: draw(random, base, 100_000) },
    });
    expect(bake.minutesTotal).toBeGreaterThan(5);
    const steps = bake.minutesTotal as number;
    const slow = bucketProbabilities(80, 0.6, 1.25);
    let fails = 0;
    const runs = 200;
    for (let r = 0; r < runs; r++) {
      const metric: JudgeMetricInput = {
        name: 'p99',
        kind: 'histogram',
        quantile: 0.99,
        bounds: BOUNDS,
        baseline: draw(random, base, 2850 * steps),
        canary: draw(random, slow, 150 * steps),
      };
      if (judge({ metrics: [metric] }).metrics[0].verdict === 'fail') fails++;
    }
    expect(fails / runs).toBeGreaterThan(0.68);
    expect(fails / runs).toBeLessThan(0.92);
  });

  it('errors: at the predicted minute the judge fails +0.5 pp in about 80% of simulated windows', () => {
    const random = seededRandom(13);
    const bake = bakeTimeForJudge({
      kind: 'errors',
      stepMs: 60_000,
      stepsSoFar: 0,
      perStepRequests,
      baseline: { rate: 0.01 },
    });
    const steps = bake.minutesTotal as number;
    let fails = 0;
    const runs = 400;
    for (let r = 0; r < runs; r++) {
      const nt = 150 * steps;
      const nc = 2850 * steps;
      const metric: JudgeMetricInput = {
        name: 'errors',
        kind: 'errors',
        baseline: { errors: poisson(random, nc * 0.01), total: nc },
        canary: { errors: poisson(random, nt * 0.015), total: nt },
      };
      if (judge({ metrics: [metric] }).metrics[0].verdict === 'fail') fails++;
    }
    expect(fails / runs).toBeGreaterThan(0.7);
    expect(fails / runs).toBeLessThan(0.9);
  });

  it('gives a rising curve, "more" minutes that shrink as steps accrue, and 0 once there', () => {
    const x = { kind: 'errors' as const, stepMs: 60_000, perStepRequests, baseline: { rate: 0.01 } };
    const start = bakeTimeForJudge({ ...x, stepsSoFar: 0 });
    const later = bakeTimeForJudge({ ...x, stepsSoFar: 20 });
    expect(start.curve.length).toBeGreaterThan(5);
    start.curve.slice(1).forEach((p, i) => expect(p.pDetect).toBeGreaterThanOrEqual(start.curve[i].pDetect));
    expect(later.minutesMore).toBe((start.minutesMore as number) - 20);
    expect(start.text).toMatch(/^P\(detect \+0\.5 pp errors\) reaches 80% after \d+ min \(now 0%\): ≥ \d+ min more$/);
    const done = bakeTimeForJudge({ ...x, stepsSoFar: 500 });
    expect(done.minutesMore).toBe(0);
    expect(done.text).toMatch(/the judge would catch it/);
  });

  it('says so when the target cannot be reached, or lies within the margin', () => {
    const slow = bakeTimeForJudge({
      kind: 'errors',
      stepMs: 60_000,
      stepsSoFar: 0,
      perStepRequests: { treatment: 0.5, control: 50 },
      baseline: { rate: 0.01 },
      maxMinutes: 120,
    });
    expect(slow).toMatchObject({ minutesMore: null });
    expect(slow.text).toMatch(/stays below 80% for 2 h at this traffic/);
    const within = bakeTimeForJudge({
      kind: 'histogram',
      stepMs: 60_000,
      stepsSoFar: 0,
      perStepRequests,
      margin: 0.3,
      baseline: { bounds: BOUNDS, counts: [1] },
    });
    expect(within.text).toMatch(/within the allowed \+30%/);
  });

  it('latency (per-step values): rises with exposure, and is cached by rounded inputs', () => {
    const random = seededRandom(14);
    const values = Array.from(
      { length: 60 },
      () => 320 * Math.exp(0.08 * Math.sqrt(-2 * Math.log(random() || 1e-12)) * Math.cos(2 * Math.PI * random())),
    );
    const at = (treatment: number) =>
      bakeTimeForJudge({
        kind: 'latency',
        stepMs: 60_000,
        stepsSoFar: 0,
        perStepRequests: { treatment, control: 3000 - treatment },
        baseline: values,
      });
    const five = at(150);
    const half = at(1500);
    expect(half.minutesTotal as number).toBeLessThan(five.minutesTotal as number);
    expect(at(150)).toBe(five);
  });
});
