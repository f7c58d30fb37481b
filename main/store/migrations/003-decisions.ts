import type { Migration } from '../migrations';

/**
 * Schema 3: the one decision per watch lives in the core, not in a viewer (docs/statistics.md "Watching live").
 *
 * - `decision_guard`: the live guard's state per watch (shared/stats guardStep, JSON): which window it belongs to
 *   and the last data step it counted, so refreshes, several viewers, the ramp guard, a CLI beside the app and a
 *   restart all see one state and can never count the same step twice.
 * - `watch_decisions`: the latest decision per watch, with the data step it includes and the hash of the watch's
 *   settings it was computed for (an edited watch starts over).
 */
export const decisionsSchema: Migration = {
  version: 3,
  name: 'guard state and latest decision per watch',
  sql: `
      CREATE TABLE decision_guard (
        watch_id TEXT PRIMARY KEY,
        window_key TEXT NOT NULL,
        last_step INTEGER NOT NULL,
        state_json TEXT NOT NULL,
        updated_at INTEGER NOT NULL);

      CREATE TABLE watch_decisions (
        watch_id TEXT PRIMARY KEY,
        step INTEGER NOT NULL,
        config_hash TEXT NOT NULL,
        json TEXT NOT NULL,
        computed_at INTEGER NOT NULL);
    `,
};
