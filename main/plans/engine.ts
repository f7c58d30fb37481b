import type { WatchDecision } from '../../shared/domain/decision';
import type { Plan } from '../../shared/domain/plans';
import { scheduleAllows } from '../../shared/domain/plan-schedule';
import {
  bakeStatus,
  describeExposure,
  formatDuration,
  sameState,
  stepRules,
  treatmentSamples,
  snapshotOf,
} from './step-rules';

/** The write, its read-back and the change's timestamp differ by moments: a window from then is this step's data. */
const STEP_START_SLACK_MS = 5_000;
const WAITING_FOR_STEP_DATA = "waiting for this step's data: the last decision judged the split before it";

/**
 * The loop's rules, pure (issue 12 "The loop"): given the plan as stored, the flag as the store serves it now, and
 * the watch's one decision, what must the runner do? No I/O here, so every rule is unit-tested on its own and the
 * runner (runner.ts) only carries moves out. Order matters and is the policy:
 *   1. a write the plan left pending is settled against the store's real state (a restart never replays it);
 *   2. a flag that moved outside the plan pauses it — never fight a person;
 *   3. provider errors hold, and pause after `maxProviderErrors` consecutive data steps;
 *   4. only a NEW data step is acted on; rollback first — never held by a window, an approval gate or a pause by
 *      a person or by errors;
 *   5. a paused or awaiting plan never advances; hold while inconclusive; advance only when baked, sampled,
 *      passing, inside the window, and approved where a gate is.
 */
export type Live = { enabled: boolean; exposure: number | null } | { error: string };

export interface TickInput {
  plan: Plan;
  now: number;
  live: Live;
  exposureStep: number;
  /** The watch's decision now, or null with `decisionError` when it could not be evaluated. */
  decision: WatchDecision | null;
  decisionError: string | null;
  /** The watch's data step: provider errors are counted once per step, not once per tick. */
  stepMs: number;
}

export type Move =
  | { kind: 'none'; reason?: string; patch?: Partial<Plan> }
  | { kind: 'adopt'; reason: string }
  | { kind: 'drop-pending'; reason: string }
  | {
      kind: 'pause';
      by: NonNullable<Plan['pausedBy']>;
      reason: string;
      patch?: Partial<Plan>;
      /** What the store served when a change outside the plan paused it (the views show it, not the plan's step). */
      served?: { enabled: boolean; exposure: number | null };
    }
  | { kind: 'state'; state: 'running' | 'holding'; reason: string; patch?: Partial<Plan> }
  | { kind: 'await-approval'; stepIndex: number; reason: string; patch: Partial<Plan> }
  | { kind: 'advance'; toIndex: number; exposure: number; reason: string; patch: Partial<Plan> }
  | { kind: 'rollback'; reason: string; patch: Partial<Plan> };

const DONE_STATES = new Set(['recovered', 'not-recovered', 'completed', 'aborted', 'rolled-back']);

export function decideTick(x: TickInput): Move {
  const p = x.plan;
  if (DONE_STATES.has(p.state)) return { kind: 'none' };
  if ('error' in x.live)
    return { kind: 'none', reason: `flag store unreachable, nothing can be done until it answers: ${x.live.error}` };
  const live = x.live;

  if (p.pending) {
    if (sameState(live, p.pending.target, x.exposureStep))
      return {
        kind: 'adopt',
        reason: `found the ${p.pending.kind} to ${describeExposure(p.pending.target)} applied in the store`,
      };
    if (sameState(live, p.pending.from, x.exposureStep))
      return {
        kind: 'drop-pending',
        reason: `the ${p.pending.kind} to ${describeExposure(p.pending.target)} did not land; the store still serves ${describeExposure(live)}`,
      };
    return {
      kind: 'pause',
      by: 'outside-change',
      served: live,
      reason: `the flag is at ${describeExposure(live)}: neither the plan's ${describeExposure(p.pending.from)} nor its target ${describeExposure(p.pending.target)}`,
    };
  }
  if (!sameState(live, p.expected, x.exposureStep)) {
    if (p.state === 'paused' && p.pausedBy === 'outside-change') return { kind: 'none' };
    return {
      kind: 'pause',
      by: 'outside-change',
      served: live,
      reason: `changed outside the plan: the store serves ${describeExposure(live)}, the plan left it at ${describeExposure(p.expected)}`,
    };
  }
  if (p.state === 'paused' && p.pausedBy === 'outside-change') return { kind: 'none' };
  if (p.stepIndex < 0) return firstStep(p, x.now);

  const failure = x.decisionError ?? (x.decision?.stale ? `metrics are stale: ${x.decision.stale.message}` : null);
  if (failure) return providerFailure(p, x.now, x.stepMs, failure);
  const d = x.decision;
  if (!d) return { kind: 'none' };
  if (p.lastDataStep !== null && d.step <= p.lastDataStep) return { kind: 'none' };

  const snapshot = snapshotOf(d);
  const seen: Partial<Plan> = {
    lastDataStep: d.step,
    lastDecision: snapshot,
    providerErrors: 0,
    lastProviderErrorAt: null,
  };
  if (d.action === 'rollback') return { kind: 'rollback', reason: d.reason, patch: seen };
  // Paused and awaiting plans only record what they saw: a person resumes or approves them.
  if (p.state === 'paused' || p.state === 'awaiting-approval') return { kind: 'none', patch: seen };
  if (d.action === 'hold') return { kind: 'state', state: 'holding', reason: d.reason, patch: seen };

  const next = p.stepIndex + 1;
  if (next >= p.policy.steps.length) return { kind: 'none', patch: seen };
  // A pass over data from before this step began judged the previous split: never advance on it (with no bake
  // floor a plan went 60 → 70 % four seconds after its first write, on the old step's decision).
  if (d.verdict.canary.from < p.stepStartedAt - STEP_START_SLACK_MS)
    return { kind: 'state', state: 'running', reason: WAITING_FOR_STEP_DATA, patch: seen };
  const ready = readiness({ ...p, ...seen }, x.now);
  if (ready) return { kind: 'state', state: 'running', reason: ready, patch: seen };
  const rules = stepRules(p, next);
  if (rules.approval && !p.approved.includes(next)) {
    const reason = `ready for ${describeExposure({ enabled: true, exposure: rules.exposure })}: waiting for a person's approval`;
    return { kind: 'await-approval', stepIndex: next, reason, patch: seen };
  }
  return {
    kind: 'advance',
    toIndex: next,
    exposure: rules.exposure,
    reason: `${d.reason}; step baked and sampled`,
    patch: seen,
  };
}

