import { WatchDecision } from '../../shared/domain/decision';
import type { Db } from '../store/database';
import type { GuardState } from './decision-judge';

/**
 * Guard state and latest decision per watch (migration 3). Writes never go backwards: a slower process (a CLI run
 * beside the app) that finishes an older step cannot overwrite a newer one, and both are written together.
 */
export function createDecisionStore(db: Db, now: () => number) {
  const getGuard = db.prepare('SELECT state_json FROM decision_guard WHERE watch_id = ?');
  const putGuard =
    db.prepare(`INSERT INTO decision_guard (watch_id, window_key, last_step, state_json, updated_at) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT(watch_id) DO UPDATE SET window_key = excluded.window_key, last_step = excluded.last_step, state_json = excluded.state_json,
      updated_at = excluded.updated_at
    WHERE excluded.window_key <> decision_guard.window_key OR excluded.last_step >= decision_guard.last_step`);
  const getLatest = db.prepare('SELECT json, config_hash FROM watch_decisions WHERE watch_id = ?');
  const putLatest =
    db.prepare(`INSERT INTO watch_decisions (watch_id, step, config_hash, json, computed_at) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT(watch_id) DO UPDATE SET step = excluded.step, config_hash = excluded.config_hash, json = excluded.json, computed_at = excluded.computed_at
    WHERE excluded.config_hash <> watch_decisions.config_hash OR excluded.step >= watch_decisions.step`);

  return {
    guard(watchId: string): GuardState | null {
      const r = getGuard.get(watchId) as { state_json: string } | undefined;
      return r ? (JSON.parse(r.state_json) as GuardState) : null;
    },
    latest(watchId: string): { decision: WatchDecision; configHash: string } | null {
      const r = getLatest.get(watchId) as { json: string; config_hash: string } | undefined;
      if (!r) return null;
      const parsed = WatchDecision.safeParse(JSON.parse(r.json));
      // A row an older build wrote in another shape is not a decision this build can vouch for: recompute.
      return parsed.success ? { decision: parsed.data, configHash: r.config_hash } : null;
    },
    /** The new step's guard state and decision, in one transaction. */
    save(watchId: string, state: GuardState, decision: WatchDecision, configHash: string): void {
      db.transaction(() => {
        putGuard.run(watchId, state.windowKey, state.lastStep, JSON.stringify(state), now());
        putLatest.run(watchId, decision.step, configHash, JSON.stringify(decision), decision.computedAt);
      })();
    },
    forget(watchId: string): void {
      db.transaction(() => {
        db.prepare('DELETE FROM decision_guard WHERE watch_id = ?').run(watchId);
        db.prepare('DELETE FROM watch_decisions WHERE watch_id = ?').run(watchId);
      })();
    },
  };
}

export type DecisionStore = ReturnType<typeof createDecisionStore>;
