import { describe, expect, it } from 'vitest';
import type { Watch } from '../../shared/domain/metrics';
import type { Series } from '../../main/metrics/metrics-provider';
import { createEvaluationProbe } from '../../main/lifecycle/evaluation';

const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 11, 2, 2, 52);
const watch = {
  id: 'w',
  flagConnectionId: 'c',
  flagKey: 't2-healthy',
  env: 'production',
  metricsConnectionId: 'm',
  selector: '',
  variantLabel: 'feature_flag_result_variant',
  stepSec: 15,
  metrics: [{ name: 'requests', kind: 'rate', unit: 'rps', query: 'q', critical: false }],
} as unknown as Watch;

/** A fake Prometheus: hourly points aligned to the hour, and the recent points at the step asked for. */
function probeWith(byStep: (step: number, from: number, to: number) => Series[] | Error) {
  const asked: { step: number; query: string }[] = [];
  const probe = createEvaluationProbe({
    fetch: async (_w, query, from, to, step) => {
      asked.push({ step, query });
      const got = byStep(step, from, to);
      return got instanceof Error ? { series: [], error: got.message } : { series: got, error: null };
    },
    render: (_w, spec, byVariant, windowSec) => `${spec.name}[${windowSec}s]${byVariant ? ' by variant' : ''}`,
  });
  return { probe, asked };
}
const series = (variant: string | null, t: number[], v: number[]): Series =>
  ({ labels: variant ? { feature_flag_result_variant: variant } : {}, t, v }) as unknown as Series;
const hours = (from: number, to: number) => {
  const t: number[] = [];
  for (let x = Math.ceil(from / HOUR) * HOUR; x <= to; x += HOUR) t.push(x);
  return t;
};

describe('the exposure-metric probe behind "not evaluated for N days"', () => {
  it('sees a flag evaluated only in the hour in progress (tester 2, F13), at the watch step', async () => {
    const { probe, asked } = probeWith((step, from, to) => {
      if (step === HOUR)
        return [
          series(
            'on',
            hours(from, to),
            hours(from, to).map(() => 0),
          ),
        ];
      return [series('on', [to - 30_000, to - 15_000], [80, 83])]; // 25 minutes old, 83 req/s
    });
    const got = await probe(watch, NOW - 30 * 86_400_000, NOW);
    expect(got?.lastAt).toBe(NOW - 15_000);
    expect(asked.map((a) => a.step).sort((a, b) => a - b)).toEqual([15_000, HOUR]);
    expect(asked.find((a) => a.step === 15_000)?.query).toBe('requests[15s] by variant'); // rate over the step
    expect(got?.measured).toContain('every 15 s');
  });

  it('says silence only from when the metric has data, and nothing when it has none or cannot be read', async () => {
    const from = NOW - 30 * 86_400_000;
    const zeros = probeWith((step, f, to) =>
      step === HOUR
        ? [
            series(
              'on',
              hours(NOW - 3 * 86_400_000, to),
              hours(NOW - 3 * 86_400_000, to).map(() => 0),
            ),
          ]
        : [],
    );
    const z = await zeros.probe(watch, from, NOW);
    expect(z?.lastAt).toBeNull();
    expect(z!.dataFrom).toBeGreaterThanOrEqual(NOW - 3 * 86_400_000 - HOUR);
    // No series at all, or only series without the variant label: unknown, not "silent".
    expect(await probeWith(() => []).probe(watch, from, NOW)).toBeUndefined();
    expect(await probeWith(() => [series(null, [NOW], [90])]).probe(watch, from, NOW)).toBeUndefined();
    expect(await probeWith(() => new Error('timeout')).probe(watch, from, NOW)).toBeUndefined();
  });
});
