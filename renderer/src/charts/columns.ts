/**
 * The one point representation of the charts, end to end (issue 13): parallel columns, t ascending (epoch ms) and
 * v with NaN for a gap — what the wire decodes into (shared/downsample/columns.ts), what the M4 worker holds and
 * returns, and what the line layer draws. No per-point objects anywhere on the way.
 */
import { lowerBound, upperBound } from '../../../shared/downsample/m4';

export interface Columns {
  t: Float64Array;
  v: Float64Array;
}

export const NO_POINTS: Columns = Object.freeze({ t: new Float64Array(0), v: new Float64Array(0) }) as Columns;

/** Columns from [t, v | null] pairs (the incident analysis and older answers still send pairs). */
export function columnsFromPairs(points: readonly (readonly [number, number | null])[]): Columns {
  const t = new Float64Array(points.length);
  const v = new Float64Array(points.length);
  for (let i = 0; i < points.length; i++) {
    t[i] = points[i][0];
    v[i] = points[i][1] ?? Number.NaN;
  }
  return { t, v };
}

/** Drawable points (finite values) within [from, to]. */
export function countDrawable(c: Columns, from = -Infinity, to = Infinity): number {
  let n = 0;
  for (let i = lowerBound(c.t, from), end = upperBound(c.t, to); i < end; i++) if (Number.isFinite(c.v[i])) n++;
  return n;
}

/** The point nearest to `t` within `maxGapMs` (binary search), or null: what the hover tooltip reads. */
export function nearestValue(c: Columns, t: number, maxGapMs: number): { t: number; v: number | null } | null {
  if (c.t.length === 0) return null;
  let i = lowerBound(c.t, t);
  if (i >= c.t.length || (i > 0 && Math.abs(c.t[i - 1] - t) <= Math.abs(c.t[i] - t))) i--;
  if (Math.abs(c.t[i] - t) > maxGapMs) return null;
  return { t: c.t[i], v: Number.isFinite(c.v[i]) ? c.v[i] : null };
}

/** The latest finite values, newest last (at most `n`). */
export function lastValues(c: Columns, n: number): number[] {
  const out: number[] = [];
  for (let i = c.v.length - 1; i >= 0 && out.length < n; i--) if (Number.isFinite(c.v[i])) out.unshift(c.v[i]);
  return out;
}
