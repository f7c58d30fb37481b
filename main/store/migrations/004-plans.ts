import type { Migration } from '../migrations';

/**
 * Guarded rollout plans (issue 12, docs/autopilot.md): the plan's durable state with its lease (one runner drives
 * a plan: owner + expiry, taken over only when expired), the append-only decision record of every transition, and
 * saved policies (plan templates).
 */
export const plansSchema: Migration = {
  version: 4,
  name: 'plans',
  sql: `
      CREATE TABLE plans (
        id TEXT PRIMARY KEY,
        connection_id TEXT NOT NULL, flag_key TEXT NOT NULL, env TEXT NOT NULL,
        state TEXT NOT NULL,
        active INTEGER NOT NULL CHECK (active IN (0, 1)),
        json TEXT NOT NULL,
        version INTEGER NOT NULL,
        lease_owner TEXT, lease_expires_at INTEGER,
        created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
      -- At most one active plan per flag and environment, whichever door starts it.
      CREATE UNIQUE INDEX plans_one_active_per_flag ON plans (connection_id, flag_key, env) WHERE active = 1;
      CREATE INDEX plans_by_flag ON plans (connection_id, flag_key, env, created_at);

      -- The decision record: one row per transition, with the decision snapshot it rested on. Append-only.
      CREATE TABLE plan_events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        plan_id TEXT NOT NULL,
        at INTEGER NOT NULL,
        kind TEXT NOT NULL,
        step_index INTEGER NOT NULL,
        exposure REAL,
        actor TEXT NOT NULL,
        message TEXT NOT NULL,
        decision_json TEXT,
        detail_json TEXT NOT NULL);
      CREATE INDEX plan_events_by_plan ON plan_events (plan_id, seq);
      CREATE TRIGGER plan_events_no_update BEFORE UPDATE ON plan_events
        BEGIN SELECT RAISE(ABORT, 'plan_events is append-only'); END;
      CREATE TRIGGER plan_events_no_delete BEFORE DELETE ON plan_events
        BEGIN SELECT RAISE(ABORT, 'plan_events is append-only'); END;

      CREATE TABLE plan_policies (name TEXT PRIMARY KEY, json TEXT NOT NULL, updated_at INTEGER NOT NULL);
    `,
};
