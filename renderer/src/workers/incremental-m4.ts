/**
 * M4 (first, last, min, max per pixel column — the rule of shared/downsample/m4.ts) over a SeriesBuffer, with a
 * per-series cache of column aggregates so that:
 *  - a live append recomputes only the columns from the first new point on, not the whole visible range;
 *  - a pan by whole columns (or a live view sliding by whole columns) reuses every column still on screen.
 *
 * Column c of a grid (origin, colMs) holds the points with origin + c·colMs ≤ t < origin + (c+1)·colMs: the
 * boundaries are computed by one expression everywhere, so cached and freshly computed columns always agree.
 * A zoom or resize changes colMs and starts a new grid (a full pass over the visible range only).
 * Points exactly at `to` belong to the last column (they sit on the plot's right edge), as in shared m4.
 */
import { lowerBound, upperBound } from '../../../shared/downsample/m4';
import { RampartError } from '../../../shared/errors';
import type { SeriesBuffer } from './series-buffer';

const STRIDE = 5; // first, min, max, last, gap (first NaN) — indices into the buffer, -1 when absent
const FIRST = 0;
const MIN = 1;
const MAX = 2;
const LAST = 3;
const GAP = 4;

export interface M4View {
  t: Float64Array;
  v: Float64Array;
  /** The range and column count the result was computed for (use them as the chart's x-domain and width). */
  from: number;
  to: number;
  width: number;
  /** Columns taken from the cache / points scanned: how incremental this call was. */
  reusedColumns: number;
  scannedPoints: number;
}

interface ColumnCache {
  origin: number;
  colMs: number;
  /** Absolute column index of the first cached column. */
  first: number;
  count: number;
  cols: Int32Array;
  epoch: number;
}

export interface ViewOptions {
  /** false: ignore the cache (a full pass over the visible range) — for comparison in benchmarks. */
  reuse?: boolean;
}

export class IncrementalM4 {
  private cache: ColumnCache | null = null;

  constructor(private readonly buf: SeriesBuffer) {}

  view(from: number, to: number, width: number, opts: ViewOptions = {}): M4View {
    if (!Number.isFinite(from) || !Number.isFinite(to) || !(to > from)) {
      throw new RampartError('bad_request', `M4 worker: the range must be finite with to > from (got ${from} … ${to})`);
    }
    if (!Number.isFinite(width) || width < 1)
      throw new RampartError('bad_request', `M4 worker: width must be at least 1 pixel (got ${width})`);
    const columns = Math.floor(width);
    const buf = this.buf;
    const t = buf.view('t');
    const start = lowerBound(t, from);
    const end = upperBound(t, to);
    if (end - start <= 4 * columns) {
      // Everything fits: draw the points themselves (exact), like shared m4.
      return {
        t: t.slice(start, end),
        v: buf.view('v').slice(start, end),
        from,
        to,
        width: columns,
        reusedColumns: 0,
        scannedPoints: end - start,
      };
    }

    const colMs = (to - from) / columns;
    const old = opts.reuse === false ? null : this.cache;
    const sameGrid =
      old !== null && Math.abs(old.colMs - colMs) <= 1e-9 * colMs && isWhole((from - old.origin) / colMs);
    const origin = sameGrid && old ? old.origin : from;
    const shift = sameGrid ? Math.round((from - origin) / colMs) : 0;

    // Cached columns stay valid up to (one column before) the earliest change since they were computed.
    let validFirst = 0;
    let validEnd = 0;
    if (sameGrid && old && old.epoch === buf.epoch) {
      validFirst = old.first;
      const dirtyCol = Number.isFinite(buf.dirtyFrom)
        ? Math.floor((buf.dirtyFrom - origin) / colMs) - 1
        : Number.POSITIVE_INFINITY;
      validEnd = Math.min(old.first + old.count, dirtyCol);
    }

    const cols = new Int32Array(columns * STRIDE).fill(-1);
    let reused = 0;
    let scanned = 0;
    let c = 0;
    while (c < columns) {
      const abs = shift + c;
      if (old && abs >= validFirst && abs < validEnd) {
        cols.set(old.cols.subarray((abs - old.first) * STRIDE, (abs - old.first + 1) * STRIDE), c * STRIDE);
        reused++;
        c++;
        continue;
      }
      // A run of columns to compute: up to the next reusable column or the end.
      let runEnd = c + 1;
      while (runEnd < columns && !(old && shift + runEnd >= validFirst && shift + runEnd < validEnd)) runEnd++;
      scanned += this.scan(cols, c, runEnd, origin, colMs, shift);
      c = runEnd;
    }

    // Points in [end of the last column, to] (usually the one point exactly at `to`) join the last column.
    const edgeStart = lowerBound(t, origin + (shift + columns) * colMs);
    this.cache = { origin, colMs, first: shift, count: columns, cols, epoch: buf.epoch };
    buf.markClean();
    // The edge points are folded into a copy: the cached last column must not keep them (it may later be an
    // inner column, where a point beyond its boundary does not belong).
    const out = this.emit(end > edgeStart ? cols.slice() : cols, columns, edgeStart, end);
    return {
      ...out,
      from,
      to,
      width: columns,
      reusedColumns: reused,
      scannedPoints: scanned + Math.max(0, end - edgeStart),
    };
  }

