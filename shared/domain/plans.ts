import { z } from 'zod';
import { DECISION_ACTIONS } from './decision';
import { ChangeWindow, FreezeDate, isTimeZone } from './plan-schedule';

/**
 * Guarded rollout plans (docs/design.md "Plans (autopilot)", docs/autopilot.md): one flag in one environment
 * climbs a ladder of steps on its own, acting ONLY on the watch's one decision (shared/domain/decision.ts).
 * The plan is durable state in SQLite; these schemas are its contract with every door.
 */
export const PLAN_STATES = [
  'running', // baking the current step; will advance when baked, sampled, passing and inside a window
  'holding', // the decision is inconclusive or data is missing: keep the step, wait
  'paused', // provider errors, a change made outside the plan, an alert, or a person: never advances
  'awaiting-approval', // the next step needs a person's approval
  'rolled-back', // rolled back on its own; verifying the recovery
  'recovered', // the metric returned to its baseline after the rollback
  'not-recovered', // it did not within the recovery window: look beyond this flag
  'completed', // reached the last step
  'aborted', // a person (or an alert) aborted it: rolled back
] as const;
export type PlanState = (typeof PLAN_STATES)[number];

/** States in which a runner still has work: driving, waiting, or verifying a recovery. */
export const ACTIVE_PLAN_STATES: readonly PlanState[] = [
  'running',
  'holding',
  'paused',
  'awaiting-approval',
  'rolled-back',
];
export const isActivePlanState = (s: PlanState): boolean => ACTIVE_PLAN_STATES.includes(s);

export const DEFAULT_STEPS = [1, 5, 25, 50, 100] as const;
/** Argo Rollouts' consecutiveErrorLimit default, and docs/security.md's "after 4 consecutive provider errors". */
export const DEFAULT_MAX_PROVIDER_ERRORS = 4;
export const DEFAULT_BAKE_MS = 10 * 60_000;
export const DEFAULT_RECOVERY_MS = 15 * 60_000;

export const PlanStepSpec = z
  .object({
    /** Exposure of the treatment at this step, percent. */
    exposure: z.number().gt(0).max(100),
    /** Floor of this step's bake time; the decision's own estimate may ask for longer, never shorter. */
    bakeMs: z
      .number()
      .int()
      .min(0)
      .max(30 * 86_400_000)
      .optional(),
    /** Floor of treatment requests seen at this step before it may advance. */
    minSamples: z.number().int().min(0).max(1e9).optional(),
    /** A person must approve moving TO this step. */
    approval: z.boolean().default(false),
  })
  .strict();
export type PlanStepSpec = z.infer<typeof PlanStepSpec>;

/** A plan's rules without its flag: saved by name as a policy (a template) and applied to any flag of any store. */
export const PlanPolicy = z
  .object({
    steps: z
      .array(PlanStepSpec)
      .min(1)
      .max(50)
      .refine((s) => s.every((x, i) => i === 0 || x.exposure > s[i - 1].exposure), 'steps must strictly increase'),
    bakeMs: z
      .number()
      .int()
      .min(0)
      .max(30 * 86_400_000)
      .default(DEFAULT_BAKE_MS),
    minSamples: z.number().int().min(0).max(1e9).default(0),
    /** Advance only inside one of these windows (empty: any time). Rollback is never held by a window. */
    windows: z.array(ChangeWindow).max(20).default([]),
    /** No advance on these local dates (YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD) in `timeZone`. */
    freezeDates: z.array(FreezeDate).max(200).default([]),
    timeZone: z.string().refine(isTimeZone, 'an IANA time zone such as Europe/Berlin').default('UTC'),
    /** How long to wait for the metric to return to its baseline after a rollback before alerting. */
    recoveryMs: z
      .number()
      .int()
      .min(60_000)
      .max(7 * 86_400_000)
      .default(DEFAULT_RECOVERY_MS),
    maxProviderErrors: z.number().int().min(1).max(100).default(DEFAULT_MAX_PROVIDER_ERRORS),
  })
  .strict();
export type PlanPolicy = z.infer<typeof PlanPolicy>;
export type PlanPolicyInput = z.input<typeof PlanPolicy>;

export const policyName = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9._-]{0,62}$/,
    'lower-case letters, digits, dots, dashes and underscores, up to 63 characters',
  );
export const NamedPolicy = z.object({
  name: policyName,
  description: z.string().max(500).default(''),
  policy: PlanPolicy,
  updatedAt: z.number(),
});
export type NamedPolicy = z.infer<typeof NamedPolicy>;

