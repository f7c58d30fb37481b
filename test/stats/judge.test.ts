import { describe, expect, it } from 'vitest';
import { JudgeInput, JudgeOutput, type JudgeMetricInput } from '../../shared/domain/verdict';
import { exitCodeFor, judge } from '../../shared/stats/judge';
import { lognormalSample, seededRandom } from './helpers';

const random = seededRandom(2024);
const latency = (name: string, baseline: number[], canary: number[], extra: Partial<JudgeMetricInput> = {}): JudgeMetricInput =>
  ({ name, kind: 'latency', baseline, canary, ...extra }) as JudgeMetricInput;
const steady = (n: number, scale = 120): number[] => lognormalSample(random, n, scale, 0.05);
const one = (metric: JudgeMetricInput) => judge({ metrics: [metric] }).metrics[0];

describe('latency metrics (Mann-Whitney U + Hodges–Lehmann, fail on CI > 0 AND mean ratio ≥ allowed)', () => {
  it('fails a clear 20% regression and says why in plain language', () => {
    const m = one(latency('p99_ms', steady(60), steady(60, 144)));
    expect(m).toMatchObject({ verdict: 'fail', direction: 'higher', kind: 'latency', baselineN: 60, canaryN: 60, critical: false });
    expect(m.ratio).toBeGreaterThan(1.15);
    expect(m.ci?.[0]).toBeGreaterThan(0);
    expect(m.pValue).toBeLessThan(1e-6);
    expect(m.reason).toMatch(/^p99_ms: canary is \d+\.\d% higher \(HL shift \+[\d.]+ ms, 98% CI \[[\d.]+, [\d.]+\]\); above the allowed 10% increase$/);
  });

  it('passes a significant but small (5%) increase: within the allowed 10%', () => {
    const m = one(latency('p99_ms', steady(200), steady(200, 126)));
    expect(m).toMatchObject({ verdict: 'pass', direction: 'higher' });
    expect(m.reason).toMatch(/within the allowed 10% increase/);
  });

  it('honours a per-metric allowedIncrease (5.0 for critical spikes only)', () => {
    const m = one(latency('p99_ms', steady(60), steady(60, 144), { allowedIncrease: 5 }));
    expect(m.verdict).toBe('pass');
    expect(m.reason).toMatch(/within the allowed 400% increase/);
  });

  it('passes an improvement with direction lower, and no difference with direction same', () => {
    expect(one(latency('p99_ms', steady(60), steady(60, 90)))).toMatchObject({ verdict: 'pass', direction: 'lower' });
    const same = one(latency('p99_ms', steady(80), steady(80)));
    expect(same).toMatchObject({ verdict: 'pass', direction: 'same' });
    expect(same.reason).toMatch(/^p99_ms: no significant difference/);
  });

  it('drops null steps (never reads them as 0) and says how many', () => {
    const base = steady(40);
    const canary = steady(40);
    const m = one(latency('p99_ms', [...base, null, null] as number[], [null, ...canary] as number[]));
    expect(m.baselineN).toBe(40);
    expect(m.canaryN).toBe(40);
    expect(m.reason).toMatch(/\(3 NaN\/missing values dropped\)$/);
    const zeros = one(latency('p99_ms', base, [...canary, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]));
    expect(zeros.canaryN).toBe(50); // a real 0 is data, unlike null
  });

  it('reports nodata for an empty provider answer, for all-NaN, and for too few samples (with counts)', () => {
    expect(one(latency('p99_ms', [], steady(10)))).toMatchObject({ verdict: 'nodata', reason: 'p99_ms: no data: the provider returned no points for the baseline' });
    expect(one(latency('p99_ms', steady(10), [null, null, null] as unknown as number[]))).toMatchObject({
      verdict: 'nodata',
      reason: 'p99_ms: no data: all 3 canary values are NaN or missing',
    });
    const few = one(latency('p99_ms', steady(3), steady(4)));
    expect(few).toMatchObject({ verdict: 'nodata', baselineN: 3, canaryN: 4, pValue: null, ci: null, direction: 'same' });
    expect(few.reason).toBe('p99_ms: too few samples: baseline has 3, canary 4; a 98% interval needs at least 5 per arm');
    // Unequal arms can be enough: 3 × 12 has an exact 98% interval (1/C(15,3) < 1%), and the rank formula agrees.
    expect(one(latency('p99_ms', steady(3), steady(12))).verdict).not.toBe('nodata');
  });
});

