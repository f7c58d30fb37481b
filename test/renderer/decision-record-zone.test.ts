import { afterEach, describe, expect, it } from 'vitest';
import type { WatchDecision } from '../../shared/domain/decision';
import type { Watch } from '../../shared/domain/metrics';
import { decisionMarkdown } from '../../renderer/src/lib/decision-record';
import {
  formatDateTime,
  formatDateTimeZone,
  formatTick,
  setDisplayZone,
  timeTicks,
  zoneLabel,
  HOUR,
} from '../../renderer/src/lib/time';

afterEach(() => setDisplayZone('local'));

describe('one display zone, named', () => {
  it('formats every time in UTC when switched, and names the zone', () => {
    setDisplayZone('utc');
    const t = Date.UTC(2026, 2, 14, 14, 2, 7);
    expect(formatDateTime(t)).toBe('2026-03-14 14:02:07');
    expect(formatDateTimeZone(t)).toBe('2026-03-14 14:02:07 UTC');
    expect(zoneLabel()).toBe('UTC');
    expect(formatTick(Date.UTC(2026, 2, 14, 0, 0), HOUR)).toBe('Sat 14');
    const { ticks } = timeTicks(Date.UTC(2026, 2, 14, 9, 7), Date.UTC(2026, 2, 15, 9, 7), 900);
    expect(ticks.every((x) => new Date(x).getUTCHours() % 3 === 0 && new Date(x).getUTCMinutes() === 0)).toBe(true);
  });

  it('names local time with its offset', () => {
    setDisplayZone('local');
    expect(zoneLabel()).toMatch(/^local \(UTC[+−]\d{2}:\d{2}\)$/);
  });
});

describe('decision record', () => {
  it('has the decision, the windows with their zone, the numbers, the queries and who looked', () => {
    setDisplayZone('utc');
    const T = Date.UTC(2026, 2, 14, 14, 0, 0);
    const decision = {
      watchId: 'w',
      flagConnectionId: 'demo-flags',
      flagKey: 'checkout-v2',
      env: 'production',
      step: T,
      computedAt: T + 5_000,
      baseline: 'control',
      action: 'rollback',
      reason: 'error_ratio beyond the margin',
      guard: {
        act: true,
        trigger: 'always-valid',
        sustainedSteps: 2,
        sustain: 3,
        reason: 'always-valid interval beyond the margin',
      },
      stale: null,
      providerErrors: 0,
      exposure: 25,
      verdict: {
        verdict: 'fail',
        score: 0,
        watchId: 'w',
        baseline: { kind: 'control', from: T - HOUR, to: T, label: 'concurrent control' },
        canary: { from: T - HOUR, to: T, label: 'since rollout 5% → 25%' },
        changeId: null,
        queries: { p99: 'p99{service="checkout"} by (feature_flag_result_variant)' },
        computedAt: T,
        metrics: [
          {
            name: 'p99',
            kind: 'latency',
            verdict: 'fail',
            direction: 'higher',
            method: 'hl',
            pValue: 0.001,
            estimate: 40,
            ci: [30, 50],
            ratio: 1.46,
            baselineN: 100,
            canaryN: 40,
            critical: true,
            reason: 'p99 +46%',
            margin: 0.1,
            relativeCi: [0.43, 0.49],
            level: 'two-sided 98%',
          },
        ],
      },
    } as unknown as WatchDecision;
    const watch = {
      metricsConnectionId: 'demo-metrics',
      selector: 'service="checkout"',
      variantLabel: 'feature_flag_result_variant',
      thresholds: { confidence: 0.98, allowedIncrease: 1.1, passScore: 95, marginalScore: 75 },
    } as Watch;
    const md = decisionMarkdown({
      decision,
      watch,
      user: 'alice',
      door: 'http',
      exportedAt: T + 60_000,
      link: 'http://x/#/canary',
    });
    expect(md).toMatch(/^# Decision record — checkout-v2 in production/);
    expect(md).toContain('**ROLLBACK** · verdict **FAIL**');
    expect(md).toContain('window: 2026-03-14 13:00:00 UTC → 2026-03-14 14:00:00 UTC (1 h)');
    expect(md).toContain('| p99 (critical) | fail | +46% | [+43%, +49%] two-sided 98% | +10% |');
    expect(md).toContain('p99{service="checkout"}');
    expect(md).toContain('Looked at by **alice** (http) at 2026-03-14 14:01:00 UTC');
  });
});
