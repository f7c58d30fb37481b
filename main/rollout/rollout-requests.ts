import type { AuditDoor } from '../../shared/domain/audit';

/** What the doors ask the rollout service (main/rollout/rollout-service.ts) to do. */

/** Who acts, through which door, and the facts to keep with the action (a plan's decision snapshot). */
export interface ActionContext {
  door: AuditDoor;
  user?: string;
  detail?: Record<string, unknown>;
}

export interface RampRequest extends ActionContext {
  connectionId: string;
  flagKey: string;
  env: string;
  to: number;
  /** The exposure the user saw (null: none); undefined: nothing is compared, the ramp sets `to` as asked. */
  expected?: number | null;
  /**
   * Whether the environment was on when the user looked (issue 9, F6): a ramp must not silently undo someone's
   * kill switch. Omitted: on/off is not compared (a ramp of an off environment turns it on, as asked).
   */
  expectedEnabled?: boolean;
  comment: string;
  override: boolean;
}

export interface RollbackRequest extends ActionContext {
  connectionId: string;
  flagKey: string;
  env: string;
  comment: string;
}

/**
 * Write a whole state, on/off and exposure (issue 14: restore a version, promote staging → production). The same
 * path as a ramp: one live read, the compare with what the user reviewed, the metrics guard when more units would
 * get the treatment, intent → write → read-back → outcome.
 */
export interface SetStateRequest extends ActionContext {
  connectionId: string;
  flagKey: string;
  env: string;
  action: 'restore' | 'promote';
  /** exposure null: leave the exposure as it is (the state has no percentage to set). */
  target: { enabled: boolean; exposure: number | null };
  /** The live state the user reviewed; a different live state is refused and nothing is written. */
  expected: { enabled: boolean; exposure: number | null };
  comment: string;
  override: boolean;
}
