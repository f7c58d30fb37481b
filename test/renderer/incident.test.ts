import { describe, expect, it } from 'vitest';
import type { FlagChange } from '../../shared/domain/flags';
import type { WireSeries } from '../../shared/domain/metrics';
import {
  canaryWindowFor,
  flagColors,
  incidentMarkerText,
  labelPriority,
  openingFor,
  spansEnvironments,
  suspectRanks,
  suspectRows,
} from '../../renderer/src/lib/incident';
import { anchorFor, defaultMetric, incidentWindow } from '../../renderer/src/views/incident/incident-store';

const MIN = 60_000;
const change = (id: string, at: number, over: Partial<FlagChange> = {}): FlagChange => ({
  id,
  connectionId: 'demo-flags',
  flagKey: 'checkout-v2',
  env: 'production',
  at,
  kind: 'exposure',
  from: { exposure: 5 },
  to: { exposure: 25 },
  label: 'rollout 5% → 25%',
  source: 'vendor',
  ...over,
});

describe('incident timeline', () => {
  it('names the flag on every marker, ranks suspects, and the env only when several are shown', () => {
    const a = change('a', 0);
    expect(incidentMarkerText(a, 1, false)).toBe('#1 checkout-v2: rollout 5% → 25%');
    expect(incidentMarkerText(a, null, true)).toBe('checkout-v2 (production): rollout 5% → 25%');
    expect(spansEnvironments([a, change('b', 1)])).toBe(false);
    expect(spansEnvironments([a, change('b', 1, { env: 'staging' })])).toBe(true);
    expect(suspectRanks([{ changeId: 'x' }, { changeId: 'y' }]).get('y')).toBe(2);
  });

  it('measures each suspect’s distance to the onset and the metric’s shift across it', () => {
    // 20 steps at 100, then 20 at 120: a +20% shift at t = 20 min.
    const points: [number, number][] = Array.from({ length: 40 }, (_, i) => [
      i * MIN,
      i < 20 ? 100 + (i % 2) : 120 + (i % 2),
    ]);
    const series: WireSeries = { metric: 'p99', variant: null, labels: {}, points };
    const ramp = change('ramp', 20 * MIN);
    const rows = suspectRows(
      [{ changeId: 'ramp', label: 'checkout-v2 rollout 5% → 25%', at: ramp.at, score: 1.5, reason: 'r' }],
      [ramp],
      21 * MIN,
      series,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].rank).toBe(1);
    expect(rows[0].offsetMs).toBe(-MIN);
    expect(rows[0].shift).toBeCloseTo(0.2, 2);
    expect(rows[0].shiftSigma).toBeGreaterThan(10);
    expect(rows[0].change).toBe(ramp);
    // No data around a change: no shift rather than a made-up one.
    expect(suspectRows([{ changeId: 'gone', label: 'x', at: 0, score: 1, reason: '' }], [], 0, null)[0]).toMatchObject({
      shift: null,
      change: undefined,
    });
  });

  it('opens a suspect in the canary watch zoomed onto its change, never past now', () => {
    const at = 13 * 3_600_000;
    expect(canaryWindowFor(at, 20 * 3_600_000)).toEqual({ from: at - 45 * MIN, to: at + 45 * MIN });
    expect(canaryWindowFor(at, at + 10 * MIN)).toEqual({ from: at - 80 * MIN, to: at + 10 * MIN });
  });

  it('colours markers per flag, away from the series colours, and labels suspects first, at most a few', () => {
    const c = flagColors([change('a', 0), change('b', 1, { flagKey: 'search-ranker' }), change('c', 2)]);
    expect(Object.keys(c)).toHaveLength(2);
    for (const color of Object.values(c))
      expect(['#ff9830', '#fade2a', '#73bf69', '#ff4fd8', '#f5b73b']).not.toContain(color);
    const changes = Array.from({ length: 12 }, (_, i) => change(`x${i}`, i * MIN));
    const p = labelPriority(changes, new Map([['x3', 1]]), 4);
    expect(p.filter((x) => x >= 0)).toHaveLength(4);
    expect(p[3]).toBe(Math.max(...p)); // the top suspect gets its label first
    expect(p[11]).toBeGreaterThan(-1); // then the newest
    expect(p[0]).toBe(-1);
  });

  it('opens on the service that regressed most, on its latency metric, in the shortest window that holds the onset', () => {
    const now = 100 * 3_600_000;
    const watches = [
      {
        id: 'w-search',
        metrics: [{ name: 'p99', kind: 'latency' as const, unit: 'ms' as const, query: 'q', critical: true }],
      },
      {
        id: 'w-checkout',
        metrics: [
          { name: 'p99', kind: 'latency' as const, unit: 'ms' as const, query: 'q', critical: true },
          { name: 'error_ratio', kind: 'errors' as const, unit: 'ratio' as const, query: 'q', critical: true },
        ],
      },
    ];
    const reg = (watchId: string, metric: string, at: number, shift: number) => ({
      watchId,
      flagKey: 'f',
      env: 'production',
      metric,
      at,
      shift,
      levelBefore: 1,
      levelAfter: 1 + shift,
    });
    const o = openingFor(
      [
        reg('w-checkout', 'error_ratio', now - 4 * 3_600_000, 0.8),
        reg('w-checkout', 'p99', now - 4 * 3_600_000 - MIN, 0.15),
        reg('w-search', 'p99', now - 30 * MIN, 0.06),
      ],
      watches,
      now,
    );
    expect(o).toEqual({ watchId: 'w-checkout', metric: 'p99', rangeMs: 6 * 3_600_000 });
    expect(openingFor([reg('w-search', 'p99', now - 20 * MIN, 0.1)], watches, now)?.rangeMs).toBe(3_600_000);
    expect(openingFor([], watches, now)).toBeNull();
  });

  it('keeps a fixed window: presets end at the next whole minute, a dragged zoom wins', () => {
    expect(anchorFor(10 * MIN + 1)).toBe(11 * MIN);
    expect(anchorFor(10 * MIN)).toBe(10 * MIN);
    expect(incidentWindow({ zoom: null, anchor: 100 * MIN, rangeMs: 60 * MIN })).toEqual({
      from: 40 * MIN,
      to: 100 * MIN,
    });
    expect(incidentWindow({ zoom: { from: 1, to: 2 }, anchor: 100 * MIN, rangeMs: 60 * MIN })).toEqual({
      from: 1,
      to: 2,
    });
  });

  it('analyses the critical latency metric by default', () => {
    const m = (name: string, kind: string, critical = false) => ({ name, kind, critical });
    expect(defaultMetric([m('request_rate', 'rate'), m('p50', 'latency'), m('p99', 'latency', true)])).toBe('p99');
    expect(defaultMetric([m('request_rate', 'rate'), m('p95', 'latency')])).toBe('p95');
    expect(defaultMetric([m('errors', 'errors', true)])).toBe('errors');
    expect(defaultMetric([])).toBeNull();
  });
});