/** The numbers a step's decision rested on: what the audit row and the decision record carry. */
export const DecisionSnapshot = z.object({
  step: z.number(),
  computedAt: z.number(),
  action: z.enum(DECISION_ACTIONS),
  reason: z.string(),
  baseline: z.object({ kind: z.string(), from: z.number(), to: z.number(), label: z.string() }),
  canary: z.object({ from: z.number(), to: z.number(), label: z.string() }),
  verdict: z.string(),
  score: z.number(),
  metrics: z.array(
    z.object({
      name: z.string(),
      kind: z.string(),
      verdict: z.string(),
      ratio: z.number().nullable(),
      ci: z.tuple([z.number(), z.number()]).nullable(),
      pValue: z.number().nullable(),
      baselineN: z.number(),
      canaryN: z.number(),
      reason: z.string(),
    }),
  ),
  queries: z.record(z.string(), z.string()),
  guard: z.object({
    act: z.boolean(),
    trigger: z.string().nullable(),
    sustainedSteps: z.number(),
    sustain: z.number(),
    reason: z.string(),
  }),
  bakeTime: z.object({ text: z.string(), minutesMore: z.number().nullable() }).nullable(),
  stale: z.string().nullable(),
  providerErrors: z.number(),
  /** The label values of each arm the decision compared (the recovery check reads the control's). */
  arms: z
    .object({ treatment: z.array(z.string()), control: z.array(z.string()) })
    .nullable()
    .optional(),
});
export type DecisionSnapshot = z.infer<typeof DecisionSnapshot>;

const FlagPoint = z.object({ enabled: z.boolean(), exposure: z.number().nullable() });

export const Plan = z.object({
  id: z.string(),
  connectionId: z.string(),
  flagKey: z.string(),
  env: z.string(),
  watchId: z.string(),
  policyName: z.string().nullable(),
  policy: PlanPolicy,
  state: z.enum(PLAN_STATES),
  /** One sentence: why the plan is in its state ("baking: 3 min left", "p99 fails past the margin"). */
  reason: z.string(),
  /** Index into policy.steps of the step the flag is at; -1 before the first step. */
  stepIndex: z.number().int().min(-1),
  /** What the plan expects the store to serve: the last state it confirmed by read-back. */
  expected: FlagPoint,
  initial: FlagPoint,
  startedAt: z.number(),
  startedBy: z.string(),
  comment: z.string(),
  stepStartedAt: z.number(),
  /** Newest data step acted on: a decision for the same step is never acted on twice. */
  lastDataStep: z.number().nullable(),
  lastDecision: DecisionSnapshot.nullable(),
  providerErrors: z.number().int().min(0),
  lastProviderErrorAt: z.number().nullable(),
  approved: z.array(z.number().int()),
  /** Set just before a write the plan makes; a restart that finds it settles it against the store's real state. */
  pending: z
    .object({
      stepIndex: z.number().int(),
      target: FlagPoint,
      from: FlagPoint,
      at: z.number(),
      kind: z.enum(['ramp', 'rollback']),
    })
    .nullable(),
  /** Why the plan paused; 'outside-change' means a person owns the flag now: no automatic action at all. */
  pausedBy: z.enum(['person', 'provider-errors', 'outside-change', 'alert', 'store-error']).nullable(),
  rollback: z
    .object({
      at: z.number(),
      reason: z.string(),
      actionId: z.string().nullable(),
      fromExposure: z.number().nullable(),
      by: z.string(),
    })
    .nullable(),
  recovery: z
    .object({
      status: z.enum(['verifying', 'recovered', 'not-recovered']),
      deadline: z.number(),
      at: z.number().nullable(),
      message: z.string(),
    })
    .nullable(),
  /** Grafana region annotations opened per step, closed when the step ends. */
  annotations: z.array(z.object({ connectionId: z.string(), id: z.number(), stepIndex: z.number().int() })),
  finishedAt: z.number().nullable(),
  updatedAt: z.number(),
  /**
   * When the runner holding the lease began its evaluation in flight (null/absent: none): a liveness mark, written
   * without bumping `version` so it never makes a person's or the runner's compare-and-set fail.
   */
  evaluatingSince: z.number().nullable().optional(),
  version: z.number().int(),
});
export type Plan = z.infer<typeof Plan>;