/**
 * What holds the first step (0 → step 1) back: its approval gate, then the change window and the freeze dates — the
 * same rules as every other step (docs/autopilot.md). `plan start` and the runner both ask this; null means go.
 */
export function firstStepGate(p: Plan, now: number): { state: 'awaiting-approval' | 'holding'; reason: string } | null {
  const rules = stepRules(p, 0);
  const to = describeExposure({ enabled: true, exposure: rules.exposure });
  if (rules.approval && !p.approved.includes(0))
    return { state: 'awaiting-approval', reason: `ready for ${to}: waiting for a person's approval` };
  const window = scheduleAllows(p.policy, now);
  if (!window.open) return { state: 'holding', reason: `first step to ${to} waits: ${window.reason}` };
  return null;
}

/** Nothing is exposed yet, so there is no treatment data to wait for: only the gate, the window and a pause hold it. */
function firstStep(p: Plan, now: number): Move {
  if (p.state === 'paused') return { kind: 'none' };
  const gate = firstStepGate(p, now);
  if (!gate) {
    const exposure = stepRules(p, 0).exposure;
    return {
      kind: 'advance',
      toIndex: 0,
      exposure,
      reason: 'first step: there is no treatment data to wait for',
      patch: {},
    };
  }
  if (gate.state === 'awaiting-approval')
    return p.state === 'awaiting-approval'
      ? { kind: 'none' }
      : { kind: 'await-approval', stepIndex: 0, reason: gate.reason, patch: {} };
  return p.state === 'holding' && p.reason === gate.reason
    ? { kind: 'none' }
    : { kind: 'state', state: 'holding', reason: gate.reason, patch: {} };
}

/** Why the current step may not advance yet (bake, samples, window), or null when it may. */
export function readiness(p: Plan, now: number): string | null {
  if (p.stepIndex < 0) return null; // 0 → first step: there is no treatment data to wait for
  const bake = bakeStatus(p, now);
  if (bake.remainingMs > 0)
    return `baking: ${formatDuration(bake.remainingMs)} left of ${formatDuration(bake.requiredMs)}${bake.estimateMs !== null && bake.estimateMs > bake.floorMs ? ' (the decision’s own estimate)' : ''}`;
  const need = stepRules(p, p.stepIndex).minSamples;
  const have = p.lastDecision && p.lastDecision.step > p.stepStartedAt ? treatmentSamples(p.lastDecision) : null;
  if (need > 0 && (have === null || have < need))
    return have === null
      ? `waiting for samples: the watch has no request count to compare with ${need}`
      : `waiting for samples: ${have} of ${need} treatment requests`;
  const window = scheduleAllows(p.policy, now);
  if (!window.open) return `ready, but ${window.reason}`;
  return null;
}

function providerFailure(p: Plan, now: number, stepMs: number, message: string): Move {
  const counts = p.lastProviderErrorAt === null || now - p.lastProviderErrorAt >= stepMs;
  const errors = counts ? p.providerErrors + 1 : p.providerErrors;
  const patch: Partial<Plan> = counts ? { providerErrors: errors, lastProviderErrorAt: now } : {};
  const max = p.policy.maxProviderErrors;
  if (p.state === 'paused') return { kind: 'none', patch };
  if (errors >= max)
    return {
      kind: 'pause',
      by: 'provider-errors',
      reason: `${errors} consecutive provider errors (limit ${max}): ${message}`,
      patch,
    };
  return {
    kind: 'state',
    state: 'holding',
    reason: `metrics provider failing (${errors} of ${max} before pausing): ${message}`,
    patch,
  };
}
