/**
 * Pure geometry for the path layer (PathLines): one SVG path string per series and the explicit y-domain the
 * chart needs once recharts no longer sees the data. Drawing a series as a single <path> instead of recharts'
 * <Line> removes recharts' per-point objects and selectors (≈ 10 µs a point, bench/out/latest.md).
 */
import { getNiceTickValues } from 'recharts';

export interface PathPoint {
  t: number;
  v: number | null;
}

/** A linear map from data to pixels: px = x0 + t·xk, py = y0 + v·yk (the chart's scales are linear). */
export interface LinearMap {
  x0: number;
  xk: number;
  y0: number;
  yk: number;
}

/** Coordinates in tenths of a pixel: finer than any screen needs, and keeps the path string short. */
function px(n: number): number {
  return Math.round(n * 10) / 10;
}

/**
 * "M x,y L x,y …" for the points of one series, with a new sub-path after each gap (null or non-finite value),
 * like recharts' connectNulls={false}. Points outside [from, to] are dropped, except the nearest one on each side
 * so the line runs on to the plot's edge (the layer's clip rect cuts it there). No drawable point → ''.
 */
export function linePath(points: readonly PathPoint[], from: number, to: number, map: LinearMap): string {
  let first = 0;
  while (first < points.length && points[first].t < from) first++;
  if (first > 0) first--; // keep the last point before `from`
  let last = points.length - 1;
  while (last >= 0 && points[last].t > to) last--;
  if (last < points.length - 1) last++; // and the first point after `to`
  let d = '';
  let pen = false;
  for (let i = first; i <= last; i++) {
    const { t, v } = points[i];
    if (v === null || !Number.isFinite(v) || !Number.isFinite(t)) {
      pen = false;
      continue;
    }
    d += `${pen ? 'L' : 'M'}${px(map.x0 + t * map.xk)},${px(map.y0 + v * map.yk)}`;
    pen = true;
  }
  return d;
}

/** The largest value of the points within [from, to] (nulls ignored), or null when there is none. */
export function maxInRange(series: readonly (readonly PathPoint[])[], from: number, to: number): number | null {
  let hi: number | null = null;
  for (const points of series) {
    for (const { t, v } of points) {
      if (v === null || !Number.isFinite(v) || t < from || t > to) continue;
      if (hi === null || v > hi) hi = v;
    }
  }
  return hi;
}

/** Same count and algorithm recharts uses for domain [0, 'auto'], so the axes keep the ticks they had with <Line>. */
const TICK_COUNT = 5;

/**
 * The y-axis domain and ticks for series drawn by the path layer: [0, a nice round number ≥ the highest visible
 * value], computed the way recharts extends a [0, 'auto'] domain (its adaptive nice ticks). No data → [0, 1].
 */
export function niceYAxis(series: readonly (readonly PathPoint[])[], from: number, to: number): { domain: [number, number]; ticks: number[] } {
  const hi = maxInRange(series, from, to);
  if (hi === null || hi <= 0) return { domain: [0, 1], ticks: getNiceTickValues([0, 1], TICK_COUNT, true, 'adaptive') };
  const ticks = getNiceTickValues([0, hi], TICK_COUNT, true, 'adaptive');
  return { domain: [0, Math.max(hi, ticks[ticks.length - 1] ?? hi)], ticks };
}
