/**
 * Fast numeric sorting and selection for Float64Array. V8's built-in typed-array sort costs ~80 ns per element at
 * 10k–20k elements, which alone would eat most of the judge's time budget (20 metrics × 2 arms × 10k samples), so
 * large arrays are sorted by an LSD radix sort on the IEEE-754 bit patterns (4 passes of 12 bits), and single ranks
 * are found by Floyd–Rivest selection instead of a full sort.
 */

const RADIX_MIN = 256;
const DIGIT_BITS = 12;
const BUCKETS = 1 << DIGIT_BITS;
const DIGIT_MASK = BUCKETS - 1;
const PASSES = 4; // 4 × 12 = the top 48 bits of the key: sign, exponent and 36 mantissa bits

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Digit `pass` (0 = least significant of the 48 sorted bits) of the 64-bit key hi:lo. */
function digit(hi: number, lo: number, pass: number): number {
  if (pass === 0) return (lo >>> 16) & DIGIT_MASK;
  if (pass === 1) return ((hi & 0xff) << 4) | (lo >>> 28);
  if (pass === 2) return (hi >>> 8) & DIGIT_MASK;
  return hi >>> 20;
}

/**
 * Sorts finite (or ±Infinity) numbers ascending, in place, and returns the same array. NaN is not allowed.
 * Radix passes order the numbers by their top 48 key bits; numbers that agree there differ by less than one part
 * in 2³⁶ and are put in order by a final insertion pass, which is linear on the almost-sorted result.
 * Each loop lives in its own small function: V8 optimizes a long loop while it runs, and code after it in the
 * same function would start without type feedback and be thrown away again (this matters for a cold CLI run).
 */
export function sortFloat64(a: Float64Array): Float64Array {
  const n = a.length;
  if (n < RADIX_MIN || !LITTLE_ENDIAN) return a.sort();
  const words = new Uint32Array(a.buffer, a.byteOffset, n * 2);
  let hi = new Uint32Array(n);
  let lo = new Uint32Array(n);
  toKeys(words, hi, lo);
  const counts = new Uint32Array(PASSES * BUCKETS);
  histogram(hi, lo, counts);
  let hiTmp = new Uint32Array(n);
  let loTmp = new Uint32Array(n);
  const offsets = new Uint32Array(BUCKETS);
  for (let pass = 0; pass < PASSES; pass++) {
    if (!prefixOffsets(counts, pass * BUCKETS, n, offsets)) continue;
    scatter(hi, lo, hiTmp, loTmp, offsets, pass);
    [hi, hiTmp] = [hiTmp, hi];
    [lo, loTmp] = [loTmp, lo];
  }
  fromKeys(words, hi, lo);
  insertionFix(a);
  return a;
}

/** Maps each double to an unsigned 64-bit key that orders like the number: flip all bits of negatives, only the sign bit of positives. */
function toKeys(words: Uint32Array, hi: Uint32Array, lo: Uint32Array): void {
  for (let i = 0; i < hi.length; i++) {
    const h = words[2 * i + 1];
    const l = words[2 * i];
    if (h & 0x80000000) {
      hi[i] = ~h >>> 0;
      lo[i] = ~l >>> 0;
    } else {
      hi[i] = (h | 0x80000000) >>> 0;
      lo[i] = l;
    }
  }
}

function fromKeys(words: Uint32Array, hi: Uint32Array, lo: Uint32Array): void {
  for (let i = 0; i < hi.length; i++) {
    const h = hi[i];
    if (h & 0x80000000) {
      words[2 * i + 1] = (h & 0x7fffffff) >>> 0;
      words[2 * i] = lo[i];
    } else {
      words[2 * i + 1] = ~h >>> 0;
      words[2 * i] = ~lo[i] >>> 0;
    }
  }
}

/** One histogram per digit, all from one read of the keys. */
function histogram(hi: Uint32Array, lo: Uint32Array, counts: Uint32Array): void {
  for (let i = 0; i < hi.length; i++) {
    const l = lo[i];
    const h = hi[i];
    counts[(l >>> 16) & DIGIT_MASK]++;
    counts[BUCKETS + (((h & 0xff) << 4) | (l >>> 28))]++;
    counts[2 * BUCKETS + ((h >>> 8) & DIGIT_MASK)]++;
    counts[3 * BUCKETS + (h >>> 20)]++;
  }
}

/** Start offset of each bucket; false when every key has the same digit (nothing to reorder in this pass). */
function prefixOffsets(counts: Uint32Array, base: number, n: number, offsets: Uint32Array): boolean {
  let running = 0;
  let useful = true;
  for (let b = 0; b < BUCKETS; b++) {
    const c = counts[base + b];
    if (c === n) useful = false;
    offsets[b] = running;
    running += c;
  }
  return useful;
}

function scatter(
  hi: Uint32Array,
  lo: Uint32Array,
  hiOut: Uint32Array,
  loOut: Uint32Array,
  offsets: Uint32Array,
  pass: number,
): void {
  for (let i = 0; i < hi.length; i++) {
    const at = offsets[digit(hi[i], lo[i], pass)]++;
    hiOut[at] = hi[i];
    loOut[at] = lo[i];
  }
}

function insertionFix(a: Float64Array): void {
  for (let i = 1; i < a.length; i++) {
    const v = a[i];
    if (a[i - 1] <= v) continue;
    let j = i - 1;
    while (j >= 0 && a[j] > v) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = v;
  }
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}

/**
 * Rearranges a[left..right] so that a[k] holds the value it would have after sorting, smaller-or-equal values
 * before it and larger-or-equal after (Floyd & Rivest, CACM 1975). Returns a[k].
 */
export function selectInPlace(a: Float64Array, k: number, left = 0, right = a.length - 1): number {
  while (right > left) {
    if (right - left > 600) {
      // Recurse on a small sample-sized range around k first so the pivot lands close to the k-th value.
      const n = right - left + 1;
      const i = k - left + 1;
      const z = Math.log(n);
      const s = 0.5 * Math.exp((2 * z) / 3);
      const sd = 0.5 * Math.sqrt((z * s * (n - s)) / n) * (i - n / 2 < 0 ? -1 : 1);
      const newLeft = Math.max(left, Math.floor(k - (i * s) / n + sd));
      const newRight = Math.min(right, Math.floor(k + ((n - i) * s) / n + sd));
      selectInPlace(a, k, newLeft, newRight);
    }
    const t = a[k];
    let i = left;
    let j = right;
    swap(a, left, k);
    if (a[right] > t) swap(a, left, right);
    while (i < j) {
      swap(a, i, j);
      i++;
      j--;
      while (a[i] < t) i++;
      while (a[j] > t) j--;
    }
    if (a[left] === t) swap(a, left, j);
    else {
      j++;
      swap(a, j, right);
    }
    if (j <= k) left = j + 1;
    if (k <= j) right = j - 1;
  }
  return a[k];
}
