import { afterEach, describe, expect, it } from 'vitest';
import { RampartError } from '../../shared/errors';
import { decision, planHarness } from './support/harness';

const MIN = 60_000;
const STEP = 10_000; // the watch's stepSec
let h: ReturnType<typeof planHarness>;
afterEach(() => h?.close());

const steps = (...xs: number[]) => xs.map((exposure) => ({ exposure }));

/** One tick on a fresh data step with the given action. */
async function tickWith(action: 'advance' | 'hold' | 'rollback', advanceMs = STEP) {
  h.advance(advanceMs);
  h.decide(decision(h.clock.now, action));
  await h.runner.tick();
}

describe('a plan climbs its ladder on its own', () => {
  it('starts with the first step at once, then advances one step per passing, baked decision to completion', async () => {
    h = planHarness({ exposure: 0 });
    const p = await h.service.start(
      {
        connectionId: 'mem',
        flagKey: 'checkout-v2',
        env: 'production',
        policy: { steps: steps(1, 5, 25), bakeMs: MIN },
        comment: 'guarded rollout',
      },
      h.person,
    );
    expect(p).toMatchObject({ state: 'running', stepIndex: 0, expected: { exposure: 1 } });
    expect(h.writes).toEqual(['ramp 1 cli']);
    await tickWith('advance'); // 10 s into a 60 s bake: nothing
    expect(h.writes).toHaveLength(1);
    expect(h.plan(p.id).reason).toMatch(/^baking: 50 s left of 1 min/);
    await tickWith('advance', MIN);
    expect(h.writes).toEqual(['ramp 1 cli', 'ramp 5 plan']);
    await tickWith('advance', MIN);
    expect(h.writes.at(-1)).toBe('ramp 25 plan');
    expect(h.plan(p.id)).toMatchObject({ state: 'completed', stepIndex: 2, expected: { exposure: 25 } });
    expect(h.events(p.id)).toEqual(['start', 'advance', 'advance', 'advance', 'complete']);
    expect(h.audits).toEqual(['plan-start cli alice', 'plan-complete plan autopilot']);
    expect(h.notices).toEqual(['started', 'advanced', 'advanced', 'advanced', 'completed']);
    await tickWith('advance', MIN);
    expect(h.writes).toHaveLength(3); // a completed plan is not driven any more
  });

  it('rolls back on the decision, confirmed by read-back, then verifies the recovery', async () => {
    h = planHarness({ exposure: 0 });
    const p = await h.service.start(
      {
        connectionId: 'mem',
        flagKey: 'checkout-v2',
        env: 'production',
        policy: { steps: steps(5, 50, 100), recoveryMs: 5 * MIN },
        comment: 'go',
      },
      h.person,
    );
    await tickWith('rollback');
    expect(h.writes).toEqual(['ramp 5 cli', 'rollback plan']);
    expect(h.plan(p.id)).toMatchObject({
      state: 'rolled-back',
      expected: { exposure: 0 },
      recovery: { status: 'verifying' },
      rollback: { by: 'autopilot' },
    });
    expect(h.notices).toContain('rollback');
    await tickWith('rollback'); // verifying: no second rollback
    expect(h.writes.filter((w) => w.startsWith('rollback'))).toHaveLength(1);
    h.recover({ status: 'recovered', at: h.clock.now, message: 'recovered at 10:07 UTC, 3 min after rollback' });
    await tickWith('hold');
    expect(h.plan(p.id)).toMatchObject({
      state: 'recovered',
      recovery: { status: 'recovered', message: 'recovered at 10:07 UTC, 3 min after rollback' },
    });
    expect(h.audits).toContain('plan-recovery plan autopilot');
    expect(h.notices.at(-1)).toBe('recovered');
  });

  it('says "not recovered" with an alert when the metric does not come back within the recovery window', async () => {
    h = planHarness({ exposure: 0 });
    const p = await h.service.start(
      {
        connectionId: 'mem',
        flagKey: 'checkout-v2',
        env: 'production',
        policy: { steps: steps(5, 100), recoveryMs: 2 * MIN },
        comment: 'go',
      },
      h.person,
    );
    await tickWith('rollback');
    h.recover({ status: 'waiting', message: 'not back yet: p99 at 1.40× its baseline' });
    await tickWith('hold', MIN);
    expect(h.plan(p.id).state).toBe('rolled-back');
    await tickWith('hold', 2 * MIN);
    expect(h.plan(p.id)).toMatchObject({
      state: 'not-recovered',
      reason: 'not recovered after 2 min: look beyond this flag (not back yet: p99 at 1.40× its baseline)',
    });
    expect(h.notices.at(-1)).toBe('not-recovered');
  });

  it('retries a rollback that failed, on the next tick, for the same decision', async () => {
    h = planHarness({ exposure: 0 });
    const p = await h.service.start(
      {
        connectionId: 'mem',
        flagKey: 'checkout-v2',
        env: 'production',
        policy: { steps: steps(5, 100) },
        comment: 'go',
      },
      h.person,
    );
    h.fail.write = new RampartError('unreachable', 'Unleash: unreachable');
    await tickWith('rollback');
    expect(h.plan(p.id)).toMatchObject({
      state: 'running',
      reason: expect.stringMatching(/^ROLLBACK FAILED, retrying/),
    });
    h.fail.write = null;
    await h.runner.tick(); // same data step: the failed rollback did not consume it
    expect(h.writes.filter((w) => w.startsWith('rollback'))).toHaveLength(2);
    expect(h.plan(p.id).state).toBe('rolled-back');
  });

  it('pauses when someone else moves the flag, and resumes from where they left it', async () => {
    h = planHarness({ exposure: 0 });
    const p = await h.service.start(
      {
        connectionId: 'mem',
        flagKey: 'checkout-v2',
        env: 'production',
        policy: { steps: steps(1, 5, 25, 50, 100), bakeMs: 0 },
        comment: 'go',
      },
      h.person,
    );
    h.flag.exposure = 30; // a person in the vendor's UI
    await tickWith('advance');
    expect(h.plan(p.id)).toMatchObject({ state: 'paused', pausedBy: 'outside-change' });
    expect(h.notices).toContain('paused');
    await tickWith('rollback'); // never fight a person: not even a rollback
    expect(h.writes).toEqual(['ramp 1 cli']);
    const resumed = await h.service.resume(p.id, 'I moved it to 30% on purpose', h.person);
    expect(resumed).toMatchObject({ state: 'running', stepIndex: 2, expected: { exposure: 30 } });
    await tickWith('advance');
    expect(h.writes.at(-1)).toBe('ramp 50 plan');
  });

  it('holds on provider errors and pauses after 4 consecutive data steps; abort still rolls back', async () => {
    h = planHarness({ exposure: 0 });
    const p = await h.service.start(
      {
        connectionId: 'mem',
        flagKey: 'checkout-v2',
        env: 'production',
        policy: { steps: steps(5, 100) },
        comment: 'go',
      },
      h.person,
    );
    h.fail.evaluate = new RampartError('unreachable', 'Prometheus: unreachable (GET http://127.0.0.1:9/api/v1/query)');
    const states: string[] = [];
    for (let i = 0; i < 5; i++) {
      h.advance(STEP);
      await h.runner.tick();
      states.push(h.plan(p.id).state);
    }
    expect(states).toEqual(['holding', 'holding', 'holding', 'paused', 'paused']);
    expect(h.plan(p.id)).toMatchObject({
      pausedBy: 'provider-errors',
      reason: expect.stringMatching(/^4 consecutive provider errors \(limit 4\)/),
    });
    expect(h.events(p.id).filter((k) => k === 'hold' || k === 'pause')).toEqual(['hold', 'hold', 'hold', 'pause']); // each counted error is recorded
    const aborted = await h.service.abort(p.id, 'metrics are down, take no chances', h.person);
    expect(aborted).toMatchObject({ state: 'aborted', expected: { exposure: 0 }, recovery: { status: 'verifying' } });
    expect(h.writes.at(-1)).toBe('rollback cli');
    expect(h.audits).toContain('plan-abort cli alice');
  });

  it('waits at an approval gate and moves on once a person approves', async () => {
    h = planHarness({ exposure: 0 });
    const p = await h.service.start(
      {
        connectionId: 'mem',
        flagKey: 'checkout-v2',
        env: 'production',
        policy: { steps: [{ exposure: 5 }, { exposure: 50, approval: true }, { exposure: 100 }], bakeMs: 0 },
        comment: 'go',
      },
      h.person,
    );
    await tickWith('advance');
    expect(h.plan(p.id).state).toBe('awaiting-approval');
    expect(h.notices).toContain('approval-needed');
    await tickWith('advance');
    expect(h.writes).toEqual(['ramp 5 cli']);
    await h.service.approve(p.id, 'p99 flat for an hour', h.person);
    await tickWith('advance');
    expect(h.writes.at(-1)).toBe('ramp 50 plan');
    await expect(h.service.approve(p.id, 'again', h.person)).rejects.toThrow(/no step waiting for approval/);
  });

  it('refuses bad plans with a message naming the problem, and a second active plan for the same flag', async () => {
    h = planHarness({ exposure: 0 });
    const req = { connectionId: 'mem', flagKey: 'checkout-v2', env: 'production', comment: 'go' };
    await expect(h.service.start({ ...req, policy: { steps: steps(5, 2) } }, h.person)).rejects.toThrow(
      /steps must strictly increase/,
    );
    await expect(h.service.start({ ...req, policy: { steps: steps(2.5, 100) } }, h.person)).rejects.toThrow(
      /2.5% is finer than this store's 1% granularity/,
    );
    await expect(h.service.start({ ...req, policyName: 'nope' }, h.person)).rejects.toThrow(/No policy 'nope'/);
    expect(h.writes).toEqual([]);
    await h.service.start({ ...req, policy: { steps: steps(5, 100) } }, h.person);
    await expect(h.service.start(req, h.person)).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/already active/),
    });
    h.watches.clear();
    await expect(h.service.start({ ...req, flagKey: 'other' }, h.person)).rejects.toThrow(/has no watch/);
    expect(h.writes).toEqual(['ramp 5 cli']);
  });

  it('a restart finds a write it left pending and settles it from the store, without writing again', async () => {
    h = planHarness({ exposure: 0 });
    const p = await h.service.start(
      {
        connectionId: 'mem',
        flagKey: 'checkout-v2',
        env: 'production',
        policy: { steps: steps(5, 25, 100), bakeMs: 0 },
        comment: 'go',
      },
      h.person,
    );
    // A runner died after the vendor applied 25% but before it recorded the step.
    h.deps.store.mutate(p.id, (q) => ({
      plan: {
        ...q,
        pending: {
          stepIndex: 1,
          target: { enabled: true, exposure: 25 },
          from: { enabled: true, exposure: 5 },
          at: h.clock.now,
          kind: 'ramp',
        },
      },
    }));
    h.flag.exposure = 25;
    await tickWith('hold');
    expect(h.plan(p.id)).toMatchObject({ stepIndex: 1, expected: { exposure: 25 }, pending: null });
    expect(h.writes).toEqual(['ramp 5 cli']);
    expect(h.events(p.id)).toContain('adopt');
  });

  it('says so after a long gap (a laptop that slept), and makes one move, not the missed ones', async () => {
    h = planHarness({ exposure: 0 });
    const p = await h.service.start(
      {
        connectionId: 'mem',
        flagKey: 'checkout-v2',
        env: 'production',
        policy: { steps: steps(1, 5, 25, 50, 100), bakeMs: MIN },
        comment: 'go',
      },
      h.person,
    );
    await tickWith('hold');
    await tickWith('advance', 6 * 60 * MIN); // six hours later
    expect(h.writes).toEqual(['ramp 1 cli', 'ramp 5 plan']);
    expect(h.events(p.id)).toContain('gap');
  });
});
