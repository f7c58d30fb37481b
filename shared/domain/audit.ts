import { z } from 'zod';
import { Exposure } from './flags';

/** What a row records: the writes Rampart makes to a flag store, and the transitions of a plan (issue 12). */
export const AUDIT_ACTIONS = [
  'ramp',
  'rollback',
  'enable',
  'disable',
  'restore',
  'promote',
  'plan-start',
  'plan-pause',
  'plan-resume',
  'plan-approve',
  'plan-abort',
  'plan-complete',
  'plan-recovery',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** How the action reached the core: a person through one of the three doors, a plan's runner, or an inbound alert. */
export const AUDIT_DOORS = ['electron', 'http', 'cli', 'plan', 'alertmanager'] as const;
export const AuditDoor = z.enum(AUDIT_DOORS);
export type AuditDoor = z.infer<typeof AuditDoor>;

/**
 * How an action ended, as far as Rampart knows now:
 * - done: confirmed by reading the flag back; failed: it did not happen (the store refused or the read-back disagrees);
 * - unknown: the outcome is not known yet (e.g. a timed-out write whose read-back failed) — it stays unknown until a
 *   later read-back settles it, and is never turned into `failed` for a write that landed;
 * - superseded: the write landed, and a later change moved the flag again before the outcome was settled;
 * - refused: nothing was sent, or the store refused on purpose: the ramp guard, a conflict with the live state, an
 *   approval or a kill switch the store cannot express — `reason` says why;
 * - reconciled-done / reconciled-failed: settled after its owner process died, from the store and its history.
 */
export const AUDIT_RESULTS = [
  'done',
  'failed',
  'unknown',
  'superseded',
  'refused',
  'reconciled-done',
  'reconciled-failed',
] as const;
export const AuditResult = z.enum(AUDIT_RESULTS);
export type AuditResult = z.infer<typeof AuditResult>;

/** Results that end an action for good; `unknown` (and pending) wait for a read-back. */
export const SETTLED_RESULTS: readonly AuditResult[] = [
  'done',
  'failed',
  'superseded',
  'refused',
  'reconciled-done',
  'reconciled-failed',
];

/** The process that wrote an intent: reconcile settles an intent only once this owner is gone. */
export const AuditOwner = z.object({ id: z.string(), pid: z.number(), host: z.string(), startedAt: z.number() });
export type AuditOwner = z.infer<typeof AuditOwner>;

const FlagPoint = z.object({ enabled: z.boolean().nullable(), exposure: Exposure });

/** One outcome row of an action, oldest first: e.g. `unknown` by its owner, then `done` when a read-back settled it. */
export const AuditOutcome = z.object({
  at: z.number(),
  result: AuditResult,
  error: z.string().nullable(),
  /** 'owner': written by the process that made the write; 'reconcile': settled by another process after it died. */
  by: z.enum(['owner', 'reconcile']),
});
export type AuditOutcome = z.infer<typeof AuditOutcome>;

/** One action as the Audit view shows it: the intent row joined with its outcome rows. */
export const AuditEntry = z.object({
  actionId: z.string(),
  at: z.number(),
  user: z.string(),
  /** null only for rows written before doors were recorded (schema 1). */
  door: AuditDoor.nullable(),
  owner: AuditOwner.nullable(),
  connectionId: z.string(),
  flagKey: z.string(),
  env: z.string(),
  action: z.enum(AUDIT_ACTIONS),
  from: FlagPoint,
  to: FlagPoint,
  comment: z.string(),
  /** pending: intent written, no outcome yet (in flight, or its owner died); the latest outcome otherwise. */
  result: z.enum(['pending', ...AUDIT_RESULTS]),
  error: z.string().nullable(),
  /** Why a refusal happened (the ramp guard's reason, the conflicting live state, the store's refusal). */
  reason: z.string().nullable(),
  /**
   * Structured facts: a plan's decision snapshot, the guard's verdict, a concurrent-edit report, a rollback's
   * treatment-reach proof, the read-back, how a reconcile decided. Never a secret (redacted before it is written).
   */
  detail: z.record(z.string(), z.unknown()).nullable(),
  finishedAt: z.number().nullable(),
  override: z.boolean(),
  trail: z.array(AuditOutcome),
});
export type AuditEntry = z.infer<typeof AuditEntry>;