describe('error metrics (pooled z + Newcombe, fail on interval > 0 AND ≥ 10% relative AND ≥ 0.1 pp)', () => {
  const errors = (b: [number, number], c: [number, number]): JudgeMetricInput =>
    ({ name: 'errors', kind: 'errors', baseline: { errors: b[0], total: b[1] }, canary: { errors: c[0], total: c[1] } }) as JudgeMetricInput;

  it('fails the STATISTICS.md example (12/10000 vs 30/9000)', () => {
    const m = one(errors([12, 10_000], [30, 9_000]));
    expect(m).toMatchObject({ verdict: 'fail', direction: 'higher', baselineN: 10_000, canaryN: 9_000 });
    expect(m.estimate).toBeCloseTo(30 / 9000 - 12 / 10000, 12);
    expect(m.reason).toMatch(/^errors: error rate higher, canary 0\.33% vs baseline 0\.12% \(\+0\.21 pp, 98% CI \[\+[\d.]+, \+[\d.]+ pp\], 2\.78× baseline\); above the 10% and 0\.10 pp limits$/);
  });

  it('passes a significant increase below 0.1 percentage point', () => {
    // 0.10% → 0.15% on a million requests each: clearly significant, +50%, but only +0.05 pp.
    const m = one(errors([1000, 1_000_000], [1500, 1_000_000]));
    expect(m).toMatchObject({ verdict: 'pass', direction: 'higher' });
    expect(m.reason).toMatch(/within the 10% and 0\.10 pp limits/);
  });

  it('passes a significant increase below 10% relative', () => {
    // 20% → 21%: +1 pp but only +5% relative.
    expect(one(errors([200_000, 1_000_000], [210_000, 1_000_000]))).toMatchObject({ verdict: 'pass', direction: 'higher' });
  });

  it('fails when the baseline had no errors at all and the canary clearly has', () => {
    const m = one(errors([0, 20_000], [60, 20_000]));
    expect(m).toMatchObject({ verdict: 'fail', ratio: null });
  });

  it('reports nodata when an arm saw no requests', () => {
    expect(one(errors([0, 0], [3, 100]))).toMatchObject({ verdict: 'nodata', reason: 'errors: no data: the baseline saw no requests (total 0)' });
    expect(one(errors([0, 0], [0, 0])).verdict).toBe('nodata');
  });

  it('says "no errors in either arm" when both are clean', () => {
    expect(one(errors([0, 500], [0, 400]))).toMatchObject({ verdict: 'pass', direction: 'same', reason: 'errors: no errors in either arm' });
  });
});

describe('quantile metrics on raw observations (95% order-statistic CI per arm)', () => {
  const quantile = (baseline: number[], canary: number[], q = 0.99): JudgeMetricInput =>
    ({ name: 'latency_ms', kind: 'quantile', quantile: q, baseline, canary }) as JudgeMetricInput;

  it('needs 368 observations per arm for p99 and 3,688 for p99.9', () => {
    const short = one(quantile(lognormalSample(random, 367), lognormalSample(random, 5000)));
    expect(short).toMatchObject({ verdict: 'nodata' });
    expect(short.reason).toBe('latency_ms: too few observations: baseline has 367, canary 5000; a p99 interval needs at least 368 per arm');
    expect(one(quantile(lognormalSample(random, 368), lognormalSample(random, 368))).verdict).not.toBe('nodata');
    const p999 = one(quantile(lognormalSample(random, 3687), lognormalSample(random, 4000), 0.999));
    expect(p999.reason).toMatch(/a p99\.9 interval needs at least 3688 per arm/);
  });

  it('fails when the canary interval lies above the baseline interval, passes when they overlap', () => {
    const fail = one(quantile(lognormalSample(random, 5000), lognormalSample(random, 5000, 160)));
    expect(fail).toMatchObject({ verdict: 'fail', direction: 'higher', pValue: null });
    expect(fail.ci?.[0]).toBeGreaterThan(0);
    expect(fail.reason).toMatch(/do not overlap\); canary is higher/);
    expect(one(quantile(lognormalSample(random, 5000), lognormalSample(random, 5000))).verdict).toBe('pass');
  });
});

