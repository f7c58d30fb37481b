/**
 * Order statistics of all pairwise differences x[j] − y[i] without materializing them (10k × 10k would be 10⁸
 * numbers). The differences form an implicit matrix whose rows (fixed i) ascend in j and whose columns descend in i.
 * A "band" keeps, per row, the index range [lo, hi) still in play, plus how many differences rank below it.
 *
 * Each round draws a stratified random sample from the band, picks two pivots from it that bracket the wanted ranks
 * with high probability (±2.5 standard errors), and counts the differences below each pivot exactly with one
 * monotone pointer per row — one O(n + m) pass. The band then shrinks to a few percent; once it is small it is
 * copied out and the ranks are picked by Floyd–Rivest selection. Several ranks (HL's median pair and both CI
 * bounds) share the early rounds and split once they are far apart relative to the band.
 * Selection is exact; the sampling's randomness (a fixed-seed generator) only affects speed.
 */
import { selectInPlace } from './sort';

interface Band {
  lo: Int32Array;
  hi: Int32Array;
  /** Differences ranking below every difference in the band. */
  below: number;
  /** Differences in the band. */
  active: number;
}

// The kernels below are small functions with one loop each, taking typed arrays as arguments: V8 optimizes a hot
// loop while it runs (on-stack replacement), and code after that loop would then have no type feedback and be
// thrown away again on first use — with one loop per function every call stays in optimized code.

/**
 * Jittered stratified sample of a band: its differences, listed row by row, are cut into s equal strata and one is
 * drawn uniformly from each. Every difference is equally likely to be drawn and the sample quantiles vary no more
 * than with simple random sampling, so ±2.5σ brackets stay valid. O(n + s). Returns the generator's next state.
 */
