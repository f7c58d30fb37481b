/**
 * The series worker's memory of what it last read or wrote, per cache key: the columns of every label set over one
 * contiguous range, so a chart asking again (a range click back and forth, a zoom, a live push) is answered from
 * Float64Arrays instead of re-reading thousands of SQLite rows. SQLite stays the truth: a read outside the range
 * goes to it, a write is applied to both, and keys are dropped least recently used past a byte budget.
 * Correct because every series write goes through this worker (workers/ops.ts) — the main connection only reads.
 */
import { lowerBound, upperBound } from '../../../shared/downsample/m4';
import type { Series } from '../../metrics/metrics-provider';
import type { SeriesCache } from '../../store/series-cache';

interface Held {
  from: number;
  to: number;
  series: Map<string, Series>;
  bytes: number;
}

const DEFAULT_BUDGET = 64 * 1024 * 1024;

function labelsId(labels: Record<string, string>): string {
  return JSON.stringify(
    Object.keys(labels)
      .sort()
      .map((k) => [k, labels[k]]),
  );
}

function bytesOf(series: Iterable<Series>): number {
  let n = 0;
  for (const s of series) n += s.t.byteLength + s.v.byteLength;
  return n;
}

/** a ∪ b by timestamp (both ascending); b's value wins where both have a point. */
function merge(a: Series, b: Series): Series {
  const t = new Float64Array(a.t.length + b.t.length);
  const v = new Float64Array(t.length);
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.t.length || j < b.t.length) {
    if (j >= b.t.length || (i < a.t.length && a.t[i] < b.t[j])) {
      t[n] = a.t[i];
      v[n++] = a.v[i++];
    } else {
      if (i < a.t.length && a.t[i] === b.t[j]) i++;
      t[n] = b.t[j];
      v[n++] = b.v[j++];
    }
  }
  return { labels: a.labels, t: t.slice(0, n), v: v.slice(0, n) };
}

export function createColumnCache(db: SeriesCache, budgetBytes = DEFAULT_BUDGET) {
  const held = new Map<string, Held>();
  let total = 0;

  function keep(key: string, h: Held): void {
    const old = held.get(key);
    if (old) total -= old.bytes;
    held.delete(key);
    h.bytes = bytesOf(h.series.values());
    held.set(key, h);
    total += h.bytes;
    for (const [k, x] of held) {
      if (total <= budgetBytes || k === key) break;
      held.delete(k);
      total -= x.bytes;
    }
  }

  function slice(s: Series, from: number, to: number): Series {
    const a = lowerBound(s.t, from);
    const b = upperBound(s.t, to);
    return { labels: s.labels, t: s.t.slice(a, b), v: s.v.slice(a, b) };
  }

  return {
    /** The series of a key over [from, to]: from memory when it holds the range, else from SQLite (then held). */
    read(key: string, from: number, to: number): Series[] {
      const h = held.get(key);
      if (h && h.from <= from && h.to >= to) {
        held.delete(key);
        held.set(key, h); // most recently used last
        return [...h.series.values()].map((s) => slice(s, from, to));
      }
      const got = db.read(key, from, to);
      if (!h || to - from >= h.to - h.from)
        keep(key, { from, to, series: new Map(got.map((s) => [labelsId(s.labels), s])), bytes: 0 });
      return got.map((s) => ({ labels: s.labels, t: s.t.slice(), v: s.v.slice() }));
    },
    /** After a write to SQLite of [from, to]: merged into the held range when it touches it, else the key is dropped. */
    wrote(key: string, series: readonly Series[], from: number, to: number): void {
      const h = held.get(key);
      if (!h) return;
      if (from > h.to || to < h.from) {
        held.delete(key);
        total -= h.bytes;
        return;
      }
      for (const s of series) {
        const id = labelsId(s.labels);
        const mine = h.series.get(id);
        h.series.set(id, mine ? merge(mine, s) : { labels: s.labels, t: s.t.slice(), v: s.v.slice() });
      }
      keep(key, { from: Math.min(h.from, from), to: Math.max(h.to, to), series: h.series, bytes: 0 });
    },
    heldBytes: () => total,
  };
}

export type ColumnCache = ReturnType<typeof createColumnCache>;
