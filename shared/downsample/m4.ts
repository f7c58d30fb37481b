/**
 * M4 downsampling (Jugel et al., VLDB 2014): for each pixel column keep the first, last, min and max point.
 * A line chart drawn from the result is pixel-identical to one drawn from all points, and spikes survive —
 * unlike averaging or every-nth sampling, which hide exactly the tail-latency spikes a release captain hunts.
 *
 * Input: parallel arrays (t ascending, v may hold NaN for gaps). Output: at most 4 × width points, in time order.
 * NaN points are kept as gap markers where a column has room, so a chart breaks its line there.
 */
export interface M4Result {
  t: Float64Array;
  v: Float64Array;
}

export function m4(t: ArrayLike<number>, v: ArrayLike<number>, from: number, to: number, width: number): M4Result {
  const n = t.length;
  const columns = Math.max(1, Math.floor(width));
  if (n === 0 || !(to > from)) return { t: new Float64Array(0), v: new Float64Array(0) };
  const start = lowerBound(t, from);
  const end = upperBound(t, to); // exclusive
  if (end - start <= 4 * columns)
    return { t: Float64Array.from(slice(t, start, end)), v: Float64Array.from(slice(v, start, end)) };

  const outT = new Float64Array(4 * columns);
  const outV = new Float64Array(outT.length);
  let out = 0;
  const span = to - from;
  let i = start;
  while (i < end) {
    const col = Math.min(columns - 1, Math.floor(((t[i] - from) / span) * columns));
    // Scan the run of points that fall into this column.
    let firstI = -1;
    let lastI = -1;
    let minI = -1;
    let maxI = -1;
    let gapI = -1;
    let j = i;
    for (; j < end; j++) {
      const c = Math.min(columns - 1, Math.floor(((t[j] - from) / span) * columns));
      if (c !== col) break;
      const y = v[j];
      if (Number.isNaN(y)) {
        if (gapI < 0) gapI = j;
        continue;
      }
      if (firstI < 0) firstI = j;
      lastI = j;
      if (minI < 0 || y < v[minI]) minI = j;
      if (maxI < 0 || y > v[maxI]) maxI = j;
    }
    // Emit the chosen indices in time order, without duplicates.
    // A gap marker (NaN) rides along only when the column has room for it, so the 4 × width bound always holds.
    const values = [firstI, minI, maxI, lastI].filter((k, idx, all) => k >= 0 && all.indexOf(k) === idx);
    const picks = (gapI >= 0 && values.length < 4 ? [...values, gapI] : values).sort((a, b) => a - b);
    let prev = -1;
    for (const k of picks) {
      if (k === prev) continue;
      outT[out] = t[k];
      outV[out] = v[k];
      out++;
      prev = k;
    }
    i = j;
  }
  return { t: outT.slice(0, out), v: outV.slice(0, out) };
}

function slice(a: ArrayLike<number>, s: number, e: number): number[] {
  const r = new Array<number>(e - s);
  for (let k = s; k < e; k++) r[k - s] = a[k];
  return r;
}

/** First index with t[i] >= x. */
export function lowerBound(t: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = t.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (t[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index with t[i] > x. */
export function upperBound(t: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = t.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (t[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
