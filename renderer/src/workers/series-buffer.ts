/**
 * One full-resolution series held by the M4 worker: parallel Float64Arrays (t ascending) with spare capacity, so
 * live points are appended in amortized O(1) instead of re-sending or re-allocating the whole series.
 *
 * The buffer remembers the earliest time changed since the downsampler last looked (`dirtyFrom`), which is what
 * lets the downsampler keep every pixel column before that time and recompute only the columns after it.
 */
import { lowerBound } from '../../../shared/downsample/m4';
import { RampartError } from '../../../shared/errors';

export class SeriesBuffer {
  t: Float64Array;
  v: Float64Array;
  n: number;
  /** Earliest t added or changed since `markClean()`; Infinity when nothing changed. */
  dirtyFrom = Number.POSITIVE_INFINITY;
  /** Bumped whenever existing indices shift (an out-of-order insert): cached indices are then invalid. */
  epoch = 0;

  /** Takes ownership of the arrays (they were transferred to the worker; no copy). */
  constructor(t: Float64Array, v: Float64Array) {
    if (t.length !== v.length)
      throw new RampartError('bad_request', `M4 worker: t and v differ in length (${t.length} vs ${v.length})`);
    if (t.length > 0 && !(Number.isFinite(t[0]) && Number.isFinite(t[t.length - 1]))) {
      throw new RampartError('bad_request', 'M4 worker: timestamps must be finite numbers');
    }
    for (let i = 1; i < t.length; i++) {
      if (!(t[i] > t[i - 1]))
        throw new RampartError('bad_request', `M4 worker: timestamps must be strictly ascending (index ${i})`);
    }
    this.t = t;
    this.v = v;
    this.n = t.length;
  }

  markClean(): void {
    this.dirtyFrom = Number.POSITIVE_INFINITY;
  }

  /** Appends live points. Points at or before the newest time replace (equal t) or are inserted (slow path). */
  append(t: ArrayLike<number>, v: ArrayLike<number>): void {
    if (t.length !== v.length)
      throw new RampartError(
        'bad_request',
        `M4 worker: appended t and v differ in length (${t.length} vs ${v.length})`,
      );
    for (let k = 0; k < t.length; k++) {
      const tk = t[k];
      if (!Number.isFinite(tk))
        throw new RampartError('bad_request', `M4 worker: appended timestamp ${tk} is not a finite number`);
      if (this.n === 0 || tk > this.t[this.n - 1]) this.push(tk, v[k]);
      else this.upsert(tk, v[k]);
    }
  }

  private push(t: number, v: number): void {
    if (this.n === this.t.length) this.grow(this.n + 1);
    this.t[this.n] = t;
    this.v[this.n] = v;
    this.n++;
    if (t < this.dirtyFrom) this.dirtyFrom = t;
  }

  /** A re-delivered step (same t, newer value) replaces in place; an older missing point is inserted. */
  private upsert(t: number, v: number): void {
    const i = lowerBound(this.view('t'), t);
    if (i < this.n && this.t[i] === t) {
      this.v[i] = v;
    } else {
      if (this.n === this.t.length) this.grow(this.n + 1);
      this.t.copyWithin(i + 1, i, this.n);
      this.v.copyWithin(i + 1, i, this.n);
      this.t[i] = t;
      this.v[i] = v;
      this.n++;
      this.epoch++;
    }
    if (t < this.dirtyFrom) this.dirtyFrom = t;
  }

  /** ×1.5 growth: a week of 1 s data plus live appends does not double its memory on the first append. */
  private grow(min: number): void {
    const capacity = Math.max(min, Math.floor(this.t.length * 1.5), this.t.length + 1024);
    const t = new Float64Array(capacity);
    const v = new Float64Array(capacity);
    t.set(this.t.subarray(0, this.n));
    v.set(this.v.subarray(0, this.n));
    this.t = t;
    this.v = v;
  }

  /** The filled part (a view, no copy). */
  view(which: 't' | 'v'): Float64Array {
    return (which === 't' ? this.t : this.v).subarray(0, this.n);
  }
}