function drawStratified(x: Float64Array, y: Float64Array, lo: Int32Array, hi: Int32Array, active: number, out: Float64Array, seed: number): number {
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
function mergeBoth(xs: Float64Array, y: Float64Array, pivotLow: number, pivotHigh: number, outLow: Int32Array, outHigh: Int32Array): void {
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
function mergeBothSafely(x: Float64Array, y: Float64Array, pivotLow: number, pivotHigh: number, outLow: Int32Array, outHigh: Int32Array): void {
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
function clampToBand(lo: Int32Array, hi: Int32Array, pos: Int32Array): number {
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

function enumerateBand(x: Float64Array, y: Float64Array, lo: Int32Array, hi: Int32Array, out: Float64Array): void {
  let t = 0;
  for (let i = 0; i < y.length; i++) {
    const yi = y[i];
    const end = hi[i];
    for (let j = lo[i]; j < end; j++) out[t++] = x[j] - yi;
  }
}

class PairwiseSelector {
  private readonly n: number;
  private readonly m: number;
  private readonly posLow: Int32Array;
  private readonly posHigh: Int32Array;
  private readonly enumerateLimit: number;
  /** x followed by +Infinity, a sentinel for the branch-free merges. */
  private readonly xs: Float64Array;
  private seed = 0x2545f491;
  readonly results = new Map<number, number>();

  constructor(
    private readonly x: Float64Array,
    private readonly y: Float64Array,
  ) {
    this.n = y.length;
    this.m = x.length;
    this.posLow = new Int32Array(this.n);
    this.posHigh = new Int32Array(this.n);
    this.enumerateLimit = Math.max(4096, 2 * (this.n + this.m));
    this.xs = new Float64Array(this.m + 1);
    this.xs.set(x);
    this.xs[this.m] = Infinity;
  }

  solve(band: Band, ranks: number[], stalled = false): void {
    if (band.active <= this.enumerateLimit) return this.enumerate(band, ranks);
    const first = ranks[0];
    const last = ranks[ranks.length - 1];
    if (last - first > 0.05 * band.active) {
      // Ranks far apart: sampling resolution would keep the whole range between them; solve clusters separately.
      let groups = clusters(ranks, 0.05 * band.active);
      if (groups.length === 1) groups = ranks.map((k) => [k]);
      for (const cluster of groups) this.solve(copyBand(band), cluster);
      return;
    }
    const s = band.active === this.n * this.m ? 4000 : 2000;
    const sample = scratch(0, s);
    this.seed = drawStratified(this.x, this.y, band.lo, band.hi, band.active, sample, this.seed);
    const fLow = (first - band.below - 0.5) / band.active;
    const fHigh = (last - band.below - 0.5) / band.active;
    const lowIndex = clampIndex(Math.floor(fLow * s - (stalled ? 0 : 2.5 * Math.sqrt(s * fLow * (1 - fLow)) + 1)), s);
    const highIndex = clampIndex(Math.ceil(fHigh * s + (stalled ? 0 : 2.5 * Math.sqrt(s * fHigh * (1 - fHigh)) + 1)), s);
    const pivotLow = selectInPlace(sample, lowIndex);
    const pivotHigh = stalled ? pivotLow : selectInPlace(sample, Math.max(lowIndex, highIndex), lowIndex, s - 1);
    const { posLow, posHigh } = this;
    if (Number.isFinite(pivotLow) && Number.isFinite(pivotHigh)) mergeBoth(this.xs, this.y, pivotLow, pivotHigh, posLow, posHigh);
    else mergeBothSafely(this.x, this.y, pivotLow, pivotHigh, posLow, posHigh);
    const countLow = band.below + clampToBand(band.lo, band.hi, posLow);
    const countHigh = band.below + clampToBand(band.lo, band.hi, posHigh);
    const left = ranks.filter((k) => k <= countLow);
    const middle = ranks.filter((k) => k > countLow && k <= countHigh);
    const right = ranks.filter((k) => k > countHigh);
    if (middle.length > 0 && pivotLow === pivotHigh) {
      for (const k of middle) this.results.set(k, pivotLow); // every difference between the two counts equals the pivot
      middle.length = 0;
    }
    const groups = [left, middle, right].filter((g) => g.length > 0).length;
    const before = band.active;
    const high = band.below + band.active;
    // Build every narrowed band before recursing: the recursion reuses posLow/posHigh.
    const work: Array<[number[], Band]> = [];
    const narrowed = (g: number[], make: (b: Band) => void): void => {
      if (g.length === 0) return;
      const target = groups > 1 ? copyBand(band) : band;
      make(target);
      work.push([g, target]);
    };
    narrowed(left, (b) => {
      b.hi.set(posLow);
      b.active = countLow - b.below;
    });
    narrowed(middle, (b) => {
      b.lo.set(posLow);
      b.hi.set(posHigh);
      b.below = countLow;
      b.active = countHigh - countLow;
    });
    narrowed(right, (b) => {
      b.lo.set(posHigh);
      b.below = countHigh;
      b.active = high - countHigh;
    });
    for (const [g, target] of work) this.solve(target, g, target.active === before);
  }

  private enumerate(band: Band, ranks: number[]): void {
    const rest = scratch(1, band.active);
    enumerateBand(this.x, this.y, band.lo, band.hi, rest);
    let left = 0;
    for (const k of ranks) {
      const index = k - band.below - 1;
      this.results.set(k, selectInPlace(rest, index, left, rest.length - 1));
      left = index; // ranks ascend: everything before index is ≤ the value found
    }
  }
}

/**
 * Reusable scratch buffers (sample, enumeration), so a judge over 20 metrics does not churn the garbage collector.
 * Contents never outlive one call, so the functions stay pure from the caller's point of view.
 */
const scratchBuffers: Float64Array[] = [new Float64Array(0), new Float64Array(0)];
function scratch(slot: number, length: number): Float64Array {
  if (scratchBuffers[slot].length < length) scratchBuffers[slot] = new Float64Array(Math.max(length, 2 * scratchBuffers[slot].length));
  return scratchBuffers[slot].subarray(0, length);
}

function clampIndex(i: number, s: number): number {
  return Math.min(s - 1, Math.max(0, i));
}

function copyBand(b: Band): Band {
  return { lo: b.lo.slice(), hi: b.hi.slice(), below: b.below, active: b.active };
}

function clusters(ranks: number[], gap: number): number[][] {
  const out: number[][] = [[ranks[0]]];
  for (let i = 1; i < ranks.length; i++) {
    if (ranks[i] - ranks[i - 1] > gap) out.push([ranks[i]]);
    else out[out.length - 1].push(ranks[i]);
  }
  return out;
}

/**
 * The values at the given 1-based ranks among all differences x[j] − y[i].
 * x and y must be sorted ascending and finite; ranks outside 1..n·m give NaN.
 */
export function selectPairwiseDifferences(x: Float64Array, y: Float64Array, ranks: readonly number[]): number[] {
  const total = x.length * y.length;
  const valid = [...new Set(ranks.filter((k) => Number.isInteger(k) && k >= 1 && k <= total))].sort((a, b) => a - b);
  const selector = new PairwiseSelector(x, y);
  if (valid.length > 0) {
    const band: Band = { lo: new Int32Array(y.length), hi: new Int32Array(y.length).fill(x.length), below: 0, active: total };
    selector.solve(band, valid);
  }
  return ranks.map((k) => selector.results.get(k) ?? Number.NaN);
}

export function selectPairwiseDifference(x: Float64Array, y: Float64Array, k: number): number {
  return selectPairwiseDifferences(x, y, [k])[0];
}
