import Database from 'better-sqlite3';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrate, type Db } from './database';
import { isUnreadableError } from './database-startup';
import type { Migration } from './migrations';

/**
 * The series cache's own database file (series.db beside rampart.db). Its writer is the core's series worker, which
 * ingests provider answers in chunked transactions; in the same file as the audit log, every main-thread write — the
 * audit intent a rollback commits before it touches the store, a flag snapshot, a decision — waited in SQLite's busy
 * handler for those chunks (1, 2, 5 … 100 ms sleeps: 0.8 s of one cold start, measured with strace). Apart, the two
 * writers never share a lock.
 *
 * A cache, not a record: synchronous=NORMAL (a power cut may lose its last rows, which are fetched again), and a file
 * SQLite cannot read is moved aside (series.db.unreadable-<time>) and started afresh rather than refused — unlike
 * rampart.db (database-startup.ts), nothing in it is lost by that.
 */
export const SERIES_MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'series cache',
    // The same tables as rampart.db's migration 1 (which migration 6 empties there): one row per point, NaN as NULL;
    // coverage says which ranges were fetched.
    sql: `
      CREATE TABLE series_labels (
        query_key TEXT NOT NULL, labels_key TEXT NOT NULL, labels_json TEXT NOT NULL,
        PRIMARY KEY (query_key, labels_key)) WITHOUT ROWID;
      CREATE TABLE series_points (
        query_key TEXT NOT NULL, labels_key TEXT NOT NULL, t INTEGER NOT NULL, v REAL,
        PRIMARY KEY (query_key, labels_key, t)) WITHOUT ROWID;
      CREATE TABLE series_coverage (
        query_key TEXT NOT NULL, from_ms INTEGER NOT NULL, to_ms INTEGER NOT NULL, fetched_at INTEGER NOT NULL);
      CREATE INDEX series_coverage_by_key ON series_coverage (query_key, from_ms);`,
  },
];

/** Connection settings of every connection to the series file (the main thread's and the worker's). */
export function seriesPragmas(db: Db): void {
  db.pragma('busy_timeout = 5000');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
}

function openOnce(file: string): Db {
  const db = new Database(file);
  try {
    seriesPragmas(db);
    migrate(db, SERIES_MIGRATIONS);
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}

export function openSeriesDatabase(file: string, now: () => number = Date.now): Db {
  if (file === ':memory:') return openOnce(file);
  mkdirSync(dirname(file), { recursive: true });
  try {
    return openOnce(file);
  } catch (e) {
    if (!isUnreadableError(e)) throw e;
    const aside = `${file}.unreadable-${now()}`;
    for (const suffix of ['', '-wal', '-shm'])
      if (existsSync(`${file}${suffix}`)) renameSync(`${file}${suffix}`, `${aside}${suffix}`);
    return openOnce(file);
  }
}
