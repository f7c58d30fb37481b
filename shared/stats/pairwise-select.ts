/**
 * Order statistics of all pairwise differences x[j] − y[i] without materializing them (10k × 10k would be 10⁸
 * numbers). The differences form an implicit matrix whose rows (fixed i) ascend in j and whose columns descend in i.
 * A "band" keeps, per row, the index range [lo, hi) still in play, plus how many differences rank below it.
 *
 * Each round picks two pivots that bracket the wanted ranks and counts the differences below each pivot exactly
 * with one monotone pointer per row — one O(n + m) pass. The first round takes its pivots from a stratified random
 * sample of the band (±2.5 standard errors around the ranks); later rounds interpolate linearly between the exact
 * counts at the band's ends, which for continuous data lands within a fraction of a percent, and fall back to
 * sampling when a bracket misses. Once the band is small it is copied out and the ranks are picked by Floyd–Rivest
 * selection. Several ranks (HL's median pair and both CI bounds) share the first round and then split.
 * Selection is exact; the sampling's randomness (a fixed-seed generator) only affects speed.
 */
import { clampToBand, drawStratified, enumerateBand, mergeBoth, mergeBothSafely, scratch } from './pairwise-kernels';
import { selectInPlace } from './sort';

interface Band {
  lo: Int32Array;
  hi: Int32Array;
  /** Differences ranking below every difference in the band. */
  below: number;
  /** Differences in the band. */
  active: number;
  /** Every difference in the band lies in [lowValue, highValue]. */
  lowValue: number;
  highValue: number;
}

/** How the next round picks its pivots: by sampling, by interpolation, or one sampled pivot after a stalled round. */
type Mode = 'sample' | 'interpolate' | 'single';

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

  solve(band: Band, ranks: number[], mode: Mode = 'sample'): void {
    if (band.active <= this.enumerateLimit) return this.enumerate(band, ranks);
    if (band.lowValue === band.highValue) {
      for (const k of ranks) this.results.set(k, band.lowValue); // every difference in the band is this value
      return;
    }
    const first = ranks[0];
    const last = ranks[ranks.length - 1];
    if (last - first > 0.05 * band.active) {
      // Ranks far apart: one bracket would keep the whole range between them; solve clusters separately.
      let groups = clusters(ranks, 0.05 * band.active);
      if (groups.length === 1) groups = ranks.map((k) => [k]);
      for (const cluster of groups) this.solve(copyBand(band), cluster, mode);
      return;
    }
    const [pivotLow, pivotHigh] =
      mode === 'interpolate' && Number.isFinite(band.highValue - band.lowValue)
        ? this.interpolatedPivots(band, first, last)
        : this.sampledPivots(band, first, last, mode === 'single');
    const { posLow, posHigh } = this;
    if (Number.isFinite(pivotLow) && Number.isFinite(pivotHigh))
      mergeBoth(this.xs, this.y, pivotLow, pivotHigh, posLow, posHigh);
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
    // After an interpolation that missed (ranks outside its bracket), the data are not smooth there: sample next.
    const outside: Mode = mode === 'interpolate' ? 'sample' : 'interpolate';
    // Build every narrowed band before recursing: the recursion reuses posLow/posHigh.
    const work: Array<[number[], Band, Mode]> = [];
    const narrowed = (g: number[], next: Mode, make: (b: Band) => void): void => {
      if (g.length === 0) return;
      const target = groups > 1 ? copyBand(band) : band;
      make(target);
      work.push([g, target, target.active === before ? 'single' : next]);
    };
    narrowed(left, outside, (b) => {
      b.hi.set(posLow);
      b.active = countLow - b.below;
      b.highValue = pivotLow;
    });
    narrowed(middle, 'interpolate', (b) => {
      b.lo.set(posLow);
      b.hi.set(posHigh);
      b.below = countLow;
      b.active = countHigh - countLow;
      b.lowValue = pivotLow;
      b.highValue = pivotHigh;
    });
    narrowed(right, outside, (b) => {
      b.lo.set(posHigh);
      b.below = countHigh;
      b.active = high - countHigh;
      b.lowValue = pivotHigh;
    });
    for (const [g, target, next] of work) this.solve(target, g, next);
  }

  /**
   * Pivots from a linear model of the rank within the band's value range. Inside a bracket the count function of
   * continuous data is nearly linear (in tests the guess lands within ~0.2% of the band), so a ±1% margin
   * usually brackets the ranks and shrinks the band ~50× per pass without any sampling.
   */
  private interpolatedPivots(band: Band, first: number, last: number): [number, number] {
    const span = band.highValue - band.lowValue;
    const margin = 0.01 * band.active + 500;
    const at = (rank: number): number =>
      band.lowValue + span * Math.min(1, Math.max(0, (rank - band.below - 0.5) / band.active));
    return [at(first - margin), at(last + margin)];
  }

  /** Pivots from a stratified sample: ±2.5 standard errors around the wanted ranks (one pivot when `single`). */
  private sampledPivots(band: Band, first: number, last: number, single: boolean): [number, number] {
    // Sample size: large enough to shrink the band ~20× per round, small next to the band itself when N is modest.
    const s = Math.min(
      band.active === this.n * this.m ? 4000 : 2000,
      Math.max(100, Math.ceil(4 * Math.sqrt(band.active))),
    );
    const sample = scratch(0, s);
    this.seed = drawStratified(this.x, this.y, band.lo, band.hi, band.active, sample, this.seed);
    const fLow = (first - band.below - 0.5) / band.active;
    const fHigh = (last - band.below - 0.5) / band.active;
    const lowIndex = clampIndex(Math.floor(fLow * s - (single ? 0 : 2.5 * Math.sqrt(s * fLow * (1 - fLow)) + 1)), s);
    const highIndex = clampIndex(Math.ceil(fHigh * s + (single ? 0 : 2.5 * Math.sqrt(s * fHigh * (1 - fHigh)) + 1)), s);
    const pivotLow = selectInPlace(sample, lowIndex);
    // A single pivot always removes its own value from play, so heavily tied data cannot stall the search.
    return [pivotLow, single ? pivotLow : selectInPlace(sample, Math.max(lowIndex, highIndex), lowIndex, s - 1)];
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

function clampIndex(i: number, s: number): number {
  return Math.min(s - 1, Math.max(0, i));
}

function copyBand(b: Band): Band {
  return {
    lo: b.lo.slice(),
    hi: b.hi.slice(),
    below: b.below,
    active: b.active,
    lowValue: b.lowValue,
    highValue: b.highValue,
  };
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
    const band: Band = {
      lo: new Int32Array(y.length),
      hi: new Int32Array(y.length).fill(x.length),
      below: 0,
      active: total,
      lowValue: x[0] - y[y.length - 1],
      highValue: x[x.length - 1] - y[0],
    };
    selector.solve(band, valid);
  }
  return ranks.map((k) => selector.results.get(k) ?? Number.NaN);
}

export function selectPairwiseDifference(x: Float64Array, y: Float64Array, k: number): number {
  return selectPairwiseDifferences(x, y, [k])[0];
}
