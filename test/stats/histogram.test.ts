import { describe, expect, it } from 'vitest';
import type { JudgeMetricInput } from '../../shared/domain/verdict';
import { histogramQuantile, mergeHistogram, valueAtRank } from '../../shared/stats/histogram';
import { judge } from '../../shared/stats/judge';
import { compareQuantiles, perArmLevel } from '../../shared/stats/quantile-compare';
import { quantileCiIndices } from '../../shared/stats/quantile-ci';
import { histogramArm, rawArm } from '../../shared/stats/quantile-verdict';
import { expectClose, lognormalSample, loadFixture, seededRandom } from './helpers';

interface RankValue {
  value: number;
  open: boolean;
}
interface Case {
  name: string;
  bounds: (number | null)[];
  counts: number[];
  q: number;
  value: number;
  open: boolean;
  ranks95?: { lower: number; upper: number };
  lowerValue?: RankValue;
  upperValue?: RankValue;
}
const fixture = loadFixture<{ cases: Case[] }>('histogram-quantile.json');

/** Exponential buckets ×1.25 from 10 ms, and a +Inf bucket (a fine layout, like a native histogram). */
const BOUNDS: (number | null)[] = [...Array.from({ length: 30 }, (_, k) => Number((10 * 1.25 ** k).toFixed(6))), null];
function bucketize(values: number[]): number[] {
  const counts = new Array<number>(BOUNDS.length).fill(0);
  for (const v of values) {
    const i = BOUNDS.findIndex((b) => b === null || v <= b);
    counts[i]++;
  }
  return counts;
}

describe('histogram_quantile on merged buckets against Prometheus semantics (scripts/reference/generate.py)', () => {
  it.each(fixture.cases.map((c) => [`${c.name}, q ${c.q}`, c] as const))('%s', (_label, c) => {
    const h = mergeHistogram(c.bounds, c.counts);
    expect(h).not.toBeNull();
    const r = histogramQuantile(h!, c.q);
    expectClose(r.value, c.value, 1e-12, 1e-12, 'quantile');
    expect(r.open).toBe(c.open);
    if (c.ranks95 && c.lowerValue && c.upperValue) {
      const ranks = quantileCiIndices(Math.round(h!.total), c.q, 0.95);
      expect({ lower: ranks?.lower, upper: ranks?.upper }).toEqual({ lower: c.ranks95.lower, upper: c.ranks95.upper });
      expectClose(valueAtRank(h!, c.ranks95.lower).value, c.lowerValue.value, 1e-12, 1e-12, 'lower');
      expectClose(valueAtRank(h!, c.ranks95.upper).value, c.upperValue.value, 1e-12, 1e-12, 'upper');
      expect(valueAtRank(h!, c.ranks95.upper).open).toBe(c.upperValue.open);
    }
  });

  it('puts each order statistic in the bucket that really holds it (brute force over raw observations)', () => {
    const random = seededRandom(8);
    for (let trial = 0; trial < 20; trial++) {
      const values = lognormalSample(random, 500 + trial * 37, 80, 0.6);
      const sortedValues = [...values].sort((a, b) => a - b);
      const h = mergeHistogram(BOUNDS, bucketize(values))!;
      for (const rank of [1, 17, Math.floor(values.length / 2), values.length - 3, values.length]) {
        const truth = sortedValues[rank - 1];
        const bucket = BOUNDS.findIndex((b) => b === null || truth <= b);
        const lower = bucket === 0 ? 0 : (BOUNDS[bucket - 1] as number);
        const upper = BOUNDS[bucket] ?? Infinity;
        const got = valueAtRank(h, rank).value;
        expect(got).toBeGreaterThanOrEqual(lower);
        expect(got).toBeLessThanOrEqual(upper);
      }
    }
  });

  it('refuses malformed layouts instead of guessing', () => {
    expect(mergeHistogram([1, null, 3], [1, 1, 1])).toBeNull();
    expect(mergeHistogram([2, 1], [1, 1])).toBeNull();
    expect(mergeHistogram([1, 2], [1])).toBeNull();
    expect(mergeHistogram([1, 2], [1, -1])).toBeNull();
  });
});

