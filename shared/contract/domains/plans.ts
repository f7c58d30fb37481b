import { z } from 'zod';
import {
  ChangeWindow,
  FreezeDate,
  NamedPolicy,
  PLAN_STATES,
  PlanBand,
  PlanEvent,
  PlanNotice,
  PlanStepSpec,
  PlanView,
  policyName,
} from '../../domain/plans';
import { isTimeZone } from '../../domain/plan-schedule';
import { comment, envKey, epochMs, flagKey } from './common';

/**
 * Guarded rollout plans (issue 12, docs/autopilot.md). A plan acts only on its watch's decision; a person may pause,
 * resume, approve or abort (= roll back) it from any door, always with a comment, always audited.
 */
const planId = z.string().min(1).max(100);
const planAction = z.object({ planId, comment });

/** Fields a start request may set on top of a saved policy (or the defaults): no defaults here, so "unset" stays unset. */
export const PolicyOverrides = z
  .object({
    steps: z.array(PlanStepSpec).min(1).max(50),
    bakeMs: z
      .number()
      .int()
      .min(0)
      .max(30 * 86_400_000),
    minSamples: z.number().int().min(0).max(1e9),
    windows: z.array(ChangeWindow).max(20),
    freezeDates: z.array(FreezeDate).max(200),
    timeZone: z.string().refine(isTimeZone, 'an IANA time zone such as Europe/Berlin'),
    recoveryMs: z
      .number()
      .int()
      .min(60_000)
      .max(7 * 86_400_000),
    maxProviderErrors: z.number().int().min(1).max(100),
  })
  .partial()
  .strict();

export const planRequests = {
  /** Every plan across stores, active first (the Plans view); filters narrow it. */
  'plans:list': {
    input: z
      .object({
        active: z.boolean().optional(),
        connectionId: z.string().optional(),
        flagKey: flagKey.optional(),
        env: envKey.optional(),
        states: z.array(z.enum(PLAN_STATES)).optional(),
      })
      .strict(),
    output: z.array(PlanView),
  },
  'plans:get': { input: z.object({ planId }), output: PlanView },
  /** The active plan of a flag in an environment, else its newest one: the canary watch's plan strip. */
  'plans:forFlag': {
    input: z.object({ connectionId: z.string(), flagKey, env: envKey }),
    output: z.object({ plan: PlanView.nullable() }),
  },
  /** Start a plan on a flag with a watch: from a saved policy, the defaults (1 → 5 → 25 → 50 → 100 %), or overrides. */
  'plans:start': {
    input: z
      .object({
        connectionId: z.string(),
        flagKey,
        env: envKey,
        policyName: policyName.optional(),
        policy: PolicyOverrides.optional(),
        comment,
      })
      .strict(),
    output: PlanView,
  },
  'plans:pause': { input: planAction, output: PlanView },
  /** Continues from the store's real state (after someone else moved the flag: from where they left it). */
  'plans:resume': { input: planAction, output: PlanView },
  /** Approves the next step that needs approval (the one awaited, or ahead of time). */
  'plans:approve': { input: planAction, output: PlanView },
  /** Abort = roll back now, confirmed by read-back; never blocked by metrics. */
  'plans:abort': { input: planAction, output: PlanView },
  /** The decision record: every transition with the decision snapshot it rested on. */
  'plans:events': { input: z.object({ planId }), output: z.array(PlanEvent) },
  'plans:export': {
    input: z.object({ planId, format: z.enum(['json', 'markdown']) }),
    output: z.object({ filename: z.string(), mimeType: z.string(), content: z.string() }),
  },
  /**
   * Plan steps as bands for the charts: one per step held, with how it ended. One flag's (the canary watch), or,
   * without connectionId / flagKey / env, every plan's that ran in [from, to] (the incident view).
   */
  'plans:bands': {
    input: z.object({
      connectionId: z.string().optional(),
      flagKey: flagKey.optional(),
      env: envKey.optional(),
      from: epochMs,
      to: epochMs,
    }),
    output: z.array(PlanBand),
  },
  'plans:policies': { input: z.object({}).strict(), output: z.array(NamedPolicy) },
  /** Save a plan's rules by name, to start any flag of any store with them. */
  'plans:savePolicy': {
    input: z
      .object({
        name: policyName,
        description: z.string().max(500).optional(),
        policy: PolicyOverrides.required({ steps: true }),
      })
      .strict(),
    output: NamedPolicy,
  },
  'plans:removePolicy': { input: z.object({ name: policyName }), output: z.object({ removed: z.boolean() }) },
} as const;

export const planEvents = {
  /** A plan changed (state, step, reason, sink state): views refetch it. */
  'plans:updated': z.object({
    planId: z.string(),
    connectionId: z.string(),
    flagKey: z.string(),
    env: z.string(),
    state: z.enum(PLAN_STATES),
    version: z.number(),
  }),
  /** Tell a person now: desktop notifications (Electron Notification; the Notification API in the browser host). */
  'plans:notice': z.object({ notice: PlanNotice }),
} as const;
