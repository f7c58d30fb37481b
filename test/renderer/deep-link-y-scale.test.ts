import { describe, expect, it } from 'vitest';
import { formatLink, parseLink } from '../../renderer/src/lib/deep-link';
import { columnsFromPairs } from '../../renderer/src/charts/columns';
import { robustYAxis } from '../../renderer/src/charts/y-axis';
import { HOUR } from '../../renderer/src/lib/time';

describe('deep links', () => {
  it('restore the flag, environment, range preset and baseline, and round-trip', () => {
    const link = '#/canary?c=demo-flags&f=checkout-v2&e=production&r=6h&b=seasonal';
    expect(parseLink(link)).toEqual({
      view: 'canary',
      selection: { connectionId: 'demo-flags', flagKey: 'checkout-v2', env: 'production' },
      rangeMs: 6 * HOUR,
      baseline: 'seasonal',
    });
    expect(
      formatLink({
        view: 'canary',
        selection: { connectionId: 'demo-flags', flagKey: 'checkout-v2', env: 'production' },
        rangeMs: 6 * HOUR,
        zoom: null,
        baseline: 'seasonal',
      }),
    ).toBe(link);
  });

  it('restore a fixed window, and ignore what they cannot use', () => {
    expect(parseLink('#/canary?c=a&f=b&e=c&from=1000&to=5000').zoom).toEqual({ from: 1000, to: 5000 });
    expect(parseLink('#/canary?from=5000&to=1000').zoom).toBeUndefined();
    expect(parseLink('#/canary?b=yesterday&r=9y')).toEqual({ view: 'canary' });
    expect(parseLink('#launch=abcdefghijklmnopqrstuvwxyz')).toEqual({});
    expect(
      formatLink({
        view: 'audit',
        selection: { connectionId: 'a', flagKey: 'b', env: 'c' },
        rangeMs: HOUR,
        zoom: null,
        baseline: null,
      }),
    ).toBe('#/audit');
  });
});

describe('robust y-scale', () => {
  const series = (values: number[]) => columnsFromPairs(values.map((v, i) => [i * 60_000, v] as [number, number]));

  it('follows the bulk of the values and marks the spikes above the axis, instead of flattening the series', () => {
    // An error ratio rising from 0.5 % to 0.9 % under three spikes of 14 %.
    const values = Array.from({ length: 120 }, (_, i) => (i < 60 ? 0.005 : 0.009) + ((i * 7) % 5) * 0.0002);
    values[20] = 0.14;
    values[70] = 0.12;
    values[71] = 0.13;
    const y = robustYAxis([series(values)], 0, 120 * 60_000);
    expect(y.domain[1]).toBeLessThan(0.02);
    expect(y.domain[1]).toBeGreaterThan(0.01);
    expect(y.clipped.map((p) => p.v)).toEqual([0.14, 0.12, 0.13]);
    expect(y.clipMax).toBe(0.14);
  });

  it('scales to the maximum when nothing sticks out, when asked to, and for short series', () => {
    const calm = Array.from({ length: 100 }, (_, i) => 100 + (i % 10));
    expect(robustYAxis([series(calm)], 0, 100 * 60_000).clipped).toEqual([]);
    const spiky = [...calm.slice(0, 99), 900];
    expect(robustYAxis([series(spiky)], 0, 100 * 60_000, { full: true }).domain[1]).toBeGreaterThanOrEqual(900);
    expect(robustYAxis([series([1, 2, 50])], 0, 3 * 60_000).clipped).toEqual([]);
  });
});
