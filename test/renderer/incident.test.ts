import { describe, expect, it } from 'vitest';
import type { FlagChange } from '../../shared/domain/flags';
import type { WireSeries } from '../../shared/domain/metrics';
import { CONNECTION_COLORS, canaryWindowFor, connectionColors, incidentMarkerText, spansEnvironments, suspectRanks, suspectRows } from '../../renderer/src/lib/incident';
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
  it('gives each connection its own stable colour, in list order', () => {
    const c = connectionColors(['demo-flags', 'unleash-local', 'demo-flags', 'prom']);
    expect(c).toEqual({ 'demo-flags': CONNECTION_COLORS[0], 'unleash-local': CONNECTION_COLORS[1], prom: CONNECTION_COLORS[2] });
  });

  it('names the flag on every marker, ranks suspects, and the env only when several are shown', () => {
    const a = change('a', 0);
    expect(incidentMarkerText(a, 1, false)).toBe('#1 checkout-v2: rollout 5% → 25%');
    expect(incidentMarkerText(a, null, true)).toBe('checkout-v2 (production): rollout 5% → 25%');
    expect(spansEnvironments([a, change('b', 1)])).toBe(false);
    expect(spansEnvironments([a, change('b', 1, { env: 'staging' })])).toBe(true);
    expect(suspectRanks([{ changeId: 'x', label: '', at: 0, score: 1, reason: '' }, { changeId: 'y', label: '', at: 0, score: 0.5, reason: '' }]).get('y')).toBe(2);
  });

  it('measures each suspect’s distance to the onset and the metric’s shift across it', () => {
    // 20 steps at 100, then 20 at 120: a +20% shift at t = 20 min.
    const points: [number, number][] = Array.from({ length: 40 }, (_, i) => [i * MIN, i < 20 ? 100 + (i % 2) : 120 + (i % 2)]);
    const series: WireSeries = { metric: 'p99', variant: null, labels: {}, points };
    const ramp = change('ramp', 20 * MIN);
    const rows = suspectRows([{ changeId: 'ramp', label: 'checkout-v2 rollout 5% → 25%', at: ramp.at, score: 1.5, reason: 'r' }], [ramp], 21 * MIN, series);
    expect(rows).toHaveLength(1);
    expect(rows[0].rank).toBe(1);
    expect(rows[0].offsetMs).toBe(-MIN);
    expect(rows[0].shift).toBeCloseTo(0.2, 2);
    expect(rows[0].shiftSigma).toBeGreaterThan(10);
    expect(rows[0].change).toBe(ramp);
    // No data around a change: no shift rather than a made-up one.
    expect(suspectRows([{ changeId: 'gone', label: 'x', at: 0, score: 1, reason: '' }], [], 0, null)[0]).toMatchObject({ shift: null, change: undefined });
  });

  it('opens a suspect in the canary watch with room around its change, never past now', () => {
    const incident = { from: 10 * 3_600_000, to: 16 * 3_600_000 };
    expect(canaryWindowFor(13 * 3_600_000, incident, 20 * 3_600_000)).toEqual(incident);
    expect(canaryWindowFor(10 * 3_600_000 + MIN, incident, 20 * 3_600_000).from).toBe(9 * 3_600_000 + MIN);
    expect(canaryWindowFor(16 * 3_600_000, incident, 16 * 3_600_000 + 10 * MIN).to).toBe(16 * 3_600_000 + 10 * MIN);
  });

  it('keeps a fixed window: presets end at the next whole minute, a dragged zoom wins', () => {
    expect(anchorFor(10 * MIN + 1)).toBe(11 * MIN);
    expect(anchorFor(10 * MIN)).toBe(10 * MIN);
    expect(incidentWindow({ zoom: null, anchor: 100 * MIN, rangeMs: 60 * MIN })).toEqual({ from: 40 * MIN, to: 100 * MIN });
    expect(incidentWindow({ zoom: { from: 1, to: 2 }, anchor: 100 * MIN, rangeMs: 60 * MIN })).toEqual({ from: 1, to: 2 });
  });

  it('analyses the critical latency metric by default', () => {
    const m = (name: string, kind: string, critical = false) => ({ name, kind, critical });
    expect(defaultMetric([m('request_rate', 'rate'), m('p50', 'latency'), m('p99', 'latency', true)])).toBe('p99');
    expect(defaultMetric([m('request_rate', 'rate'), m('p95', 'latency')])).toBe('p95');
    expect(defaultMetric([m('errors', 'errors', true)])).toBe('errors');
    expect(defaultMetric([])).toBeNull();
  });
});
