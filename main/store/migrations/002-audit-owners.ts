import type { Migration } from '../migrations';

/**
 * Schema 2: the audit tells the whole truth (docs/security.md, "Writes to a flag store").
 *
 * - Every row names its owner (the writing process: registry id, pid, host, start time) and the door it came through;
 *   rows carry a `reason` (why a refusal happened) and a JSON `detail` (decision snapshot, concurrent edit, reach proof).
 * - New results: unknown, superseded, refused. New phases: `settle` (a later read-back settles an `unknown` or an
 *   orphaned intent; any number of them) and `event` (a one-row settled action: a refusal before any write, a plan
 *   transition). Only the head row of an action (intent or event) is unique, so no second outcome — a reconcile
 *   racing a slow owner — can ever crash a live process on a UNIQUE constraint.
 * - `processes` is the owner registry with a heartbeat: reconcile settles an intent only when its owner is gone.
 *
 * SQLite cannot widen a CHECK in place, so the audit table is rebuilt: rows copied verbatim (seq kept), the old
 * table dropped (DROP fires no row triggers), the append-only triggers recreated on the new one.
 */
export const auditOwners: Migration = {
  version: 2,
  name: 'audit owners, doors, detail and settle rows',
  sql: `
      CREATE TABLE audit_log_v2 (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        action_id TEXT NOT NULL,
        phase TEXT NOT NULL CHECK (phase IN ('intent', 'result', 'settle', 'event')),
        at INTEGER NOT NULL,
        user TEXT NOT NULL,
        door TEXT CHECK (door IS NULL OR door IN ('electron', 'http', 'cli', 'plan', 'alertmanager')),
        owner_id TEXT, owner_pid INTEGER, owner_host TEXT, owner_started_at INTEGER,
        connection_id TEXT NOT NULL, flag_key TEXT NOT NULL, env TEXT NOT NULL,
        action TEXT NOT NULL,
        from_json TEXT, to_json TEXT,
        comment TEXT NOT NULL,
        result TEXT CHECK (result IS NULL OR result IN
          ('done', 'failed', 'unknown', 'superseded', 'refused', 'reconciled-done', 'reconciled-failed')),
        error TEXT,
        reason TEXT,
        detail_json TEXT,
        override INTEGER NOT NULL DEFAULT 0);
      INSERT INTO audit_log_v2 (seq, action_id, phase, at, user, connection_id, flag_key, env, action, from_json, to_json,
          comment, result, error, override)
        SELECT seq, action_id, phase, at, user, connection_id, flag_key, env, action, from_json, to_json,
          comment, result, error, override FROM audit_log ORDER BY seq;
      DROP TABLE audit_log;
      ALTER TABLE audit_log_v2 RENAME TO audit_log;
      CREATE UNIQUE INDEX audit_one_head_per_action ON audit_log (action_id) WHERE phase IN ('intent', 'event');
      CREATE INDEX audit_by_action ON audit_log (action_id, seq);
      CREATE INDEX audit_by_flag ON audit_log (connection_id, flag_key, env, seq);
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

      -- Which processes write to this data dir, and whether they are still alive (heartbeat + pid/start token).
      CREATE TABLE processes (
        id TEXT PRIMARY KEY,
        pid INTEGER NOT NULL,
        host TEXT NOT NULL,
        started_at INTEGER NOT NULL,
        start_token TEXT,
        heartbeat_ms INTEGER NOT NULL,
        heartbeat_at INTEGER NOT NULL,
        ended_at INTEGER);
    `,
};
