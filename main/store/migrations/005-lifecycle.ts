import type { Migration } from '../migrations';

/**
 * Flag lifecycle (issue 14):
 * - `lifecycle_observations`: when Rampart first saw each flag × environment and its current state. A store without
 *   history (a flagd file) says nothing about how long a flag has been released; this gives an "at least since".
 * - `lifecycle_reminders`: which stale flags the reminder already told people about (per stale-since), so only
 *   newly stale flags are announced.
 * - `code_ref_cache`: code references per source folder × tree (HEAD commit, plus a fingerprint of uncommitted
 *   edits) × flag key, so a second look at the same commit costs no search.
 */
export const lifecycleSchema: Migration = {
  version: 5,
  name: 'lifecycle',
  sql: `
      CREATE TABLE lifecycle_observations (
        connection_id TEXT NOT NULL, flag_key TEXT NOT NULL, env TEXT NOT NULL,
        state_key TEXT NOT NULL,
        first_seen_at INTEGER NOT NULL,
        state_since INTEGER NOT NULL,
        transitioned INTEGER NOT NULL CHECK (transitioned IN (0, 1)),
        ever_exposed INTEGER NOT NULL CHECK (ever_exposed IN (0, 1)),
        seen_at INTEGER NOT NULL,
        PRIMARY KEY (connection_id, flag_key, env));

      CREATE TABLE lifecycle_reminders (
        connection_id TEXT NOT NULL, flag_key TEXT NOT NULL, env TEXT NOT NULL,
        stale_since INTEGER NOT NULL,
        reminded_at INTEGER NOT NULL,
        PRIMARY KEY (connection_id, flag_key, env, stale_since));

      CREATE TABLE code_ref_cache (
        root TEXT NOT NULL, tree_key TEXT NOT NULL, flag_key TEXT NOT NULL,
        json TEXT NOT NULL, scanned_at INTEGER NOT NULL,
        PRIMARY KEY (root, tree_key, flag_key)) WITHOUT ROWID;
    `,
};
