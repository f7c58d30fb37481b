import { describe, expect, it } from 'vitest';
import type { MetricSpec, WireSeries } from '../../shared/domain/metrics';
import {
  armValues,
  configuredSplit,
  exposureRows,
  sparkMetrics,
  sparkline,
} from '../../renderer/src/views/cohorts/cohort-model';

const spec = (name: string, kind: MetricSpec['kind'], unit: MetricSpec['unit'], critical = false): MetricSpec => ({
  name,
  kind,
  unit,
  query: name,
  critical,
});
const SPECS = [
  spec('request_rate', 'rate', 'rps'),
  spec('error_ratio', 'errors', 'ratio', true),
  spec('p50', 'latency', 'ms'),
  spec('p99', 'latency', 'ms', true),
];

describe('cohorts: configured split', () => {
  it('gives the treatment the exposure and the control the rest', () => {
    const s = configuredSplit({ enabled: true, exposure: 25, treatment: 'on', control: 'off' });
    expect(s?.arms).toEqual([
      { role: 'treatment', variant: 'on', percent: 25 },
      { role: 'control', variant: 'off', percent: 75 },
    ]);
    expect(s?.text).toBe('25% on `on`, 75% on `off`');
  });
  it('serves everyone the treatment when enabled without an exposure, nobody when disabled', () => {
    expect(
      configuredSplit({ enabled: true, exposure: null, treatment: 'ml-v2', control: 'classic' })?.arms.map(
        (a) => a.percent,
      ),
    ).toEqual([100, 0]);
    const off = configuredSplit({ enabled: false, exposure: 25, treatment: 'on', control: 'off' });
    expect(off?.arms).toEqual([]);
    expect(off?.text).toContain('disabled');
    expect(configuredSplit(undefined)).toBeNull();
  });
});

describe('cohorts: observed exposure vs configured', () => {
  it('puts the treatment first with its observed share and the difference in points', () => {
    const rows = exposureRows(
      {
        status: 'ok',
        pValue: 0.04,
        observed: { off: 120_976, on: 40_796 },
        expectedShare: { on: 0.25, off: 0.75 },
        message: '',
      },
      { treatment: 'on', control: 'off' },
    );
    expect(rows.map((r) => [r.variant, r.role, r.count])).toEqual([
      ['on', 'treatment', 40_796],
      ['off', 'control', 120_976],
    ]);
    expect(rows[0].observedShare).toBeCloseTo(40_796 / 161_772, 9);
    expect(rows[0].deltaPoints).toBeCloseTo((40_796 / 161_772 - 0.25) * 100, 9);
    expect(rows[0].deltaPoints! + rows[1].deltaPoints!).toBeCloseTo(0, 9);
  });
  it('has no shares when nothing was counted', () => {
    const rows = exposureRows(
      { status: 'nodata', pValue: null, observed: {}, expectedShare: { on: 0.5, off: 0.5 }, message: '' },
      {},
    );
    expect(rows.every((r) => r.count === 0 && r.observedShare === null && r.deltaPoints === null)).toBe(true);
  });
});

describe('cohorts: control → treatment values', () => {
  it('recovers both arms of an error rate from difference and ratio', () => {
    // control 0.4%, treatment 2.4%: difference 0.02, ratio 6
    const v = armValues({ kind: 'errors', estimate: 0.02, ratio: 6 });
    expect(v?.control).toBeCloseTo(0.004, 12);
    expect(v?.treatment).toBeCloseTo(0.024, 12);
  });
  it('recovers quantile arms, and refuses latency shifts, ratio 1 and missing numbers', () => {
    const q = armValues({ kind: 'quantile', estimate: 120, ratio: 1.4 });
    expect(q?.control).toBeCloseTo(300, 9);
    expect(q?.treatment).toBeCloseTo(420, 9);
    expect(armValues({ kind: 'latency', estimate: 148, ratio: 1.44 })).toBeNull();
    expect(armValues({ kind: 'errors', estimate: 0, ratio: 1 })).toBeNull();
    expect(armValues({ kind: 'errors', estimate: null, ratio: 2 })).toBeNull();
    expect(armValues({ kind: 'errors', estimate: 0.01, ratio: null })).toBeNull();
  });
});

describe('cohorts: sparklines', () => {
  it('picks p99 and the error metric', () => {
    expect(sparkMetrics(SPECS).map((m) => m.name)).toEqual(['p99', 'error_ratio']);
    expect(
      sparkMetrics([spec('lat_a', 'latency', 'ms'), spec('lat_b', 'latency', 'ms', true)]).map((m) => m.name),
    ).toEqual(['lat_b']);
  });
  it('draws treatment solid and control dashed, per time row, without the whole-population line', () => {
    const wire: WireSeries[] = [
      { metric: 'p99', variant: null, labels: {}, points: [[1, 300]] },
      {
        metric: 'p99',
        variant: 'on',
        labels: {},
        points: [
          [1, 440],
          [2, 450],
        ],
      },
      {
        metric: 'p99',
        variant: 'off',
        labels: {},
        points: [
          [1, 310],
          [2, null],
        ],
      },
      { metric: 'p50', variant: 'on', labels: {}, points: [[1, 130]] },
    ];
    const s = sparkline(wire, SPECS, SPECS[3], { treatment: 'on', control: 'off' });
    expect(s.series.map((x) => [x.variant, x.role, x.dash])).toEqual([
      ['on', 'treatment', undefined],
      ['off', 'control', '6 4'],
    ]);
    expect(s.series[0].color).not.toBe(s.series[1].color);
    expect(s.rows).toEqual([
      { t: 1, [s.series[0].key]: 440, [s.series[1].key]: 310 },
      { t: 2, [s.series[0].key]: 450, [s.series[1].key]: null },
    ]);
  });
});
