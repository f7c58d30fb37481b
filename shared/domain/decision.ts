import { z } from 'zod';
import { BASELINE_KINDS, WatchVerdict } from './verdict';
import { Staleness } from './metrics';

/**
 * The one decision per watch (docs/design.md "One decision, many consumers"): computed by the core once per new
 * data step, from the judge's per-metric decisions against the margin, on the baseline the watch supports best
 * (concurrent control when it has a variant label, else the pre-rollout window). The header, the buttons, the
 * guard card, the rows, Cohorts, the CLI's `verdict`, the ramp guard and plans all read this object — never a
 * verdict of their own — so no screen can tell a different story.
 */
export const DECISION_ACTIONS = ['advance', 'hold', 'rollback'] as const;
export type DecisionAction = (typeof DECISION_ACTIONS)[number];

export const LiveGuard = z.object({
  /** True when alerts and plans must act: always-valid fail past the margin, or a fixed-horizon fail held `sustain` new data steps. */
  act: z.boolean(),
  trigger: z.enum(['always-valid', 'sustained']).nullable(),
  /** Consecutive NEW data steps (not evaluations) whose fixed-horizon decision was fail. */
  sustainedSteps: z.number().int().min(0),
  sustain: z.number().int().min(1),
  reason: z.string(),
});
export type LiveGuard = z.infer<typeof LiveGuard>;

export const WatchDecision = z.object({
  watchId: z.string(),
  flagConnectionId: z.string(),
  flagKey: z.string(),
  env: z.string(),
  /** Epoch ms of the newest complete data step this decision includes; a new decision exists only for a new step. */
  step: z.number(),
  computedAt: z.number(),
  baseline: z.enum(BASELINE_KINDS),
  /** What to do now: advance (safe to ramp), hold (keep baking / no data), rollback (act). */
  action: z.enum(DECISION_ACTIONS),
  /** One sentence for the header and the buttons, consistent with `verdict` and `guard`. */
  reason: z.string(),
  verdict: WatchVerdict,
  guard: LiveGuard,
  /** Set when the metrics provider failed and the decision rests on cached or missing data. */
  stale: Staleness.nullable(),
  /** Consecutive provider errors for this watch's metrics connection (after 4 the UI proposes rollback). */
  providerErrors: z.number().int().min(0),
  /** Why this baseline: "concurrent control: both arms have data", or why the pre-rollout window instead. */
  baselineReason: z.string().optional(),
  /** Effective exposure (%) of the current step (0 when the flag is off), from the flag's change history. */
  exposure: z.number().optional(),
  /** The label values judged as treatment and control, and where that mapping came from. */
  arms: z.object({ treatment: z.array(z.string()), control: z.array(z.string()), source: z.string() }).optional(),
  /** The watch's step in ms: a new decision exists once per step. */
  stepMs: z.number().optional(),
});
export type WatchDecision = z.infer<typeof WatchDecision>;
