import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { m4 } from '../../shared/downsample/m4';

function series(n: number, f: (i: number) => number) {
  const t = new Float64Array(n);
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    t[i] = i * 1000;
    v[i] = f(i);
  }
  return { t, v };
}

describe('M4 downsampling', () => {
  it('returns at most 4 points per pixel column', () => {
    const { t, v } = series(1_000_000, (i) => Math.sin(i / 500) + (i % 97) / 97);
    const out = m4(t, v, 0, t[t.length - 1], 800);
    expect(out.t.length).toBeLessThanOrEqual(4 * 800);
    expect(out.t.length).toBeGreaterThan(800);
  });

  it('keeps a one-point spike that averaging would hide', () => {
    const { t, v } = series(100_000, () => 100);
    v[54_321] = 5_000;
    const out = m4(t, v, 0, t[t.length - 1], 300);
    expect(Math.max(...out.v)).toBe(5_000);
    expect(Math.min(...out.v)).toBe(100);
  });

  it('keeps the first and last point, and time order', () => {
    const { t, v } = series(50_000, (i) => (i * 7919) % 1000);
    const out = m4(t, v, 0, t[t.length - 1], 200);
    expect(out.t[0]).toBe(0);
    expect(out.t[out.t.length - 1]).toBe(t[t.length - 1]);
    for (let i = 1; i < out.t.length; i++) expect(out.t[i]).toBeGreaterThan(out.t[i - 1]);
  });

  it('passes small inputs through unchanged, clipped to the range', () => {
    const { t, v } = series(10, (i) => i);
    const out = m4(t, v, 2000, 5000, 100);
    expect(Array.from(out.t)).toEqual([2000, 3000, 4000, 5000]);
  });

  it('per column, preserves the min and max of the raw data (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ noNaN: true, min: -1e6, max: 1e6 }), { minLength: 50, maxLength: 3000 }),
        fc.integer({ min: 1, max: 40 }),
        (vals, width) => {
          const t = Float64Array.from(vals.map((_, i) => i));
          const v = Float64Array.from(vals);
          const out = m4(t, v, 0, vals.length - 1, width);
          expect(out.t.length).toBeLessThanOrEqual(Math.max(4 * width, vals.length <= 4 * width ? vals.length : 0));
          expect(Math.max(...out.v)).toBe(Math.max(...vals));
          expect(Math.min(...out.v)).toBe(Math.min(...vals));
        },
      ),
      { numRuns: 200 },
    );
  });
});
