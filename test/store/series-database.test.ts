import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../main/store';
import { openDatabase } from '../../main/store/database';
import { MIGRATIONS } from '../../main/store/migrations';
import { seriesPragmas } from '../../main/store/series-database';

const dirs: string[] = [];
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'rampart-series-db-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const series = [{ labels: { variant: 'on' }, t: Float64Array.from([1000, 2000]), v: Float64Array.from([1.5, NaN]) }];

/**
 * The series cache lives in series.db (main/store/series-database.ts) so the series worker's write transactions
 * never hold the lock a main-thread write — the audit intent a rollback commits first — waits on.
 */
describe('series.db beside rampart.db', () => {
  it('a main-thread write goes through while another connection is inside a series-cache write transaction', () => {
    const dir = tempDir();
    const store = openStore(dir);
    try {
      // The core's series worker, mid-chunk: its own connection, a write transaction left open.
      const worker = new Database(join(dir, 'series.db'));
      seriesPragmas(worker);
      worker.pragma('busy_timeout = 0');
      worker.exec('BEGIN IMMEDIATE');
      worker.prepare("INSERT INTO series_coverage (query_key, from_ms, to_ms, fetched_at) VALUES ('k', 0, 1, 1)").run();
      // With the cache in rampart.db each of these waited busy_timeout (5 s) in SQLite's busy handler — blocking the
      // host's thread — and then threw SQLITE_BUSY: a rollback's intent row first of all.
      const e = store.audit.intent({
        user: 'alice',
        connectionId: 'demo-flags',
        flagKey: 'checkout-v2',
        env: 'production',
        action: 'rollback',
        from: { enabled: true, exposure: 25 },
        to: { enabled: null, exposure: 0 },
        comment: 'errors climbing',
        override: false,
        door: 'cli',
      });
      expect(store.audit.list({ limit: 10 }).map((r) => r.actionId)).toContain(e.actionId);
      store.records.snapshots.save('demo-flags', [
        { key: 'checkout-v2', name: 'checkout-v2', kind: 'boolean', environments: {} } as never,
      ]);
      worker.exec('ROLLBACK');
      worker.close();
    } finally {
      store.close();
    }
  });

  it('keeps the cache across a restart, in series.db, not in rampart.db', () => {
    const dir = tempDir();
    const a = openStore(dir);
    a.series.write('q1', series, 0, 3000, 42);
    a.close();
    const b = openStore(dir);
    try {
      const got = b.series.read('q1', 0, 3000);
      expect(got).toHaveLength(1);
      expect(Array.from(got[0].t)).toEqual([1000, 2000]);
      expect(got[0].v[0]).toBe(1.5);
      expect(Number.isNaN(got[0].v[1])).toBe(true);
      expect(b.series.coverage('q1')).toEqual([{ from: 0, to: 3000, fetchedAt: 42 }]);
      // rampart.db keeps its (empty) series tables for an older Rampart on the same folder (migration 6).
      expect(b.db.prepare('SELECT count(*) FROM series_points').pluck().get()).toBe(0);
      const cacheTables = (
        b.seriesDb.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]
      ).map((r) => r.name);
      expect(cacheTables.sort()).toEqual(['schema_migrations', 'series_coverage', 'series_labels', 'series_points']);
    } finally {
      b.close();
    }
  });

  it('upgrades a rampart.db that held the cache: migration 6 empties its series tables, keeps them and the rest', () => {
    const dir = tempDir();
    const file = join(dir, 'rampart.db');
    const old = openDatabase(
      file,
      MIGRATIONS.filter((m) => m.version < 6),
    );
    old.prepare("INSERT INTO series_coverage (query_key, from_ms, to_ms, fetched_at) VALUES ('k', 0, 1, 1)").run();
    old.prepare("INSERT INTO settings (key, value) VALUES ('user.name', '\"alice\"')").run();
    // `old` stays open: an older Rampart still running on this folder while the new one upgrades it.
    const store = openStore(dir);
    try {
      expect(store.db.prepare('SELECT count(*) FROM series_coverage').pluck().get()).toBe(0);
      expect(store.db.prepare("SELECT value FROM settings WHERE key = 'user.name'").pluck().get()).toBe('"alice"');
      expect(store.series.coverage('k')).toEqual([]);
    } finally {
      store.close();
    }
    // The older process goes on writing its cache where it always did (a newer schema only stops it at its next start).
    old.prepare("INSERT INTO series_coverage (query_key, from_ms, to_ms, fetched_at) VALUES ('k', 0, 1, 1)").run();
    old.close();
  });

  it('moves an unreadable series.db aside and starts the cache afresh (it is a cache; rampart.db is refused instead)', () => {
    const dir = tempDir();
    openStore(dir).close();
    writeFileSync(join(dir, 'series.db'), 'this is not a SQLite database, it is garbage '.repeat(200));
    rmSync(join(dir, 'series.db-wal'), { force: true });
    rmSync(join(dir, 'series.db-shm'), { force: true });
    const store = openStore(dir, () => 1_700_000_000_000);
    try {
      store.series.write('q1', series, 0, 3000, 42);
      expect(store.series.read('q1', 0, 3000)).toHaveLength(1);
      expect(readdirSync(dir)).toContain('series.db.unreadable-1700000000000');
      expect(existsSync(join(dir, 'rampart.db'))).toBe(true);
    } finally {
      store.close();
    }
  });
});
