import { describe, expect, it } from 'vitest';
import { actionModel, type ActionInputs } from '../../renderer/src/lib/decision';

/** Tester 2 F6: with a plan driving the flag, the decision bar follows the plan, not a manual jump to another step. */
type Decision = NonNullable<ActionInputs['decision']>;
const decision = (action: Decision['action'], verdict: Decision['verdict']['verdict']): Decision =>
  ({ action, reason: `${action} because`, stale: null, computedAt: 0, verdict: { verdict } }) as Decision;
const base: ActionInputs = {
  decision: decision('advance', 'pass'),
  exposure: 50,
  next: 100,
  atTop: false,
  coreDown: null,
  storeStale: null,
  providerDown: null,
  totalRps: 30,
  now: 60_000,
};

describe('a plan leads the decision bar while it drives the flag', () => {
  it("makes the plan's next step the primary action and says a ramp by hand pauses the plan", () => {
    const m = actionModel({ ...base, plan: { nextExposure: 75, awaitingApproval: false } });
    expect(m.primary).toBe('plan');
    expect(m.plan?.label).toBe('Plan: next 75%');
    expect(m.ramp.label).toBe('Ramp 50% → 100% by hand (pauses the plan)…');
    expect(actionModel(base)).toMatchObject({ primary: 'ramp', ramp: { label: 'Ramp 50% → 100%' } });
  });

  it('asks for the approval the plan waits for', () => {
    const m = actionModel({ ...base, plan: { nextExposure: 75, awaitingApproval: true } });
    expect(m.plan).toMatchObject({ label: 'Plan: approve 75%…', note: expect.stringMatching(/approval/) });
  });

  it('leaves Roll back primary when the decision says roll back: a plan never holds a rollback', () => {
    const m = actionModel({
      ...base,
      decision: decision('rollback', 'fail'),
      plan: { nextExposure: 75, awaitingApproval: false },
    });
    expect(m.primary).toBe('rollback');
    expect(m.plan).toBeUndefined();
  });
});
