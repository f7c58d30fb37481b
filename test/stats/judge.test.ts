import { describe, expect, it } from 'vitest';
import { JudgeInput, JudgeOutput, type JudgeMetricInput } from '../../shared/domain/verdict';
import { exitCodeFor, judge } from '../../shared/stats/judge';
import { lognormalSample, seededRandom } from './helpers';

const random = seededRandom(2024);
const latency = (
  name: string,
  baseline: number[],
  canary: number[],
  extra: Partial<JudgeMetricInput> = {},
): JudgeMetricInput => ({ name, kind: 'latency', baseline, canary, ...extra }) as JudgeMetricInput;
const steady = (n: number, scale = 120): number[] => lognormalSample(random, n, scale, 0.05);
const one = (metric: JudgeMetricInput, confidence?: number) => judge({ confidence, metrics: [metric] }).metrics[0];
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
/** Eight steps of a +10% shift: the interval straddles the margin (fixed seeds, independent of test order). */
const straddling = (): [number[], number[]] => [
  lognormalSample(seededRandom(1), 8, 120, 0.05),
  lognormalSample(seededRandom(101), 8, 132, 0.05),
];

describe('latency metrics: Hodges–Lehmann shift / baseline median, tie-aware interval against the margin', () => {
  it('fails a clear 20% regression, with the interval, the margin and the level in the output', () => {
    const m = one(latency('p99_ms', steady(60), steady(60, 144)));
    expect(m).toMatchObject({
      verdict: 'fail',
      direction: 'higher',
      kind: 'latency',
      baselineN: 60,
      canaryN: 60,
      critical: false,
      margin: 0.1,
    });
    expect(m.relativeCi?.[0]).toBeGreaterThan(0.1);
    expect(m.ratio).toBeGreaterThan(1.15);
    expect(m.pValue).toBeLessThan(1e-6);
    expect(m.level).toBe(
      'one-sided 99% bounds (two-sided 98% interval; tie-aware Brunner–Munzel interval of the Hodges–Lehmann shift)',
    );
    expect(m.reason).toMatch(
      /^p99_ms: \+\d+\.\d%: HL shift \+[\d.]+ ms vs baseline median [\d.]+ ms, 98% interval \[\+[\d.]+%, \+[\d.]+%\] = \[[\d.]+, [\d.]+\] ms; .*entirely above the allowed \+10%: fail$/,
    );
  });

  it('passes a significant but small (5%) increase: evidence it stays within the allowed 10%', () => {
    const m = one(latency('p99_ms', steady(200), steady(200, 126)));
    expect(m).toMatchObject({ verdict: 'pass', direction: 'higher' });
    expect(m.relativeCi?.[1]).toBeLessThan(0.1);
    expect(m.reason).toMatch(/higher than the baseline but entirely below the allowed \+10%: pass$/);
  });

  it('is not yet decided while the interval straddles the margin (few steps of a +10% shift)', () => {
    const m = one(latency('p99_ms', ...straddling()));
    expect(m.verdict).toBe('inconclusive');
    expect(m.relativeCi?.[0]).toBeLessThan(0.1);
    expect(m.relativeCi?.[1]).toBeGreaterThan(0.1);
    expect(m.reason).toMatch(/the interval is on both sides of the allowed \+10%: not yet decided, keep baking$/);
  });

  it('one extreme minute in a baseline of 30 does not hide a +20% regression (a mean ratio would)', () => {
    const baseline = steady(30);
    baseline[7] = 120 * 40; // one 4.8 s minute
    const canary = steady(30, 144);
    expect(mean(canary) / mean(baseline)).toBeLessThan(1); // the old gate: "canary is 27% lower … pass"
    const m = one(latency('p99_ms', baseline, canary));
    expect(m).toMatchObject({ verdict: 'fail', direction: 'higher' });
    expect(m.ratio).toBeGreaterThan(1.15);
    expect(m.relativeCi?.[0]).toBeGreaterThan(0.1);
  });

  it('honours a per-metric allowedIncrease (the margin) and the input confidence in interval and level', () => {
    const b = steady(60);
    const c = steady(60, 144);
    expect(one(latency('p99_ms', b, c, { allowedIncrease: 5 }))).toMatchObject({ verdict: 'pass', margin: 4 });
    const at90 = one(latency('p99_ms', b, c), 0.9);
    const at98 = one(latency('p99_ms', b, c), 0.98);
    expect(at90.level).toMatch(/^one-sided 95% bounds \(two-sided 90% interval/);
    const width = (m: typeof at90) => (m.relativeCi as [number, number])[1] - (m.relativeCi as [number, number])[0];
    expect(width(at90)).toBeLessThan(width(at98));
  });

  it('passes an improvement and no difference', () => {
    expect(one(latency('p99_ms', steady(60), steady(60, 90)))).toMatchObject({ verdict: 'pass', direction: 'lower' });
    expect(one(latency('p99_ms', steady(80), steady(80)))).toMatchObject({ verdict: 'pass', direction: 'same' });
  });

  it('drops null steps (never reads them as 0) and says how many', () => {
    const m = one(latency('p99_ms', [...steady(40), null, null] as number[], [null, ...steady(40)] as number[]));
    expect(m).toMatchObject({ baselineN: 40, canaryN: 40 });
    expect(m.reason).toMatch(/\(3 NaN\/missing values dropped\)$/);
  });

  it('reports nodata for an empty provider answer, all-NaN, a zero median and too few samples (with counts)', () => {
    expect(one(latency('p99_ms', [], steady(10)))).toMatchObject({
      verdict: 'nodata',
      margin: null,
      relativeCi: null,
      reason: 'p99_ms: no data: the provider returned no points for the baseline',
    });
    expect(one(latency('p99_ms', steady(10), [null, null, null] as unknown as number[])).reason).toBe(
      'p99_ms: no data: all 3 canary values are NaN, missing or negative',
    );
    expect(one(latency('p99_ms', Array(20).fill(0), steady(20))).reason).toMatch(/baseline median is 0/);
    const few = one(latency('p99_ms', steady(5), steady(5)));
    expect(few).toMatchObject({ verdict: 'nodata', baselineN: 5, canaryN: 5, pValue: null, ci: null });
    expect(few.reason).toBe(
      'p99_ms: too few samples: baseline has 5, canary 5; a 98% interval needs at least 6 per arm',
    );
    expect(one(latency('p99_ms', steady(6), steady(6, 200))).verdict).toBe('fail');
  });
});

describe('heavily tied latencies: p-value, interval and explanation agree', () => {
  it('integer milliseconds: the interval excludes 0 exactly when p < 2%, and the explanation says the same', () => {
    for (const scale of [120, 121, 123, 126, 132]) {
      const m = one(latency('p99_ms', steady(80).map(Math.round), steady(80, scale).map(Math.round)));
      const excludesZero = (m.ci as [number, number])[0] > 0 || (m.ci as [number, number])[1] < 0;
      expect(excludesZero, `scale ${scale}`).toBe((m.pValue as number) < 0.02);
      expect(m.direction === 'same').toBe(!excludesZero);
    }
  });

  it('mass at one value and a far minority (mean ×28, p ≤ 0.002) is never a pass', () => {
    const baseline = [...Array(57).fill(10), 11, 11, 11];
    const canary = [...Array(36).fill(10), ...Array(24).fill(700)];
    expect(mean(canary) / mean(baseline)).toBeGreaterThan(25);
    const m = one(latency('p99_ms', baseline, canary));
    expect(m.pValue).toBeLessThan(0.002);
    expect(m.verdict).not.toBe('pass');
    expect(m.direction).toBe('higher');
    expect(m.reason).toMatch(/differ in shape, not by a shift/);
    const fewer = one(latency('p99_ms', baseline, [...Array(54).fill(10), ...Array(6).fill(700)]));
    expect(fewer.verdict).not.toBe('pass'); // a zero-width interval made by ties is not evidence
  });

  it('two identical constant arms pass; constant arms 14% apart fail', () => {
    expect(one(latency('const', Array(30).fill(7), Array(30).fill(7)))).toMatchObject({
      verdict: 'pass',
      direction: 'same',
      pValue: 1,
      estimate: 0,
    });
    expect(one(latency('const', Array(30).fill(7), Array(30).fill(8)))).toMatchObject({
      verdict: 'fail',
      direction: 'higher',
    });
  });
});

describe('error metrics: fail needs both limits exceeded, pass needs either bounded', () => {
  const errors = (b: [number, number], c: [number, number], extra: Partial<JudgeMetricInput> = {}): JudgeMetricInput =>
    ({
      name: 'errors',
      kind: 'errors',
      baseline: { errors: b[0], total: b[1] },
      canary: { errors: c[0], total: c[1] },
      ...extra,
    }) as JudgeMetricInput;

  it('fails a 30× spike and says which limits it exceeds', () => {
    const m = one(errors([10, 10_000], [300, 10_000]));
    expect(m).toMatchObject({ verdict: 'fail', direction: 'higher', baselineN: 10_000, canaryN: 10_000, margin: 0.1 });
    expect(m.relativeCi?.[0]).toBeGreaterThan(0.1);
    expect(m.reason).toMatch(
      /^errors: canary 3(\.0)?% vs baseline 0\.1(0)?% .*30(\.0)?× baseline.*above both the \+10% and the \+0\.10 pp limits: fail$/,
    );
  });

  it('keeps the docs example (12/10,000 vs 30/9,000) undecided: the difference may still be under 0.1 pp', () => {
    const m = one(errors([12, 10_000], [30, 9_000]));
    expect(m).toMatchObject({ verdict: 'inconclusive', direction: 'higher' });
    expect(m.ci?.[0]).toBeLessThan(0.001);
    expect(m.reason).toMatch(/not yet decided/);
  });

  it('passes a significant +50% that is bounded below 0.1 pp, and +5% relative at a high rate', () => {
    expect(one(errors([1000, 1_000_000], [1500, 1_000_000]))).toMatchObject({ verdict: 'pass', direction: 'higher' });
    expect(one(errors([200_000, 1_000_000], [210_000, 1_000_000])).reason).toMatch(/within the \+10% limit: pass$/);
  });

  it('honours relativeLimit and absoluteLimit', () => {
    const m = errors([100, 100_000], [130, 100_000]);
    expect(one(m).verdict).not.toBe('fail');
    expect(one({ ...m, relativeLimit: 0.01, absoluteLimit: 0 } as JudgeMetricInput).verdict).not.toBe('pass');
  });

  it('fails when the baseline had no errors and the canary clearly has; no errors at all is only safe with enough requests', () => {
    expect(one(errors([0, 20_000], [60, 20_000]))).toMatchObject({ verdict: 'fail', ratio: null, relativeCi: null });
    expect(one(errors([0, 500], [0, 400]))).toMatchObject({
      verdict: 'nodata',
      reason:
        "errors: too few requests: baseline has 500, canary 400; at the baseline's 0% error rate each arm needs at least 5000 (5 expected errors)",
    });
    expect(one(errors([0, 50_000], [0, 40_000]))).toMatchObject({
      verdict: 'pass',
      reason: expect.stringMatching(/^errors: no errors in either arm/),
    });
  });

  it('reports nodata when an arm saw no requests, and below 5 expected errors per arm', () => {
    expect(one(errors([0, 0], [3, 100]))).toMatchObject({
      verdict: 'nodata',
      reason: 'errors: no data: the baseline saw no requests (total 0)',
    });
    // 2 errors in the first 30 requests of a 1% canary: the plain Wilson bound called this a fail.
    expect(one(errors([30, 2970], [2, 30])).verdict).toBe('nodata');
    expect(one(errors([30, 2970], [2, 300])).verdict).not.toBe('fail');
  });
});

describe('quantile metrics on raw observations: order-statistic ratio interval at the input confidence', () => {
  const quantile = (baseline: number[], canary: number[], q = 0.99): JudgeMetricInput =>
    ({ name: 'latency_ms', kind: 'quantile', quantile: q, baseline, canary }) as JudgeMetricInput;
  const big = (n: number, scale: number) => lognormalSample(seededRandom(n + scale), n, scale, 0.6);

  it('+4% p99 at 100k per arm does not fail at a 10% margin (it passes: evidence it is within)', () => {
    const m = one(quantile(big(100_000, 80), big(100_000, 83.2)));
    expect(m.ratio).toBeGreaterThan(1.02);
    expect(m).toMatchObject({ verdict: 'pass', direction: 'higher', margin: 0.1, pValue: null });
    expect(m.relativeCi?.[1]).toBeLessThan(0.1);
  });

  it('fails +60% and states the per-arm level of the combination', () => {
    const m = one(quantile(big(5000, 80), big(5000, 128)));
    expect(m.verdict).toBe('fail');
    expect(m.level).toBe(
      'one-sided 99% bounds (two-sided 98% interval; approximate: per-arm order-statistic intervals at 90% combined)',
    );
  });

  it('honours confidence: a wider interval at 0.995 than at 0.9', () => {
    const b = big(3000, 80);
    const c = big(3000, 88);
    const w = (conf: number) => {
      const ci = one(quantile(b, c), conf).relativeCi as [number, number];
      return ci[1] - ci[0];
    };
    expect(w(0.995)).toBeGreaterThan(w(0.9) * 1.3);
  });

  it('needs 368 observations per arm for p99 and 3,688 for p99.9', () => {
    const short = one(quantile(big(367, 80), big(5000, 80)));
    expect(short).toMatchObject({ verdict: 'nodata' });
    expect(short.reason).toBe(
      'latency_ms: too few observations: baseline has 367, canary 5000; a p99 interval needs at least 368 per arm',
    );
    expect(one(quantile(big(368, 80), big(368, 81))).verdict).not.toBe('nodata');
    expect(one(quantile(big(3687, 80), big(4000, 80), 0.999)).reason).toMatch(
      /a p99\.9 interval needs at least 3688 per arm/,
    );
  });
});

describe('overall verdict (Kayenta-compatible, mustHaveData semantics)', () => {
  const pass = (name: string, extra: Partial<JudgeMetricInput> = {}) => latency(name, steady(50), steady(50), extra);
  const fail = (name: string, extra: Partial<JudgeMetricInput> = {}) =>
    latency(name, steady(50), steady(50, 160), extra);
  const undecided = (name: string, extra: Partial<JudgeMetricInput> = {}) => latency(name, ...straddling(), extra);
  const empty = (name: string, extra: Partial<JudgeMetricInput> = {}) => latency(name, [], [], extra);

  it('passes at score ≥ 95 (exit 0) and its output parses against the schema', () => {
    const out = judge({ metrics: [pass('a'), pass('b')] });
    expect(out).toMatchObject({ verdict: 'pass', score: 100 });
    expect(exitCodeFor(out.verdict)).toBe(0);
    expect(JudgeOutput.parse(out)).toEqual(out);
  });

  it('fails on any failing critical metric regardless of the score', () => {
    const out = judge({
      metrics: [fail('p99_ms', { critical: true }), ...Array.from({ length: 30 }, (_, i) => pass(`m${i}`))],
    });
    expect(out.verdict).toBe('fail');
    expect(out.score).toBeCloseTo((100 * 30) / 31, 9);
    expect(out.reason).toMatch(/^critical metric failed: p99_ms/);
    expect(exitCodeFor(out.verdict)).toBe(1);
  });

  it('a critical metric without data is never a pass (inconclusive, exit 3)', () => {
    const out = judge({ metrics: [empty('p99_ms', { critical: true }), pass('a'), pass('b')] });
    expect(out.verdict).toBe('inconclusive');
    expect(out.reason).toMatch(/^critical metric without data: p99_ms — no data is never a pass/);
    expect(exitCodeFor(out.verdict)).toBe(3);
  });

  it('a 30× error spike beside a critical metric without data is a FAIL (exit 1)', () => {
    const spike: JudgeMetricInput = {
      name: 'errors',
      kind: 'errors',
      baseline: { errors: 10, total: 10_000 },
      canary: { errors: 300, total: 10_000 },
    };
    const out = judge({ metrics: [empty('p99_ms', { critical: true }), spike] });
    expect(out.verdict).toBe('fail');
    expect(out.reason).toMatch(/whatever the metrics without data show/);
    expect(exitCodeFor(out.verdict)).toBe(1);
  });

  it('a critical metric not yet decided keeps the verdict inconclusive however good the rest', () => {
    const out = judge({
      metrics: [undecided('p99_ms', { critical: true }), ...Array.from({ length: 30 }, (_, i) => pass(`m${i}`))],
    });
    expect(out.verdict).toBe('inconclusive');
    expect(out.reason).toMatch(/^critical metric not yet decided: p99_ms/);
  });

  it('is marginal at 75 ≤ score < 95 when the undecided cannot change it, and fails below 75', () => {
    const marginal = judge({ metrics: [fail('x'), pass('a'), pass('b'), pass('c'), pass('d')] });
    expect(marginal).toMatchObject({ verdict: 'marginal', score: 80 });
    expect(exitCodeFor(marginal.verdict)).toBe(3);
    expect(judge({ metrics: [fail('x'), fail('y'), pass('a'), pass('b')] })).toMatchObject({
      verdict: 'fail',
      score: 50,
    });
    expect(judge({ metrics: [undecided('x'), pass('a'), pass('b'), pass('c')] })).toMatchObject({
      verdict: 'inconclusive',
      score: 75,
    });
  });

  it('weights metrics and leaves nodata out of the score; ≥ 50% without data is inconclusive', () => {
    expect(judge({ metrics: [fail('x'), pass('a', { weight: 19 })] })).toMatchObject({ verdict: 'pass', score: 95 });
    expect(judge({ metrics: [pass('a'), pass('b'), empty('c')] })).toMatchObject({ verdict: 'pass', score: 100 });
    expect(judge({ metrics: [pass('a'), empty('b')] })).toMatchObject({
      verdict: 'inconclusive',
      reason: 'too little data: 1 of 2 metrics have no data (b)',
    });
  });

  it('honours passScore and marginalScore', () => {
    const metrics = [fail('x'), pass('a'), pass('b'), pass('c')];
    expect(judge({ metrics, passScore: 70 }).verdict).toBe('pass');
    expect(judge({ metrics, marginalScore: 80 }).verdict).toBe('fail');
  });

  it('judges the docs/statistics.md pipeline example after zod parsing', () => {
    const parsed = JudgeInput.parse({
      confidence: 0.98,
      metrics: [
        { name: 'p99_ms', kind: 'latency', critical: true, baseline: [120.1, 118.3], canary: [131.0, 129.8] },
        { name: 'errors', kind: 'errors', baseline: { errors: 12, total: 10000 }, canary: { errors: 30, total: 9000 } },
      ],
    });
    const out = judge(parsed);
    expect(JudgeOutput.parse(out)).toEqual(out);
    expect(out.metrics.map((m) => m.verdict)).toEqual(['nodata', 'inconclusive']);
    expect(out.verdict).toBe('inconclusive');
  });

  it('never throws on hostile numbers that bypass the schema: Infinity, huge values, empty and constant arrays', () => {
    const huge = Number.MAX_VALUE;
    const out = judge({
      metrics: [
        latency('inf', [Infinity, -Infinity, 1, 2, 3, 4, 5, 6], [Infinity, 1, 2, 3, 4, 5, 6, 7]),
        latency('huge', Array(20).fill(0), Array(20).fill(huge)),
        latency('empty', [], []),
        {
          name: 'bad counts',
          kind: 'errors',
          baseline: { errors: Infinity, total: -1 },
          canary: { errors: 1, total: 1 },
        } as JudgeMetricInput,
        { name: 'q', kind: 'quantile', quantile: 2, baseline: [1], canary: [1] } as JudgeMetricInput,
        {
          name: 'h',
          kind: 'histogram',
          quantile: 0.99,
          bounds: [1, null],
          baseline: [1],
          canary: [1, 2],
        } as JudgeMetricInput,
      ],
    });
    expect(JudgeOutput.parse(out)).toEqual(out);
    const byName = Object.fromEntries(out.metrics.map((m) => [m.name, m]));
    expect(byName.inf.baselineN).toBe(6);
    expect(byName.huge.verdict).toBe('nodata');
    expect(byName['bad counts'].verdict).toBe('nodata');
    expect(byName.q.verdict).toBe('nodata');
    expect(byName.h).toMatchObject({ verdict: 'nodata', reason: 'h: no data: bucket bounds or counts are malformed' });
    expect(judge({ metrics: [] })).toMatchObject({ verdict: 'inconclusive', reason: 'no metrics to judge' });
  });
});