describe('overall verdict (Kayenta-compatible)', () => {
  const pass = (name: string, extra: Partial<JudgeMetricInput> = {}) => latency(name, steady(50), steady(50), extra);
  const fail = (name: string, extra: Partial<JudgeMetricInput> = {}) => latency(name, steady(50), steady(50, 160), extra);
  const empty = (name: string) => latency(name, [], []);

  it('passes at score ≥ 95 and maps to exit code 0', () => {
    const out = judge({ metrics: [pass('a'), pass('b')] });
    expect(out).toMatchObject({ verdict: 'pass', score: 100 });
    expect(exitCodeFor(out.verdict)).toBe(0);
    expect(JudgeOutput.parse(out)).toEqual(out);
  });

  it('fails on any failing critical metric regardless of the score', () => {
    const metrics = [fail('p99_ms', { critical: true }), ...Array.from({ length: 30 }, (_, i) => pass(`m${i}`))];
    const out = judge({ metrics });
    expect(out.verdict).toBe('fail');
    expect(out.score).toBeCloseTo((100 * 30) / 31, 9);
    expect(out.reason).toMatch(/^critical metric failed: p99_ms/);
    expect(exitCodeFor(out.verdict)).toBe(1);
  });

  it('is marginal at 75 ≤ score < 95 and fails below 75 (exit 3 and 1)', () => {
    const marginal = judge({ metrics: [fail('x'), pass('a'), pass('b'), pass('c'), pass('d')] });
    expect(marginal).toMatchObject({ verdict: 'marginal', score: 80 });
    expect(exitCodeFor(marginal.verdict)).toBe(3);
    expect(judge({ metrics: [fail('x'), fail('y'), pass('a'), pass('b')] })).toMatchObject({ verdict: 'fail', score: 50 });
  });

  it('weights metrics (default 1) and leaves nodata metrics out of the score', () => {
    expect(judge({ metrics: [fail('x'), pass('a', { weight: 19 })] })).toMatchObject({ verdict: 'pass', score: 95 });
    expect(judge({ metrics: [pass('a'), pass('b'), empty('c')] })).toMatchObject({ verdict: 'pass', score: 100 });
  });

  it('is inconclusive when ≥ 50% of the metrics have no data (exit 3)', () => {
    const out = judge({ metrics: [pass('a'), empty('b')] });
    expect(out.verdict).toBe('inconclusive');
    expect(out.reason).toBe('too little data: 1 of 2 metrics have no data (b)');
    expect(exitCodeFor(out.verdict)).toBe(3);
  });

  it('honours passScore and marginalScore and the confidence from the input', () => {
    const metrics = [fail('x'), pass('a'), pass('b'), pass('c')];
    expect(judge({ metrics, passScore: 70 }).verdict).toBe('pass');
    expect(judge({ metrics, marginalScore: 80 }).verdict).toBe('fail');
    expect(judge({ confidence: 0.9, metrics: [pass('a')] }).metrics[0].reason).toMatch(/90% CI/);
  });

  it('judges the STATISTICS.md pipeline example after zod parsing', () => {
    const parsed = JudgeInput.parse({
      confidence: 0.98,
      metrics: [
        { name: 'p99_ms', kind: 'latency', critical: true, baseline: [120.1, 118.3], canary: [131.0, 129.8] },
        { name: 'errors', kind: 'errors', baseline: { errors: 12, total: 10000 }, canary: { errors: 30, total: 9000 } },
      ],
    });
    const out = judge(parsed);
    expect(JudgeOutput.parse(out)).toEqual(out);
    expect(out.metrics.map((m) => m.verdict)).toEqual(['nodata', 'fail']);
    expect(out.verdict).toBe('inconclusive');
  });

  it('never throws on hostile numbers: Infinity, huge values, empty and constant arrays', () => {
    const huge = Number.MAX_VALUE;
    const out = judge({
      metrics: [
        latency('inf', [Infinity, -Infinity, 1, 2, 3, 4, 5], [Infinity, 1, 2, 3, 4, 5, 6]),
        latency('huge', Array(20).fill(-huge), Array(20).fill(huge)),
        latency('const', Array(30).fill(7), Array(30).fill(7)),
        latency('empty', [], []),
        { name: 'bad counts', kind: 'errors', baseline: { errors: Infinity, total: -1 }, canary: { errors: 1, total: 1 } } as JudgeMetricInput,
        { name: 'q', kind: 'quantile', quantile: 2, baseline: [1], canary: [1] } as JudgeMetricInput,
      ],
    });
    expect(JudgeOutput.parse(out)).toEqual(out);
    const byName = Object.fromEntries(out.metrics.map((m) => [m.name, m]));
    expect(byName.inf.baselineN).toBe(5);
    expect(byName.huge).toMatchObject({ verdict: 'nodata', reason: 'huge: no data: values too large to compare (differences overflow)' });
    expect(byName.const).toMatchObject({ verdict: 'pass', direction: 'same', pValue: 1, estimate: 0 });
    expect(byName['bad counts'].verdict).toBe('nodata');
    expect(byName.q.verdict).toBe('nodata');
    expect(judge({ metrics: [] })).toMatchObject({ verdict: 'inconclusive', reason: 'no metrics to judge' });
  });
});
