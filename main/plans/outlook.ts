import { describeExposure, bakeStatus, stepRules, treatmentSamples, formatDuration } from './step-rules';
import { nextOpening, scheduleAllows } from '../../shared/domain/plan-schedule';
import {
  isActivePlanState,
  type Plan,
  type PlanEvent,
  type PlanOutlook,
  type PlanView,
} from '../../shared/domain/plans';
import type { LeaseInfo } from './lease';
import { readiness } from './engine';
import { stepSpans } from './plan-bands';

/**
 * What the plan will do next and when, for the strip, the Plans view and `plan status`: bake progress (time and
 * samples), the change window, the next move and its time, each step's status. Computed from the plan and its
 * decision record only, so every door shows the same thing.
 */
export function outlookOf(
  plan: Plan,
  events: readonly PlanEvent[],
  now: number,
  lease: LeaseInfo,
  owner: string | null,
  stepMs: number,
): PlanOutlook {
  const bake = bakeStatus(plan, now);
  const rules = stepRules(plan, plan.stepIndex);
  const window = scheduleAllows(plan.policy, now);
  const nextOpenAt = window.open ? null : nextOpening(plan.policy, now);
  const nextIndex = plan.stepIndex + 1;
  const nextExposure =
    nextIndex < plan.policy.steps.length
      ? describeExposure({ enabled: true, exposure: plan.policy.steps[nextIndex].exposure })
      : null;
  const nextData = plan.lastDataStep !== null ? Math.max(now, plan.lastDataStep + 2 * stepMs) : now + stepMs;

  let next: PlanOutlook['next'];
  const verifying = plan.recovery?.status === 'verifying';
  // Texts name no clock time: `at` carries it, and each door shows it in its own display zone.
  if (verifying)
    next = {
      action: 'verify',
      text: `verifying the recovery (alert if not back by the deadline): ${plan.recovery!.message}`,
      at: plan.recovery!.deadline,
    };
  else if (plan.state === 'paused')
    next = {
      action: 'none',
      text: `paused: ${plan.reason}. Resume to continue${plan.pausedBy === 'outside-change' ? ' from the store’s current state' : ''}`,
      at: null,
    };
  else if (plan.state === 'awaiting-approval')
    next = { action: 'approve', text: `waiting for approval to go to ${nextExposure}`, at: null };
  else if (plan.state === 'holding')
    next = {
      action: 'hold',
      text: 'hold until the decision passes; next decision on the next data step',
      at: nextData,
    };
  else if (plan.state === 'running' && nextExposure) {
    const blocker = readiness(plan, now);
    const at = bake.remainingMs > 0 ? now + bake.remainingMs : (nextOpenAt ?? nextData);
    const gate = stepRules(plan, nextIndex).approval && !plan.approved.includes(nextIndex) ? ' (then approval)' : '';
    next = {
      action: 'advance',
      text: blocker
        ? `advance to ${nextExposure}${gate} when ready — ${blocker}`
        : `advance to ${nextExposure}${gate} on the next passing decision`,
      at,
    };
  } else if (plan.state === 'completed')
    next = { action: 'none', text: 'nothing: the flag is at the last step', at: null };
  else if (plan.state === 'recovered')
    next = { action: 'none', text: 'nothing: rolled back and recovered — start a new plan to try again', at: null };
  else if (plan.state === 'not-recovered')
    next = {
      action: 'none',
      text: 'nothing more from this plan: the alert went out — look beyond this flag',
      at: null,
    };
  else if (plan.state === 'aborted')
    next = {
      action: 'none',
      text: plan.rollback ? 'nothing: aborted and rolled back' : `nothing: ${plan.reason}`,
      at: null,
    };
  else next = { action: 'none', text: plan.reason, at: null };

  const times = new Map(stepSpans(events).map((s) => [s.stepIndex, { startedAt: s.from, endedAt: s.to }]));
  const rolledBack = plan.rollback !== null;
  const steps = plan.policy.steps.map((s, index) => {
    const t = times.get(index);
    const status: PlanOutlook['steps'][number]['status'] =
      index < plan.stepIndex
        ? t
          ? 'done'
          : 'before'
        : index === plan.stepIndex
          ? rolledBack
            ? 'rolled-back'
            : plan.state === 'completed'
              ? 'done'
              : 'current'
          : 'pending';
    return {
      index,
      exposure: s.exposure,
      status,
      approval: s.approval,
      approved: plan.approved.includes(index),
      startedAt: t?.startedAt ?? null,
      endedAt: t?.endedAt ?? null,
    };
  });

  return {
    bake: {
      elapsedMs: bake.elapsedMs,
      requiredMs: bake.requiredMs,
      floorMs: bake.floorMs,
      estimateMs: bake.estimateMs,
    },
    samples: {
      have: treatmentSamples(
        plan.lastDecision && plan.lastDecision.step > plan.stepStartedAt ? plan.lastDecision : null,
      ),
      need: rules.minSamples,
    },
    window: { open: window.open, reason: window.reason, nextOpenAt },
    next,
    steps,
    lease: {
      owner: lease.owner,
      expiresAt: lease.expiresAt,
      mine: owner !== null && lease.owner === owner && (lease.expiresAt ?? 0) >= now,
    },
    evaluatingSince: plan.evaluatingSince ?? null,
    served: plan.state === 'paused' && plan.pausedBy === 'outside-change' ? servedAtPause(events) : null,
    finished: !isActivePlanState(plan.state),
  };
}

/** The store's state recorded by the newest outside-change pause (engine.ts puts it in the event's detail). */
function servedAtPause(events: readonly PlanEvent[]): PlanOutlook['served'] {
  const e = events.findLast((x) => x.kind === 'pause');
  const s = e?.detail.served as { enabled?: unknown; exposure?: unknown } | undefined;
  return s && typeof s.enabled === 'boolean' && (typeof s.exposure === 'number' || s.exposure === null)
    ? { enabled: s.enabled, exposure: s.exposure }
    : null;
}

export function viewOf(
  plan: Plan,
  events: readonly PlanEvent[],
  now: number,
  lease: LeaseInfo,
  owner: string | null,
  stepMs: number,
): PlanView {
  return { ...plan, outlook: outlookOf(plan, events, now, lease, owner, stepMs) };
}

/** One line for the CLI and notifications: "checkout-v2 production: running at 5% (step 2/5), baking: 3 min left". */
export function summaryLine(p: Plan, now: number): string {
  const at = `${describeExposure(p.expected)} (step ${p.stepIndex + 1}/${p.policy.steps.length})`;
  const age = p.lastDecision
    ? `, last decision ${formatDuration(now - p.lastDecision.computedAt)} ago: ${p.lastDecision.action}`
    : '';
  return `${p.flagKey} ${p.env}: ${p.state} at ${at} — ${p.reason}${age}`;
}
