import type { WatchDecision } from '../../shared/domain/decision';
import { watchStepMs as stepOfWatch, type Watch } from '../../shared/domain/metrics';
import type { NoticeKind, Plan } from '../../shared/domain/plans';
import type { AuditAction } from '../../shared/domain/audit';
import type { PlanStore } from './plan-store';
import type { Leases } from './lease';
import type { RecoveryCheck } from './recovery';

export interface NotifyOutcome {
  annotations?: Plan['annotations'];
  /** One line per sink that could not be told (no secret in it). */
  failures: string[];
}

/** A write the plan makes, through the rollout service (read-compare-write, audit, read-back). */
export interface PlanWrite {
  connectionId: string;
  flagKey: string;
  env: string;
  comment: string;
  /** How the action reached the core: the runner ('plan') or an inbound alert ('alertmanager'), or a person's door. */
  door: string;
  /** Who acts: `autopilot`, `alertmanager:<trigger>`, or the person. */
  user: string;
  /** The decision snapshot and the plan's facts, for the audit row's detail. */
  detail: Record<string, unknown>;
}

export interface WriteResult {
  actionId: string;
  readBack: { enabled: boolean; exposure: number | null };
}

/**
 * Everything plans need from the rest of the core, as functions: the runner, the service and the tests depend on
 * this and nothing else (the core wires it in main/plans/index.ts).
 */
export interface PlanDeps {
  store: PlanStore;
  leases: Leases;
  now: () => number;
  user: () => string;
  /** The flag as the store serves it in `env`, read live. */
  liveState: (
    connectionId: string,
    flagKey: string,
    env: string,
  ) => Promise<{ enabled: boolean; exposure: number | null }>;
  exposureStep: (connectionId: string) => number;
  watch: (watchId: string) => Watch | undefined;
  watchFor: (connectionId: string, flagKey: string, env: string) => Watch | undefined;
  /** The watch's one decision (docs/design.md "One decision, many consumers"). */
  evaluate: (watch: Watch, at: number) => Promise<WatchDecision>;
  ramp: (w: PlanWrite & { to: number; expected: number | null }) => Promise<WriteResult>;
  rollback: (w: PlanWrite) => Promise<WriteResult>;
  /** A non-write transition in the audit log (plan-start, pause, …). Never throws into the plan. */
  audit: (a: {
    action: AuditAction;
    plan: Plan;
    comment: string;
    door: string;
    user: string;
    detail: Record<string, unknown>;
  }) => void;
  /** People and change-event sinks: resolves with sink state to keep (Grafana region ids) and delivery failures. */
  notify: (plan: Plan, kind: NoticeKind, text: { title: string; body: string }) => Promise<NotifyOutcome>;
  recovery: RecoveryCheck;
  /** Push `plans:updated` to every door. */
  updated: (plan: Plan) => void;
}

/** The data step of a watch (shared/domain/metrics.ts owns the rule); 60 s when the watch is gone. */
export function watchStepMs(watch: Watch | undefined): number {
  return watch ? stepOfWatch(watch) : 60_000;
}
