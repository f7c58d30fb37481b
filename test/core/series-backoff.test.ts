import { describe, expect, it } from 'vitest';
import { createSeriesService } from '../../main/core/series-service';
import { createEventBus } from '../../main/core/event-bus';
import type { EventPayload } from '../../shared/contract/events';
import { openStore } from '../../main/store';
import { RampartError } from '../../shared/errors';
import type { MetricsProvider } from '../../main/metrics/metrics-provider';
import type { Watch } from '../../shared/domain/metrics';

const watch: Watch = {
  id: 'w',
  flagConnectionId: 'f',
  flagKey: 'checkout-v2',
  env: 'production',
  metricsConnectionId: 'prom',
  selector: 'service="checkout"',
  variantLabel: 'feature_flag_result_variant',
  metrics: [{ name: 'p99', kind: 'latency', unit: 'ms', query: 'p99', critical: true }],
  thresholds: { confidence: 0.98, allowedIncrease: 1.1, passScore: 95, marginalScore: 75 },
};

function setup() {
  let clock = 10 * 3_600_000;
  let failing = false;
  let calls = 0;
  const provider: MetricsProvider = {
    connectionId: 'prom',
    capabilities: () => ({ maxPointsPerSeries: 11_000, nativePercentiles: true, timeUnit: 's' }),
    async range(_q, from, to, step) {
      calls++;
      if (failing)
        throw new RampartError(
          'unreachable',
          'Prometheus: unreachable (POST http://127.0.0.1:9/api/v1/query_range): ECONNREFUSED',
        );
      const t: number[] = [];
      for (let x = from; x <= to; x += step) t.push(x);
      return [{ labels: {}, t: Float64Array.from(t), v: Float64Array.from(t.map(() => 120)) }];
    },
  };
  const bus = createEventBus();
  const health: number[] = [];
  const lastErrors: EventPayload<'provider:health'>['lastError'][] = [];
  bus.subscribe(
    (name, p) =>
      name === 'provider:health' &&
      health.push((p as EventPayload<'provider:health'>).consecutiveErrors) &&
      lastErrors.push((p as EventPayload<'provider:health'>).lastError),
  );
  const service = createSeriesService({
    provider: () => provider,
    render: () => 'p99',
    cache: openStore(':memory:', () => clock).series,
    bus,
    now: () => clock,
    armOf: async () => () => null,
    whyEmpty: async (_id, q) => ({ message: `no series match ${q}` }),
  });
  return {
    service,
    health,
    lastErrors,
    calls: () => calls,
    fail: (f: boolean) => (failing = f),
    advance: (ms: number) => (clock += ms),
    now: () => clock,
  };
}

describe('series when the provider fails', () => {
  it('shows the cached range as stale with its age and the error on its metric', async () => {
    const s = setup();
    const from = s.now() - 3_600_000;
    await s.service.range(watch, { from, to: s.now(), width: 200 });
    s.advance(120_000);
    s.fail(true);
    const res = await s.service.range(watch, { from, to: s.now(), width: 200 });
    expect(res.errors).toEqual([
      { metric: 'p99', code: 'unreachable', message: expect.stringContaining('Prometheus: unreachable') },
    ]);
    expect(res.stale).toMatchObject({
      code: 'unreachable',
      message: expect.stringContaining('Prometheus: unreachable'),
    });
    expect(res.stale?.ageMs).toBeGreaterThanOrEqual(120_000);
    expect(res.series[0].points.length).toBeGreaterThan(10);
  });

  it('backs off: refreshes during the pause do not reach the provider, and it counts only real failures', async () => {
    const s = setup();
    s.fail(true);
    const q = () => ({ from: s.now() - 600_000, to: s.now(), width: 100 });
    await s.service.range(watch, q());
    const afterFirst = s.calls();
    const paused = await s.service.range(watch, q());
    expect(s.calls()).toBe(afterFirst);
    expect(paused.errors[0].message).toMatch(/next try in \d+ s/);
    expect(s.health).toEqual([1]);
    s.advance(5_001);
    await s.service.range(watch, q());
    expect(s.calls()).toBeGreaterThan(afterFirst);
    expect(s.health).toEqual([1, 2]);
    s.fail(false);
    s.advance(10_001);
    const ok = await s.service.range(watch, q());
    expect(ok.errors).toEqual([]);
    expect(s.health).toEqual([1, 2, 0]);
    // Each health push carries the failure's code, not only its text; recovery clears it.
    expect(s.lastErrors.map((e) => e?.code ?? null)).toEqual(['unreachable', 'unreachable', null]);
  });
});
