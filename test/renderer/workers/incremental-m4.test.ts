import { describe, expect, it } from 'vitest';
import { m4 } from '../../../shared/downsample/m4';
import { IncrementalM4 } from '../../../renderer/src/workers/incremental-m4';
import { SeriesBuffer } from '../../../renderer/src/workers/series-buffer';

/** A seeded random walk with spikes and NaN gaps, 1 s apart. */
function walk(n: number, seed: number, t0 = 1_700_000_000_000): { t: Float64Array; v: Float64Array } {
  let s = seed >>> 0;
  const rnd = (): number => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const t = new Float64Array(n);
  const v = new Float64Array(n);
  let x = 100;
  for (let i = 0; i < n; i++) {
    t[i] = t0 + i * 1000;
    x += rnd() - 0.5;
    v[i] = rnd() < 0.002 ? Number.NaN : rnd() < 0.001 ? x * 5 : x;
  }
  return { t, v };
}

/** The M4 rule written the slow, obvious way: per column, first/min/max/last (+ a NaN marker when there is room). */
function reference(t: Float64Array, v: Float64Array, from: number, to: number, width: number, origin = from): number[] {
  const colMs = (to - from) / width;
  const shift = Math.round((from - origin) / colMs);
  const out: number[] = [];
  for (let c = 0; c < width; c++) {
    const lo = origin + (shift + c) * colMs;
    const hi = origin + (shift + c + 1) * colMs;
    const idx: number[] = [];
    for (let i = 0; i < t.length; i++)
      if ((t[i] >= lo && t[i] < hi) || (c === width - 1 && t[i] >= hi && t[i] <= to)) idx.push(i);
    const values = idx.filter((i) => !Number.isNaN(v[i]));
    const gap = idx.find((i) => Number.isNaN(v[i]));
    const picks = new Set<number>();
    if (values.length) {
      let mn = values[0];
      let mx = values[0];
      for (const i of values) {
        if (v[i] < v[mn]) mn = i;
        if (v[i] > v[mx]) mx = i;
      }
      for (const i of [values[0], mn, mx, values[values.length - 1]]) picks.add(i);
    }
    if (gap !== undefined && picks.size < 4) picks.add(gap);
    out.push(...[...picks].sort((a, b) => a - b));
  }
  return out;
}

const timesOf = (x: { t: Float64Array }): number[] => Array.from(x.t);