  /** Aggregates columns [c0, c1) (relative to `shift`) in one pass over their points. Returns points scanned. */
  private scan(cols: Int32Array, c0: number, c1: number, origin: number, colMs: number, shift: number): number {
    const t = this.buf.t;
    const v = this.buf.v;
    const n = this.buf.n;
    let i = lowerBound(this.buf.view('t'), origin + (shift + c0) * colMs);
    const i0 = i;
    for (let c = c0; c < c1; c++) {
      const bound = origin + (shift + c + 1) * colMs;
      const o = c * STRIDE;
      let first = -1;
      let last = -1;
      let min = -1;
      let max = -1;
      let gap = -1;
      let lo = 0;
      let hi = 0;
      for (; i < n && t[i] < bound; i++) {
        const y = v[i];
        if (y !== y) {
          if (gap < 0) gap = i;
          continue;
        }
        if (first < 0) {
          first = i;
          min = i;
          max = i;
          lo = y;
          hi = y;
        } else if (y < lo) {
          min = i;
          lo = y;
        } else if (y > hi) {
          max = i;
          hi = y;
        }
        last = i;
      }
      cols[o + FIRST] = first;
      cols[o + MIN] = min;
      cols[o + MAX] = max;
      cols[o + LAST] = last;
      cols[o + GAP] = gap;
    }
    return i - i0;
  }

  /** The chosen points of every column, in time order, without duplicates; at most 4 per column. */
  private emit(
    cols: Int32Array,
    columns: number,
    edgeStart: number,
    edgeEnd: number,
  ): { t: Float64Array; v: Float64Array } {
    const t = this.buf.t;
    const v = this.buf.v;
    if (edgeEnd > edgeStart) mergeEdge(cols, (columns - 1) * STRIDE, v, edgeStart, edgeEnd);
    const outT = new Float64Array(columns * 4);
    const outV = new Float64Array(columns * 4);
    const picks = [0, 0, 0, 0, 0];
    let out = 0;
    for (let c = 0; c < columns; c++) {
      const o = c * STRIDE;
      let k = 0;
      for (const slot of [FIRST, MIN, MAX, LAST]) {
        const idx = cols[o + slot];
        if (idx >= 0 && !includes(picks, k, idx)) picks[k++] = idx;
      }
      // A gap marker rides along only where the column has room, so 4 × width always holds.
      if (cols[o + GAP] >= 0 && k < 4) picks[k++] = cols[o + GAP];
      sortPrefix(picks, k);
      for (let j = 0; j < k; j++) {
        outT[out] = t[picks[j]];
        outV[out] = v[picks[j]];
        out++;
      }
    }
    return { t: outT.slice(0, out), v: outV.slice(0, out) };
  }
}

function isWhole(x: number): boolean {
  return Math.abs(x - Math.round(x)) <= 1e-6;
}

function includes(a: number[], k: number, x: number): boolean {
  for (let j = 0; j < k; j++) if (a[j] === x) return true;
  return false;
}

function sortPrefix(a: number[], k: number): void {
  for (let i = 1; i < k; i++) {
    const x = a[i];
    let j = i - 1;
    for (; j >= 0 && a[j] > x; j--) a[j + 1] = a[j];
    a[j + 1] = x;
  }
}

/** Folds the edge points [s, e) into a column's aggregate. */
function mergeEdge(cols: Int32Array, o: number, v: Float64Array, s: number, e: number): void {
  for (let i = s; i < e; i++) {
    const y = v[i];
    if (y !== y) {
      if (cols[o + GAP] < 0) cols[o + GAP] = i;
      continue;
    }
    if (cols[o + FIRST] < 0) {
      cols[o + FIRST] = i;
      cols[o + MIN] = i;
      cols[o + MAX] = i;
    } else {
      if (y < v[cols[o + MIN]]) cols[o + MIN] = i;
      if (y > v[cols[o + MAX]]) cols[o + MAX] = i;
    }
    cols[o + LAST] = i;
  }
}
