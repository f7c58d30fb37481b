/**
 * Inner loops of the pairwise-difference selection (pairwise-select.ts). Rows are i (baseline, y ascending),
 * columns j (canary, x ascending); the difference in cell (i, j) is x[j] − y[i].
 *
 * Each kernel is a small function with one loop, taking typed arrays as arguments: V8 optimizes a hot loop while
 * it runs (on-stack replacement), and code after that loop would then have no type feedback and be thrown away
 * again on first use — with one loop per function every call stays in optimized code.
 */

/**
 * Jittered stratified sample of a band: its differences, listed row by row, are cut into s equal strata and one is
 * drawn uniformly from each. Every difference is equally likely to be drawn and the sample quantiles vary no more
 * than with simple random sampling, so ±2.5σ brackets stay valid. O(n + s). Returns the generator's next state.
 */
export function drawStratified(
  x: Float64Array,
  y: Float64Array,
  lo: Int32Array,
  hi: Int32Array,
  active: number,
  out: Float64Array,
  seed: number,
): number {
  const s = out.length;
  const step = active / s;
  let state = seed;
  let row = 0;
  let rowStart = 0; // band differences in rows before `row`
  for (let t = 0; t < s; t++) {
    state ^= state << 13; // xorshift32
    state ^= state >>> 17;
    state ^= state << 5;
    const r = Math.min(active - 1, Math.floor((t + (state >>> 0) / 4294967296) * step));
    while (rowStart + (hi[row] - lo[row]) <= r) {
      rowStart += hi[row] - lo[row];
      row++;
    }
    out[t] = x[lo[row] + (r - rowStart)] - y[row];
  }
  return state;
}

/**
 * For every row i: outLow[i] = #{j : x[j] − y[i] < pivotLow}, outHigh[i] = #{j : x[j] − y[i] ≤ pivotHigh}.
 * Two branch-free merges of x against the shifted y, interleaved so the CPU overlaps them: a per-row loop would
 * pay a mispredicted loop exit on every row, which is what dominates at 10k rows. xs ends with +Infinity (a
 * sentinel), so with finite pivots neither merge can run past the end of x.
 */
export function mergeBoth(
  xs: Float64Array,
  y: Float64Array,
  pivotLow: number,
  pivotHigh: number,
  outLow: Int32Array,
  outHigh: Int32Array,
): void {
  const n = y.length;
  let i1 = 0;
  let j1 = 0;
  let i2 = 0;
  let j2 = 0;
  while (i1 < n || i2 < n) {
    if (i1 < n) {
      const c1 = +(xs[j1] - y[i1] < pivotLow);
      outLow[i1] = j1;
      j1 += c1;
      i1 += 1 - c1;
    }
    if (i2 < n) {
      const c2 = +(xs[j2] - y[i2] <= pivotHigh);
      outHigh[i2] = j2;
      j2 += c2;
      i2 += 1 - c2;
    }
  }
}

/** Same positions with explicit bounds (pivots that overflowed to ±Infinity would run past the sentinel). */
export function mergeBothSafely(
  x: Float64Array,
  y: Float64Array,
  pivotLow: number,
  pivotHigh: number,
  outLow: Int32Array,
  outHigh: Int32Array,
): void {
  const m = x.length;
  let j = 0;
  let k = 0;
  for (let i = 0; i < y.length; i++) {
    const yi = y[i];
    while (j < m && x[j] - yi < pivotLow) j++;
    while (k < m && x[k] - yi <= pivotHigh) k++;
    outLow[i] = j;
    outHigh[i] = k;
  }
}

/** Clamps each row's position into its band [lo, hi) and returns how many band differences precede them. */
export function clampToBand(lo: Int32Array, hi: Int32Array, pos: Int32Array): number {
  let count = 0;
  for (let i = 0; i < pos.length; i++) {
    const l = lo[i];
    const h = hi[i];
    const p = pos[i] < l ? l : pos[i] > h ? h : pos[i];
    pos[i] = p;
    count += p - l;
  }
  return count;
}

export function enumerateBand(
  x: Float64Array,
  y: Float64Array,
  lo: Int32Array,
  hi: Int32Array,
  out: Float64Array,
): void {
  let t = 0;
  for (let i = 0; i < y.length; i++) {
    const yi = y[i];
    const end = hi[i];
    for (let j = lo[i]; j < end; j++) out[t++] = x[j] - yi;
  }
}

/**
 * Reusable scratch buffers (sample, enumeration), so a judge over 20 metrics does not churn the garbage collector.
 * Contents never outlive one call, so the functions stay pure from the caller's point of view.
 */
const scratchBuffers: Float64Array[] = [new Float64Array(0), new Float64Array(0)];
export function scratch(slot: number, length: number): Float64Array {
  if (scratchBuffers[slot].length < length)
    scratchBuffers[slot] = new Float64Array(Math.max(length, 2 * scratchBuffers[slot].length));
  return scratchBuffers[slot].subarray(0, length);
}