describe('incremental M4 in the worker', () => {
  it('keeps first, min, max and last of every pixel column, at most 4 × width points, in time order', () => {
    const { t, v } = walk(20_000, 1);
    const m = new IncrementalM4(new SeriesBuffer(t.slice(), v.slice()));
    const from = t[0] + 1234.5;
    const to = t[t.length - 1] - 777;
    const view = m.view(from, to, 300);
    expect(view.t.length).toBeLessThanOrEqual(4 * 300);
    expect(view.t.length).toBeGreaterThan(300);
    for (let i = 1; i < view.t.length; i++) expect(view.t[i]).toBeGreaterThan(view.t[i - 1]);
    expect(timesOf(view)).toEqual(reference(t, v, from, to, 300).map((i) => t[i]));
    // Spikes survive: the view's extremes are the range's extremes.
    const inRange = Array.from(v).filter((y, i) => t[i] >= from && t[i] <= to && !Number.isNaN(y));
    const finite = Array.from(view.v).filter((y) => !Number.isNaN(y));
    expect(Math.max(...finite)).toBe(Math.max(...inRange));
    expect(Math.min(...finite)).toBe(Math.min(...inRange));
  });

  it('draws the points themselves when they fit, exactly like shared m4', () => {
    const { t, v } = walk(900, 2);
    const m = new IncrementalM4(new SeriesBuffer(t.slice(), v.slice()));
    const view = m.view(t[10], t[800], 400);
    const shared = m4(t, v, t[10], t[800], 400);
    expect(timesOf(view)).toEqual(Array.from(shared.t));
  });

  it('after a live append recomputes only the newest columns, and the answer equals a full recomputation', () => {
    const { t, v } = walk(60_000, 3);
    const buf = new SeriesBuffer(t.slice(0, 50_000), v.slice(0, 50_000));
    const m = new IncrementalM4(buf);
    const width = 500;
    const span = t[49_999] - t[0];
    const first = m.view(t[0], t[0] + span, width);
    expect(first.reusedColumns).toBe(0);

    buf.append(t.subarray(50_000, 50_030), v.subarray(50_000, 50_030));
    // The live view slides right by whole columns: same grid.
    const colMs = span / width;
    const slide = Math.ceil((30 * 1000) / colMs) * colMs;
    const next = m.view(t[0] + slide, t[0] + span + slide, width);
    expect(next.reusedColumns).toBeGreaterThan(width - 5);
    expect(next.scannedPoints).toBeLessThan(1_000);

    const fresh = new IncrementalM4(new SeriesBuffer(t.slice(0, 50_030), v.slice(0, 50_030))).view(
      t[0] + slide,
      t[0] + span + slide,
      width,
      { reuse: false },
    );
    expect(fresh.reusedColumns).toBe(0);
    // Whole-second data and a whole-millisecond column width: both grids have the same boundaries.
    expect(Number.isInteger(colMs)).toBe(true);
    expect(timesOf(next)).toEqual(timesOf(fresh));
    expect(Array.from(next.v)).toEqual(Array.from(fresh.v));
    expect(timesOf(next)).toEqual(
      reference(t.subarray(0, 50_030), v.subarray(0, 50_030), t[0] + slide, t[0] + span + slide, width, t[0]).map(
        (i) => t[i],
      ),
    );
  });

  it('a re-delivered or late point invalidates the columns it falls in', () => {
    const { t, v } = walk(30_000, 4);
    const buf = new SeriesBuffer(t.slice(), v.slice());
    const m = new IncrementalM4(buf);
    const from = t[0];
    const to = t[29_999];
    m.view(from, to, 200);
    buf.append([t[29_999]], [1e9]); // the newest step re-delivered with a new value: replaced in place
    buf.append([t[15_000] + 500], [-1e9]); // a late point in the middle: inserted
    const again = m.view(from, to, 200);
    const tt = buf.view('t');
    const vv = buf.view('v');
    expect(buf.n).toBe(30_001);
    expect(timesOf(again)).toEqual(reference(tt, vv, from, to, 200).map((i) => tt[i]));
    expect(Array.from(again.v)).toContain(1e9);
    expect(Array.from(again.v)).toContain(-1e9);
  });

  it('pans by whole columns reusing the overlap; a zoom starts a new grid', () => {
    const { t, v } = walk(40_000, 5);
    const m = new IncrementalM4(new SeriesBuffer(t.slice(), v.slice()));
    const width = 400;
    const span = 20_000_000;
    const colMs = span / width;
    m.view(t[0], t[0] + span, width);
    const panned = m.view(t[0] + 40 * colMs, t[0] + span + 40 * colMs, width);
    expect(panned.reusedColumns).toBe(width - 40);
    expect(timesOf(panned)).toEqual(
      reference(t, v, t[0] + 40 * colMs, t[0] + span + 40 * colMs, width, t[0]).map((i) => t[i]),
    );
    const zoomed = m.view(t[0] + 5_000_000, t[0] + 9_000_000, width);
    expect(zoomed.reusedColumns).toBe(0);
    expect(timesOf(zoomed)).toEqual(reference(t, v, t[0] + 5_000_000, t[0] + 9_000_000, width).map((i) => t[i]));
  });

  it('refuses bad input with a message naming the problem', () => {
    expect(() => new SeriesBuffer(new Float64Array([1, 3, 2]), new Float64Array(3))).toThrow(
      /strictly ascending \(index 2\)/,
    );
    expect(() => new SeriesBuffer(new Float64Array(2), new Float64Array(3))).toThrow(/differ in length/);
    const m = new IncrementalM4(new SeriesBuffer(new Float64Array([1, 2]), new Float64Array([1, 2])));
    expect(() => m.view(5, 5, 100)).toThrow(/to > from/);
    expect(() => m.view(0, 5, 0)).toThrow(/at least 1 pixel/);
  });
});