describe('quantile ratio interval (per-arm order-statistic intervals, Goldstein–Healy combination)', () => {
  it('chooses per-arm levels of ~90% for equal arms and ~96.6% for a 1% canary at 0.98', () => {
    expectClose(perArmLevel(10_000, 10_000, 0.98), 0.9, 2e-3);
    expectClose(perArmLevel(99_000, 1_000, 0.98), 0.966, 2e-3);
  });

  it('covers the true p99 ratio at about its nominal level on identical arms (simulation, both layouts)', () => {
    const random = seededRandom(31);
    let rawMisses = 0;
    let histMisses = 0;
    const runs = 300;
    for (let run = 0; run < runs; run++) {
      const b = lognormalSample(random, 3000, 80, 0.6);
      const c = lognormalSample(random, 600, 80, 0.6);
      const raw = compareQuantiles(
        rawArm(Float64Array.from(b).sort(), 0.99),
        rawArm(Float64Array.from(c).sort(), 0.99),
        0.99,
        0.9,
      );
      if (raw.status === 'ok' && (raw.relativeCi[0] > 0 || raw.relativeCi[1] < 0)) rawMisses++;
      const hist = compareQuantiles(
        histogramArm(mergeHistogram(BOUNDS, bucketize(b))!, 0.99),
        histogramArm(mergeHistogram(BOUNDS, bucketize(c))!, 0.99),
        0.99,
        0.9,
      );
      if (hist.status === 'ok' && (hist.relativeCi[0] > 0 || hist.relativeCi[1] < 0)) histMisses++;
    }
    // Nominal 10% miss rate at confidence 0.9; binomial sd over 300 runs is 1.7 pp.
    expect(rawMisses / runs).toBeGreaterThan(0.04);
    expect(rawMisses / runs).toBeLessThan(0.16);
    expect(histMisses / runs).toBeLessThan(0.16);
  });
});

describe('the histogram kind in the judge', () => {
  const random = seededRandom(5);
  const metric = (b: number[], c: number[], extra: Partial<JudgeMetricInput> = {}): JudgeMetricInput =>
    ({
      name: 'http_p99_ms',
      kind: 'histogram',
      quantile: 0.99,
      bounds: BOUNDS,
      baseline: bucketize(b),
      canary: bucketize(c),
      ...extra,
    }) as JudgeMetricInput;

  it('fails a p99-only regression at 5% exposure (slowest 2% ×1.5) from merged buckets', () => {
    const b = lognormalSample(random, 57_000, 80, 0.6);
    const p98 = 80 * Math.exp(0.6 * 2.0537);
    const c = lognormalSample(random, 3_000, 80, 0.6).map((v) => (v > p98 ? v * 1.5 : v));
    const m = judge({ metrics: [metric(b, c)] }).metrics[0];
    expect(m).toMatchObject({ verdict: 'fail', kind: 'histogram', baselineN: 57_000, canaryN: 3_000, margin: 0.1 });
    expect(m.reason).toMatch(
      /^http_p99_ms: p99 canary [\d.]+ ms vs baseline [\d.]+ ms \(\+\d+\.\d%, 98% interval \[\+[\d.]+%, \+[\d.]+%\]\); the interval is entirely above the allowed \+10%: fail$/,
    );
  });

  it('passes identical arms with enough requests and is nodata below the p99 floor of 368 requests', () => {
    expect(
      judge({ metrics: [metric(lognormalSample(random, 40_000, 80, 0.6), lognormalSample(random, 40_000, 80, 0.6))] })
        .metrics[0].verdict,
    ).toBe('pass');
    const few = judge({
      metrics: [metric(lognormalSample(random, 5000, 80, 0.6), lognormalSample(random, 300, 80, 0.6))],
    }).metrics[0];
    expect(few).toMatchObject({ verdict: 'nodata', canaryN: 300 });
    expect(few.reason).toMatch(
      /too few requests: baseline has 5000, canary 300; a p99 interval needs at least \d+ per arm$/,
    );
  });

  it('never passes when the canary p99 lies in the +Inf bucket (its upper bound is only a floor)', () => {
    const short: (number | null)[] = [50, 100, 200, 400, null];
    const counts = (xs: number[]) =>
      short.map((b, i) => xs.filter((v) => v <= (b ?? Infinity) && (i === 0 || v > (short[i - 1] as number))).length);
    const b = lognormalSample(random, 20_000, 80, 0.6);
    const c = lognormalSample(random, 20_000, 80, 0.6);
    const m = judge({
      metrics: [
        { name: 'p', kind: 'histogram', quantile: 0.999, bounds: short, baseline: counts(b), canary: counts(c) },
      ],
    }).metrics[0];
    expect(m.verdict).not.toBe('pass');
  });
});
