import { createHash } from 'node:crypto';
import type { Series } from '../metrics/metrics-provider';
import type { Db } from './database';

export interface Coverage {
  from: number;
  to: number;
  fetchedAt: number;
}

/** A stable key for one provider query at one step: the cache is keyed by what was asked, not by the watch. */
export function seriesQueryKey(connectionId: string, query: string, stepMs: number): string {
  return createHash('sha256').update(`${connectionId}\u0000${query}\u0000${stepMs}`).digest('hex').slice(0, 24);
}

const COVERAGE_ROWS_KEPT = 64;

/** Sub-ranges of [from, to] that merged coverage (ascending) does not cover. */
export function missingRanges(coverage: readonly Coverage[], from: number, to: number): [number, number][] {
  const gaps: [number, number][] = [];
  let cursor = from;
  for (const c of coverage) {
    if (c.to < cursor) continue;
    if (c.from > to) break;
    if (c.from > cursor) gaps.push([cursor, Math.min(c.from, to)]);
    cursor = Math.max(cursor, c.to);
    if (cursor >= to) break;
  }
  if (cursor < to) gaps.push([cursor, to]);
  return gaps;
}

function labelsKey(labels: Record<string, string>): string {
  return JSON.stringify(
    Object.keys(labels)
      .sort()
      .map((k) => [k, labels[k]]),
  );
}

/**
 * Fetched ranges in SQLite, so reopening a watch draws at once and only what is missing or newer is fetched, and
 * a provider outage still shows the last data (marked stale with its age).
 */
export function createSeriesCache(db: Db, now: () => number = Date.now) {
  const putLabels = db.prepare(
    'INSERT OR IGNORE INTO series_labels (query_key, labels_key, labels_json) VALUES (?, ?, ?)',
  );
  const putPoint = db.prepare('INSERT OR REPLACE INTO series_points (query_key, labels_key, t, v) VALUES (?, ?, ?, ?)');
  const putCoverage = db.prepare(
    'INSERT INTO series_coverage (query_key, from_ms, to_ms, fetched_at) VALUES (?, ?, ?, ?)',
  );
  const coverageRows = db.prepare(
    'SELECT from_ms AS "from", to_ms AS "to", fetched_at AS fetchedAt FROM series_coverage WHERE query_key = ? ORDER BY from_ms',
  );
  const coverageCount = db.prepare('SELECT count(*) AS n FROM series_coverage WHERE query_key = ?').pluck();
  const dropCoverage = db.prepare('DELETE FROM series_coverage WHERE query_key = ?');
  const labelRows = db.prepare('SELECT labels_key, labels_json FROM series_labels WHERE query_key = ?');
  const pointRows = db
    .prepare('SELECT t, v FROM series_points WHERE query_key = ? AND labels_key = ? AND t >= ? AND t <= ? ORDER BY t')
    .raw();

  function putRows(key: string, s: Series, lk: string, start: number, end: number): void {
    for (let i = start; i < end; i++) {
      const v = s.v[i];
      putPoint.run(key, lk, s.t[i], Number.isFinite(v) ? v : null);
    }
  }

  const writeTx = db.transaction((key: string, series: Series[], from: number, to: number, fetchedAt: number) => {
    for (const s of series) {
      const lk = labelsKey(s.labels);
      putLabels.run(key, lk, JSON.stringify(s.labels));
      putRows(key, s, lk, 0, s.t.length);
    }
    addCoverage(key, from, to, fetchedAt);
  });
  const chunkTx = db.transaction((key: string, s: Series, lk: string, start: number, end: number, first: boolean) => {
    if (first) putLabels.run(key, lk, JSON.stringify(s.labels));
    putRows(key, s, lk, start, end);
  });
  const coverageTx = db.transaction((key: string, from: number, to: number, fetchedAt: number) =>
    addCoverage(key, from, to, fetchedAt),
  );

  /**
   * Live refreshes add a short range every step: past a few dozen rows a key's coverage is rewritten merged (the
   * same ranges and oldest fetch times the read-time merge gives), so reading it stays one short scan.
   */
  function addCoverage(key: string, from: number, to: number, fetchedAt: number): void {
    putCoverage.run(key, from, to, fetchedAt);
    if ((coverageCount.get(key) as number) <= COVERAGE_ROWS_KEPT) return;
    const merged = coverage(key);
    dropCoverage.run(key);
    for (const c of merged) putCoverage.run(key, c.from, c.to, c.fetchedAt);
  }

  function coverage(key: string): Coverage[] {
    // Merge overlapping ranges; the merged range's fetchedAt is the oldest of its parts (the honest staleness).
    const merged: Coverage[] = [];
    for (const c of coverageRows.all(key) as Coverage[]) {
      const last = merged[merged.length - 1];
      if (last && c.from <= last.to) {
        last.to = Math.max(last.to, c.to);
        last.fetchedAt = Math.min(last.fetchedAt, c.fetchedAt);
      } else merged.push({ ...c });
    }
    return merged;
  }

  return {
    coverage,
    /** Sub-ranges of [from, to] not yet fetched. */
    missing(key: string, from: number, to: number): [number, number][] {
      return missingRanges(coverage(key), from, to);
    },
    /** One transaction; `fetchedAt` (default now) dates the coverage, which the staleness of a failing provider is read from. */
    write(key: string, series: Series[], from: number, to: number, fetchedAt = now()): void {
      writeTx(key, series, from, to, fetchedAt);
    },
    /**
     * The same write as short transactions of at most `rows` points, one per step of the iterator (the core's series
     * worker yields between them, so its other requests are answered meanwhile). The main thread's writes do not wait
     * for these at all: the cache has its own file (series-database.ts). The coverage row comes last: a reader never
     * takes a range as fetched before all of its points are in.
     */
    *writeInChunks(
      key: string,
      series: Series[],
      from: number,
      to: number,
      fetchedAt: number,
      rows = 4_000,
    ): Generator<void> {
      for (const s of series) {
        const lk = labelsKey(s.labels);
        for (let start = 0; start === 0 || start < s.t.length; start += rows) {
          chunkTx(key, s, lk, start, Math.min(s.t.length, start + rows), start === 0);
          yield;
        }
      }
      coverageTx(key, from, to, fetchedAt);
    },
    read(key: string, from: number, to: number): Series[] {
      const out: Series[] = [];
      for (const l of labelRows.all(key) as { labels_key: string; labels_json: string }[]) {
        // Rows as arrays, not objects: a week of 1-minute steps is 10,080 rows per series.
        const rows = pointRows.all(key, l.labels_key, from, to) as [number, number | null][];
        const t = new Float64Array(rows.length);
        const v = new Float64Array(rows.length);
        for (let i = 0; i < rows.length; i++) {
          t[i] = rows[i][0];
          v[i] = rows[i][1] ?? Number.NaN;
        }
        out.push({ labels: JSON.parse(l.labels_json), t, v });
      }
      return out;
    },
  };
}

export type SeriesCache = ReturnType<typeof createSeriesCache>;
