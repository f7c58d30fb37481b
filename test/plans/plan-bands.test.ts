import { describe, expect, it } from 'vitest';
import type { Plan, PlanEvent } from '../../shared/domain/plans';
import { planBands } from '../../main/plans/plan-bands';

/** The charts' plan bands (main/plans/plan-bands.ts): one per step held, how it ended, and a rollback's reason. */
const plan = { id: 'p1', state: 'rolled-back', finishedAt: null, policy: { steps: [{}, {}, {}] } } as unknown as Plan;
const ev = (
  seq: number,
  at: number,
  kind: PlanEvent['kind'],
  stepIndex: number,
  exposure: number,
  message = '',
): PlanEvent => ({
  seq,
  planId: 'p1',
  at,
  kind,
  stepIndex,
  exposure,
  actor: 'autopilot',
  message,
  decision: null,
  detail: {},
});

describe('plan bands', () => {
  it('label each step as the strip numbers it and carry the rollback reason on the step it ended', () => {
    const events = [
      ev(1, 1_000, 'start', 0, 5),
      ev(2, 2_000, 'advance', 1, 25),
      ev(3, 2_500, 'hold', 1, 25, 'waiting for data'),
      ev(4, 3_000, 'rollback', 1, 0, 'rolled back to 0%: error_ratio above the margin'),
    ];
    expect(planBands(plan, events, 0, 10_000, 9_000)).toEqual([
      expect.objectContaining({
        stepIndex: 0,
        from: 1_000,
        to: 2_000,
        outcome: 'advanced',
        label: 'plan step 1/3 · 5%',
        note: null,
      }),
      expect.objectContaining({
        stepIndex: 1,
        from: 2_000,
        to: 3_000,
        outcome: 'rolled-back',
        label: 'plan step 2/3 · 25%',
        note: 'rolled back to 0%: error_ratio above the margin',
      }),
    ]);
  });
});
