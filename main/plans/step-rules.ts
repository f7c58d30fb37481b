import type { WatchDecision } from '../../shared/domain/decision';
import { formatPercent } from '../../shared/domain/flags';
import type { DecisionSnapshot, Plan, PlanStepSpec } from '../../shared/domain/plans';
import { formatDuration } from '../../shared/stats/format';

/**
 * The rules of one step, in one place for the runner (engine.ts) and the views (outlook.ts): its bake floor, its
 * sample floor, its approval gate, how long it has baked and how many treatment requests it has seen.
 */
export interface StepRules {
  exposure: number;
  bakeMs: number;
  minSamples: number;
  approval: boolean;
}

export function stepRules(plan: Pick<Plan, 'policy'>, index: number): StepRules {
  const s: PlanStepSpec | undefined = plan.policy.steps[index];
  if (!s) return { exposure: 0, bakeMs: 0, minSamples: 0, approval: false };
  return {
    exposure: s.exposure,
    bakeMs: s.bakeMs ?? plan.policy.bakeMs,
    minSamples: s.minSamples ?? plan.policy.minSamples,
    approval: s.approval,
  };
}

/** The numbers a decision rested on, trimmed to what a decision record needs (docs/autopilot.md). */
export function snapshotOf(d: WatchDecision): DecisionSnapshot {
  const v = d.verdict;
  return {
    step: d.step,
    computedAt: d.computedAt,
    action: d.action,
    reason: d.reason,
    baseline: v.baseline,
    canary: v.canary,
    verdict: v.verdict,
    score: v.score,
    metrics: v.metrics.map((m) => ({
      name: m.name,
      kind: m.kind,
      verdict: m.verdict,
      ratio: m.ratio,
      ci: m.ci,
      pValue: m.pValue,
      baselineN: m.baselineN,
      canaryN: m.canaryN,
      reason: m.reason,
    })),
    queries: v.queries,
    guard: {
      act: d.guard.act,
      trigger: d.guard.trigger,
      sustainedSteps: d.guard.sustainedSteps,
      sustain: d.guard.sustain,
      reason: d.guard.reason,
    },
    bakeTime: v.extras?.bakeTime ?? null,
    stale: d.stale ? d.stale.message : null,
    providerErrors: d.providerErrors,
    arms: d.arms ? { treatment: d.arms.treatment, control: d.arms.control } : null,
  };
}

/**
 * Treatment requests in the current step: the canary count of a metric that counts requests (errors: its total;
 * raw observations; histograms). A watch with only per-step latency values has no request count: null, unknown.
 */
export function treatmentSamples(s: DecisionSnapshot | null): number | null {
  if (!s) return null;
  const counted = s.metrics.filter((m) => m.kind !== 'latency');
  return counted.length ? Math.max(...counted.map((m) => m.canaryN)) : null;
}

export interface BakeStatus {
  elapsedMs: number;
  floorMs: number;
  /** The decision's own estimate of the whole bake this step needs (elapsed + "minutes more"), when it has one. */
  estimateMs: number | null;
  requiredMs: number;
  remainingMs: number;
}

/**
 * Bake = max(the user's floor, the judge's own estimate for this step): the latest decision's "minutes more" for
 * P(detect +25 % p99) ≥ 80 %, counted from the data step it was computed on. An estimate from before this step began
 * is ignored; no estimate (none at this traffic, or no latency metric) leaves the floor alone.
 */
export function bakeStatus(plan: Plan, now: number): BakeStatus {
  const rules = stepRules(plan, plan.stepIndex);
  const elapsedMs = Math.max(0, now - plan.stepStartedAt);
  const d = plan.lastDecision;
  const fresh = d && d.step > plan.stepStartedAt ? d : null;
  const more = fresh?.bakeTime?.minutesMore;
  const estimateMs =
    more === null || more === undefined
      ? null
      : Math.max(0, fresh!.step - plan.stepStartedAt) + Math.round(more * 60_000);
  const requiredMs = Math.max(rules.bakeMs, estimateMs ?? 0);
  return { elapsedMs, floorMs: rules.bakeMs, estimateMs, requiredMs, remainingMs: Math.max(0, requiredMs - elapsedMs) };
}

export const describeExposure = (p: { enabled: boolean; exposure: number | null }): string =>
  p.enabled ? formatPercent(p.exposure) : 'off';

/** Same served state within half the store's step: what "the flag did not move" means. */
export function sameState(
  a: { enabled: boolean; exposure: number | null },
  b: { enabled: boolean; exposure: number | null },
  exposureStep: number,
): boolean {
  const effective = (s: { enabled: boolean; exposure: number | null }) => (s.enabled ? (s.exposure ?? 100) : 0);
  return Math.abs(effective(a) - effective(b)) < Math.max(exposureStep, 1e-9) / 2 + 1e-9;
}

export { formatDuration };
