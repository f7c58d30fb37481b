import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JudgeOutput, type JudgeMetricInput, type MetricVerdict } from '../../shared/domain/verdict';
import { judge, verdictRank } from '../../shared/stats/judge';

const flip = { higher: 'lower', lower: 'higher', same: 'same' } as const;
const metricRank = (v: MetricVerdict['verdict']): number => ({ fail: 0, nodata: 1, inconclusive: 1, pass: 2 })[v];

const latencyValue = fc.double({ min: 1, max: 5000, noNaN: true });
const latencyArm = fc.array(latencyValue, { minLength: 0, maxLength: 60 });
const counts = fc
  .integer({ min: 1, max: 200_000 })
  .chain((total) => fc.record({ errors: fc.integer({ min: 0, max: total }), total: fc.constant(total) }));
const quantileArm = fc.array(latencyValue, { minLength: 360, maxLength: 420 });

const judgeOne = (metric: JudgeMetricInput): MetricVerdict => judge({ metrics: [metric] }).metrics[0];

describe('judge properties (fast-check)', () => {
  it('latency: the p-value and the interval agree on tied data (p < 1 − confidence ⇔ 0 outside the interval)', () => {
    const tiedArm = fc.array(fc.integer({ min: 95, max: 110 }), { minLength: 6, maxLength: 60 });
    fc.assert(
      fc.property(tiedArm, tiedArm, fc.integer({ min: 0, max: 6 }), (b, c, add) => {
        const m = judgeOne({ name: 'm', kind: 'latency', baseline: b, canary: c.map((v) => v + add) });
        if (m.ci === null || m.pValue === null) return;
        const excludesZero = m.ci[0] > 0 || m.ci[1] < 0;
        expect(excludesZero).toBe(m.pValue < 0.02);
        expect(m.direction === 'same').toBe(!excludesZero);
      }),
      { numRuns: 300 },
    );
  });

  it('swapping the arms flips the direction of a latency metric and keeps its p-value', () => {
    fc.assert(
      fc.property(latencyArm, latencyArm, fc.double({ min: 0.5, max: 2, noNaN: true }), (b, c, scale) => {
        const canary = c.map((v) => v * scale);
        const ab = judgeOne({ name: 'm', kind: 'latency', baseline: b, canary });
        const ba = judgeOne({ name: 'm', kind: 'latency', baseline: canary, canary: b });
        expect(ba.direction).toBe(flip[ab.direction]);
        expect(ba.verdict === 'nodata').toBe(ab.verdict === 'nodata');
        if (ab.pValue === null) expect(ba.pValue).toBeNull();
        else expect(ba.pValue).toBeCloseTo(ab.pValue, 12);
      }),
      { numRuns: 150 },
    );
  });

  it('swapping the arms flips the direction of an error metric and of a quantile metric', () => {
    fc.assert(
      fc.property(counts, counts, (b, c) => {
        const ab = judgeOne({ name: 'e', kind: 'errors', baseline: b, canary: c });
        const ba = judgeOne({ name: 'e', kind: 'errors', baseline: c, canary: b });
        // The floor (5 expected errors at the baseline's rate) is asymmetric by design: compare judged pairs.
        if (ab.verdict !== 'nodata' && ba.verdict !== 'nodata') expect(ba.direction).toBe(flip[ab.direction]);
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(quantileArm, quantileArm, fc.double({ min: 0.8, max: 1.5, noNaN: true }), (b, c, scale) => {
        const canary = c.map((v) => v * scale);
        const ab = judgeOne({ name: 'q', kind: 'quantile', quantile: 0.99, baseline: b, canary });
        const ba = judgeOne({ name: 'q', kind: 'quantile', quantile: 0.99, baseline: canary, canary: b });
        expect(ba.direction).toBe(flip[ab.direction]);
      }),
      { numRuns: 100 },
    );
  });

  it('adding a constant regression to the canary never improves a metric or the overall verdict', () => {
    fc.assert(
      fc.property(
        latencyArm,
        latencyArm,
        fc.double({ min: 0, max: 500, noNaN: true }),
        counts,
        counts,
        fc.integer({ min: 0, max: 5000 }),
        (b, c, add, eb, ec, extraErrors) => {
          const before: JudgeMetricInput[] = [
            { name: 'lat', kind: 'latency', critical: true, baseline: b, canary: c },
            { name: 'err', kind: 'errors', baseline: eb, canary: ec },
          ];
          const after: JudgeMetricInput[] = [
            { name: 'lat', kind: 'latency', critical: true, baseline: b, canary: c.map((v) => v + add) },
            {
              name: 'err',
              kind: 'errors',
              baseline: eb,
              canary: { errors: Math.min(ec.total, ec.errors + extraErrors), total: ec.total },
            },
          ];
          const x = judge({ metrics: before });
          const y = judge({ metrics: after });
          x.metrics.forEach((m, i) =>
            expect(metricRank(y.metrics[i].verdict)).toBeLessThanOrEqual(metricRank(m.verdict)),
          );
          expect(verdictRank(y.verdict)).toBeLessThanOrEqual(verdictRank(x.verdict));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never throws and always returns schema-valid output, whatever the numbers', () => {
    const anyNumber = fc.oneof(
      fc.double(), // includes NaN, ±Infinity, −0, subnormals and ±MAX_VALUE
      fc.constant(null),
      fc.double({ min: -1e6, max: 1e6, noNaN: true }),
      fc.constantFrom(Infinity, -Infinity, Number.NaN, Number.MAX_VALUE, -Number.MAX_VALUE, 0, -0),
    );
    const arm = fc.oneof(fc.array(anyNumber, { maxLength: 80 }), fc.array(fc.constant(42), { maxLength: 80 }));
    const wildCount = fc.oneof(fc.integer({ min: -5, max: 1_000_000 }), fc.double());
    const metric = fc.oneof(
      fc.record({
        name: fc.constant('lat'),
        kind: fc.constant('latency' as const),
        baseline: arm,
        canary: arm,
        allowedIncrease: fc.option(fc.double(), { nil: undefined }),
        weight: fc.option(fc.double(), { nil: undefined }),
        critical: fc.boolean(),
      }),
      fc.record({
        name: fc.constant('err'),
        kind: fc.constant('errors' as const),
        baseline: fc.record({ errors: wildCount, total: wildCount }),
        canary: fc.record({ errors: wildCount, total: wildCount }),
      }),
      fc.record({
        name: fc.constant('q'),
        kind: fc.constant('quantile' as const),
        quantile: fc.double(),
        baseline: arm,
        canary: arm,
      }),
      fc.record({
        name: fc.constant('h'),
        kind: fc.constant('histogram' as const),
        quantile: fc.double(),
        bounds: fc.array(fc.oneof(fc.double(), fc.constant(null)), { maxLength: 8 }),
        baseline: fc.array(fc.double(), { maxLength: 8 }),
        canary: fc.array(fc.double(), { maxLength: 8 }),
      }),
    );
    fc.assert(
      fc.property(
        fc.array(metric, { minLength: 0, maxLength: 6 }),
        fc.option(fc.double(), { nil: undefined }),
        (metrics, confidence) => {
          const out = judge({ confidence, metrics: metrics as JudgeMetricInput[] });
          expect(JudgeOutput.parse(out)).toEqual(out);
          expect(out.metrics).toHaveLength(metrics.length);
        },
      ),
      { numRuns: 500 },
    );
  });
});
