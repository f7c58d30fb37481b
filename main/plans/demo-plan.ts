import { PlanPolicy, type Plan } from '../../shared/domain/plans';
import type { Db } from '../store/database';
import { createPlanStore } from './plan-store';

/** The demo's healthy flag and where the shipped flag file has it (resources/demo/flags.json: 50 %). */
export const DEMO_PLAN_FLAG = 'search-ranker';
export const DEMO_PLAN_EXPOSURE = 50;

/**
 * The demo workspace starts with one plan running on its healthy flag (issue 12): search-ranker at 50 % on a
 * 1 → 5 → 25 → 50 → 75 → 100 % ladder, baking 15 minutes a step, saved as the policy "demo-guarded" too — so a
 * first start shows a plan strip, the Plans view and a decision record without configuring anything.
 */
export function installDemoPlan(db: Db, now: number, o: { connectionId: string; watchId: string; env: string }): void {
  const store = createPlanStore(db);
  const policy = PlanPolicy.parse({
    steps: [1, 5, 25, 50, 75, 100].map((exposure) => ({ exposure })),
    bakeMs: 15 * 60_000,
    minSamples: 1000,
  });
  store.policies.save({
    name: 'demo-guarded',
    description: 'The demo plan: six steps, 15 minutes and 1,000 treatment requests each',
    policy,
    updatedAt: now,
  });
  const at = { enabled: true, exposure: DEMO_PLAN_EXPOSURE };
  const plan: Plan = {
    id: 'plan-demo',
    connectionId: o.connectionId,
    flagKey: DEMO_PLAN_FLAG,
    env: o.env,
    watchId: o.watchId,
    policyName: 'demo-guarded',
    policy,
    state: 'running',
    reason: 'baking the current step',
    stepIndex: 3,
    expected: at,
    initial: at,
    startedAt: now,
    startedBy: 'carol (demo)',
    comment: 'Demo: a guarded rollout of the ML ranker, on its own from 50 %',
    stepStartedAt: now,
    lastDataStep: null,
    lastDecision: null,
    providerErrors: 0,
    lastProviderErrorAt: null,
    approved: [],
    pending: null,
    pausedBy: null,
    rollback: null,
    recovery: null,
    annotations: [],
    finishedAt: null,
    updatedAt: now,
    version: 0,
  };
  store.insert(plan, {
    planId: plan.id,
    at: now,
    kind: 'start',
    stepIndex: 3,
    exposure: DEMO_PLAN_EXPOSURE,
    actor: plan.startedBy,
    message: `plan started at 50%: ${plan.comment}`,
    detail: { door: 'demo' },
  });
}