export const PLAN_EVENT_KINDS = [
  'start',
  'advance',
  'hold',
  'running',
  'pause',
  'resume',
  'approval-needed',
  'approve',
  'abort',
  'rollback',
  'recovered',
  'not-recovered',
  'complete',
  'adopt',
  'gap',
  'notify-failed',
  'error',
  // a runner's decision dropped because a person (or another writer) changed the plan while it was evaluated
  'dropped',
] as const;
export type PlanEventKind = (typeof PLAN_EVENT_KINDS)[number];

/** One row of a plan's decision record: a transition with the decision it rested on. Append-only. */
export const PlanEvent = z.object({
  seq: z.number(),
  planId: z.string(),
  at: z.number(),
  kind: z.enum(PLAN_EVENT_KINDS),
  stepIndex: z.number().int(),
  exposure: z.number().nullable(),
  actor: z.string(),
  message: z.string(),
  decision: DecisionSnapshot.nullable(),
  detail: z.record(z.string(), z.unknown()),
});
export type PlanEvent = z.infer<typeof PlanEvent>;

/** What the next decision will do, and when: the strip's "next" line. */
export const PlanOutlook = z.object({
  bake: z.object({
    elapsedMs: z.number(),
    requiredMs: z.number(),
    floorMs: z.number(),
    estimateMs: z.number().nullable(),
  }),
  samples: z.object({ have: z.number().nullable(), need: z.number() }),
  window: z.object({ open: z.boolean(), reason: z.string(), nextOpenAt: z.number().nullable() }),
  /** The move the runner will make on the next new data step if nothing changes. */
  next: z.object({ action: z.string(), text: z.string(), at: z.number().nullable() }),
  steps: z.array(
    z.object({
      index: z.number().int(),
      exposure: z.number(),
      /** before: the flag was already past it when the plan started (never driven by the plan). */
      status: z.enum(['done', 'current', 'pending', 'rolled-back', 'before']),
      approval: z.boolean(),
      approved: z.boolean(),
      startedAt: z.number().nullable(),
      endedAt: z.number().nullable(),
    }),
  ),
  lease: z.object({ owner: z.string().nullable(), expiresAt: z.number().nullable(), mine: z.boolean() }),
  /** When the lease holder's evaluation in flight began (null: none): a runner stuck on a provider shows here. */
  evaluatingSince: z.number().nullable(),
  /** Whether the plan is over (completed, aborted, recovered, …): no bake or samples line any more. */
  finished: z.boolean(),
  /** Paused by a change outside the plan: what the store served then (the plan's own step is `expected`). */
  served: FlagPoint.nullable(),
});
export type PlanOutlook = z.infer<typeof PlanOutlook>;

export const PlanView = Plan.extend({ outlook: PlanOutlook });
export type PlanView = z.infer<typeof PlanView>;

/** A plan step as a band on the charts (the chart owner draws these; renderer/src/lib/bands.ts style). */
export const PlanBand = z.object({
  planId: z.string(),
  /** The plan's flag, so a chart of many flags (the incident view) can name it. */
  connectionId: z.string(),
  flagKey: z.string(),
  env: z.string(),
  stepIndex: z.number().int(),
  exposure: z.number(),
  from: z.number(),
  to: z.number(),
  /** How the step ended (or 'current'). */
  outcome: z.enum(['current', 'advanced', 'rolled-back', 'completed', 'aborted', 'paused']),
  label: z.string(),
  /** Why a rollback or an abort ended the step (its decision-record message), for the marker's tooltip; else null. */
  note: z.string().nullable(),
});
export type PlanBand = z.infer<typeof PlanBand>;

export const NOTICE_KINDS = [
  'started',
  'advanced',
  'rollback',
  'recovered',
  'not-recovered',
  'paused',
  'resumed',
  'approval-needed',
  'completed',
  'aborted',
] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];
/** What people are told by default: everything that needs or reports an intervention. */
export const DEFAULT_NOTICE_KINDS: readonly NoticeKind[] = [
  'rollback',
  'recovered',
  'not-recovered',
  'paused',
  'approval-needed',
  'completed',
  'aborted',
];

export const PlanNotice = z.object({
  planId: z.string(),
  kind: z.enum(NOTICE_KINDS),
  severity: z.enum(['info', 'warning', 'error', 'critical']),
  title: z.string(),
  body: z.string(),
  at: z.number(),
  flagKey: z.string(),
  env: z.string(),
  connectionId: z.string(),
  exposure: z.number().nullable(),
});
export type PlanNotice = z.infer<typeof PlanNotice>;

export { ChangeWindow, FreezeDate };
