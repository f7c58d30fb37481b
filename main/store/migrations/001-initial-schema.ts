import type { Migration } from '../migrations';

export const initialSchema: Migration = {
  version: 1,
  name: 'initial schema',
  sql: `
      CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);

      -- Connection settings only: secrets live in the OS keychain (Electron) or in named env vars (host, CLI).
      CREATE TABLE connections (
        id TEXT PRIMARY KEY, kind TEXT NOT NULL, json TEXT NOT NULL,
        created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);

      -- Every flag change seen: vendor history, file-watch diffs, Rampart's own writes. id is stable per source.
      CREATE TABLE flag_changes (
        id TEXT PRIMARY KEY, connection_id TEXT NOT NULL, flag_key TEXT NOT NULL, env TEXT NOT NULL,
        at INTEGER NOT NULL, kind TEXT NOT NULL, json TEXT NOT NULL);
      CREATE INDEX flag_changes_by_flag ON flag_changes (connection_id, flag_key, env, at);
      CREATE INDEX flag_changes_by_time ON flag_changes (at);

      -- Last known state of each flag, shown as stale (with its age) when the store is unreachable.
      CREATE TABLE flag_snapshots (
        connection_id TEXT NOT NULL, flag_key TEXT NOT NULL, json TEXT NOT NULL, fetched_at INTEGER NOT NULL,
        PRIMARY KEY (connection_id, flag_key));

      CREATE TABLE watches (
        id TEXT PRIMARY KEY, flag_connection_id TEXT NOT NULL, flag_key TEXT NOT NULL, env TEXT NOT NULL,
        json TEXT NOT NULL, UNIQUE (flag_connection_id, flag_key, env));

      -- Series cache: one row per point; NaN is stored as NULL. Coverage says which ranges were fetched.
      CREATE TABLE series_labels (
        query_key TEXT NOT NULL, labels_key TEXT NOT NULL, labels_json TEXT NOT NULL,
        PRIMARY KEY (query_key, labels_key)) WITHOUT ROWID;
      CREATE TABLE series_points (
        query_key TEXT NOT NULL, labels_key TEXT NOT NULL, t INTEGER NOT NULL, v REAL,
        PRIMARY KEY (query_key, labels_key, t)) WITHOUT ROWID;
      CREATE TABLE series_coverage (
        query_key TEXT NOT NULL, from_ms INTEGER NOT NULL, to_ms INTEGER NOT NULL, fetched_at INTEGER NOT NULL);
      CREATE INDEX series_coverage_by_key ON series_coverage (query_key, from_ms);

      -- The audit log: an intent row before each vendor write, a result row after. Append-only.
      CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        action_id TEXT NOT NULL,
        phase TEXT NOT NULL CHECK (phase IN ('intent', 'result')),
        at INTEGER NOT NULL,
        user TEXT NOT NULL,
        connection_id TEXT NOT NULL, flag_key TEXT NOT NULL, env TEXT NOT NULL,
        action TEXT NOT NULL,
        from_json TEXT, to_json TEXT,
        comment TEXT NOT NULL,
        result TEXT CHECK (result IS NULL OR result IN ('done', 'failed', 'reconciled-done', 'reconciled-failed')),
        error TEXT,
        override INTEGER NOT NULL DEFAULT 0);
      CREATE UNIQUE INDEX audit_one_row_per_phase ON audit_log (action_id, phase);
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
    `,
};
