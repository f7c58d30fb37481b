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

function labelsKey(labels: Record<string, string>): string {
  return JSON.stringify(Object.keys(labels).sort().map((k) => [k, labels[k]]));
}

/**
 * Fetched ranges in SQLite, so reopening a watch draws at once and only what is missing or newer is fetched, and
 * a provider outage still shows the last data (marked stale with its age).
 */
export function createSeriesCache(db: Db, now: () => number = Date.now) {
  const putLabels = db.prepare('INSERT OR IGNORE INTO series_labels (query_key, labels_key, labels_json) VALUES (?, ?, ?)');
  const putPoint = db.prepare('INSERT OR REPLACE INTO series_points (query_key, labels_key, t, v) VALUES (?, ?, ?, ?)');
  const putCoverage = db.prepare('INSERT INTO series_coverage (query_key, from_ms, to_ms, fetched_at) VALUES (?, ?, ?, ?)');
  const coverageRows = db.prepare('SELECT from_ms AS "from", to_ms AS "to", fetched_at AS fetchedAt FROM series_coverage WHERE query_key = ? ORDER BY from_ms');
  const labelRows = db.prepare('SELECT labels_key, labels_json FROM series_labels WHERE query_key = ?');
  const pointRows = db.prepare('SELECT t, v FROM series_points WHERE query_key = ? AND labels_key = ? AND t >= ? AND t <= ? ORDER BY t');

  const writeTx = db.transaction((key: string, series: Series[], from: number, to: number) => {
    for (const s of series) {
      const lk = labelsKey(s.labels);
      putLabels.run(key, lk, JSON.stringify(s.labels));
      for (let i = 0; i < s.t.length; i++) {
        const v = s.v[i];
        putPoint.run(key, lk, s.t[i], Number.isFinite(v) ? v : null);
      }
    }
    putCoverage.run(key, from, to, now());
  });

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
      const gaps: [number, number][] = [];
      let cursor = from;
      for (const c of coverage(key)) {
        if (c.to < cursor) continue;
        if (c.from > to) break;
        if (c.from > cursor) gaps.push([cursor, Math.min(c.from, to)]);
        cursor = Math.max(cursor, c.to);
        if (cursor >= to) break;
      }
      if (cursor < to) gaps.push([cursor, to]);
      return gaps;
    },
    write(key: string, series: Series[], from: number, to: number): void {
      writeTx(key, series, from, to);
    },
    read(key: string, from: number, to: number): Series[] {
      const out: Series[] = [];
      for (const l of labelRows.all(key) as { labels_key: string; labels_json: string }[]) {
        const rows = pointRows.all(key, l.labels_key, from, to) as { t: number; v: number | null }[];
        const t = new Float64Array(rows.length);
        const v = new Float64Array(rows.length);
        rows.forEach((r, i) => {
          t[i] = r.t;
          v[i] = r.v ?? Number.NaN;
        });
        out.push({ labels: JSON.parse(l.labels_json), t, v });
      }
      return out;
    },
  };
}

export type SeriesCache = ReturnType<typeof createSeriesCache>;
