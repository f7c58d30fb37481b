import { describe, expect, it } from 'vitest';
import type { MetricSpec, WireSeries } from '../../shared/domain/metrics';
import {
  countPoints,
  defaultVisible,
  isVisible,
  nearestPoint,
  placeMetric,
  toPlotSeries,
  variantRole,
} from '../../renderer/src/lib/series';

const specs: MetricSpec[] = [
  { name: 'requests', kind: 'rate', unit: 'rps', query: 'q', critical: false },
  { name: 'error_rate', kind: 'errors', unit: 'ratio', query: 'q', critical: true },
  { name: 'p50', kind: 'latency', unit: 'ms', query: 'q', critical: false },
  { name: 'p99', kind: 'latency', unit: 'ms', query: 'q', critical: true },
];

function series(metric: string, variant: string | null, n: number): WireSeries {
  return {
    metric,
    variant,
    labels: {},
    points: Array.from({ length: n }, (_, i) => [i * 1000, i % 7 === 3 ? null : i] as [number, number | null]),
  };
}

describe('plot series', () => {
  it('puts rate and errors on the traffic chart (two axes) and latency on its own', () => {
    expect(placeMetric('requests', specs)).toMatchObject({ chart: 'traffic', axis: 'left', unit: 'rps' });
    expect(placeMetric('error_rate', specs)).toMatchObject({ chart: 'traffic', axis: 'right', unit: 'ratio' });
    expect(placeMetric('p99', specs)).toMatchObject({ chart: 'latency', axis: 'left', unit: 'ms' });
  });

  it('draws treatment solid and control dashed in the same colour family', () => {
    const plot = toPlotSeries([series('p99', 'off', 3), series('p99', 'on', 3)], specs, {
      treatment: 'on',
      control: 'off',
    });
    expect(plot.map((s) => s.role)).toEqual(['treatment', 'control']); // sorted: treatment first
    const [t, c] = plot;
    expect(t.dash).toBeUndefined();
    expect(c.dash).toBeDefined();
    expect(t.color).not.toBe(c.color);
    expect(placeMetric('p99', specs).family).toEqual({ main: t.color, light: c.color });
    expect(t.name).toBe('p99 · treatment (on)');
  });

  it('passes points through unchanged: no point is added, nulls stay gaps', () => {
    const input = [series('requests', null, 4000), series('p50', null, 4000)];
    const plot = toPlotSeries(input, specs, {});
    expect(plot.map((s) => s.points.length)).toEqual([4000, 4000]);
    expect(plot[0].points[3]).toEqual({ t: 3000, v: null });
    expect(countPoints(plot)).toBe(2 * (4000 - Math.ceil((4000 - 3) / 7)));
  });

  it('classifies variants by the flag’s own names first, then by common words', () => {
    expect(variantRole(null, {})).toBe('all');
    expect(variantRole('blue', { treatment: 'blue', control: 'green' })).toBe('treatment');
    expect(variantRole('green', { treatment: 'blue', control: 'green' })).toBe('control');
    expect(variantRole('on', {})).toBe('treatment');
    expect(variantRole('control', {})).toBe('control');
    expect(variantRole('v3', {})).toBe('other');
  });

  it('finds the nearest point within the allowed gap', () => {
    const pts = [0, 10, 20, 30].map((t) => ({ t, v: t }));
    expect(nearestPoint(pts, 14, 5)?.t).toBe(10);
    expect(nearestPoint(pts, 16, 5)?.t).toBe(20);
    expect(nearestPoint(pts, 100, 5)).toBeNull();
    expect(nearestPoint([], 1, 5)).toBeNull();
  });

  it('hides the whole-population line by default when the metric is split by variant; the legend can override', () => {
    const plot = toPlotSeries(
      [series('p99', null, 2), series('p99', 'on', 2), series('p99', 'off', 2), series('p50', null, 2)],
      specs,
      {},
    );
    const byName = Object.fromEntries(plot.map((s) => [s.name, s]));
    expect(defaultVisible(byName['p99'], plot)).toBe(false);
    expect(defaultVisible(byName['p99 · treatment (on)'], plot)).toBe(true);
    expect(defaultVisible(byName['p50'], plot)).toBe(true); // not split: the only line of its metric
    expect(isVisible(byName['p99'], plot, { [byName['p99'].key]: true })).toBe(true);
    expect(isVisible(byName['p50'], plot, { [byName['p50'].key]: false })).toBe(false);
  });
});
