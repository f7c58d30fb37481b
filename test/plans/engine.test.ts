import { describe, expect, it } from 'vitest';
import { decideTick, type TickInput } from '../../main/plans/engine';
import { PlanPolicy, type Plan } from '../../shared/domain/plans';
import { parseWindow } from '../../shared/domain/plan-schedule';
import { decision } from './support/harness';

const T0 = Date.parse('2025-07-14T10:00:00Z'); // a Monday
const MIN = 60_000;

function plan(over: Partial<Plan> = {}, policy: Partial<Plan['policy']> = {}): Plan {
  return {
    id: 'p1',
    connectionId: 'mem',
    flagKey: 'checkout-v2',
    env: 'production',
    watchId: 'w',
    policyName: null,
    policy: PlanPolicy.parse({
      steps: [1, 5, 25, 50, 100].map((exposure) => ({ exposure })),
      bakeMs: 10 * MIN,
      ...policy,
    }),
    state: 'running',
    reason: '',
    stepIndex: 1,
    expected: { enabled: true, exposure: 5 },
    initial: { enabled: true, exposure: 0 },
    startedAt: T0 - 60 * MIN,
    startedBy: 'alice',
    comment: 'go',
    stepStartedAt: T0 - 20 * MIN,
    lastDataStep: T0 - MIN,
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
    updatedAt: T0,
    version: 3,
    ...over,
  };
}

const input = (p: Plan, over: Partial<TickInput> = {}): TickInput => ({
  plan: p,
  now: T0,
  live: { enabled: true, exposure: 5 },
  exposureStep: 1,
  decision: decision(T0, 'advance'),
  decisionError: null,
  stepMs: MIN,
  ...over,
});

describe('the loop: one move per tick, from the one decision', () => {
  it('advances a baked, sampled, passing step to the next exposure', () => {
    expect(decideTick(input(plan()))).toMatchObject({ kind: 'advance', toIndex: 2, exposure: 25 });
  });

  it('never advances on a pass over data from before the step began (it judged the previous split)', () => {
    const old = decision(T0, 'advance');
    old.verdict.canary.from = T0 - 30 * MIN; // the step began 20 min ago
    const move = decideTick(input(plan(), { decision: old }));
    expect(move).toMatchObject({ kind: 'state', state: 'running' });
    expect(move.kind === 'state' && move.reason).toMatch(/waiting for this step's data/);
    // The same decision over this step's own window advances.
    expect(decideTick(input(plan()))).toMatchObject({ kind: 'advance', toIndex: 2 });
  });

  it('acts only on a new data step: the same data seen again does nothing', () => {
    expect(decideTick(input(plan({ lastDataStep: T0 })))).toEqual({ kind: 'none' });
    expect(decideTick(input(plan({ lastDataStep: T0 }), { decision: decision(T0, 'rollback') }))).toEqual({
      kind: 'none',
    });
  });

  it('keeps baking: the floor, and the decision’s own longer estimate', () => {
    const young = plan({ stepStartedAt: T0 - 4 * MIN });
    expect(decideTick(input(young))).toMatchObject({
      kind: 'state',
      state: 'running',
      reason: expect.stringMatching(/^baking: 6 min left of 10 min/),
    });
    const d = decision(T0, 'advance');
    d.verdict.extras!.bakeTime = { text: 'p99 25%: ≥ 15 min more', minutesMore: 15 };
    // Baked past the 10 min floor for 20 min already, but the judge wants 15 more: 35 min in all.
    expect(decideTick(input(plan(), { decision: d }))).toMatchObject({
      kind: 'state',
      reason: expect.stringMatching(/baking: 15 min left of 35 min \(the decision’s own estimate\)/),
    });
  });

  it('waits for the minimum sample of treatment requests', () => {
    const p = plan({}, { minSamples: 10_000 });
    expect(decideTick(input(p))).toMatchObject({
      kind: 'state',
      state: 'running',
      reason: 'waiting for samples: 5000 of 10000 treatment requests',
    });
  });

  it('advances only inside a change window, and never on a freeze date', () => {
    const friday = Date.parse('2025-07-18T10:00:00Z');
    const windows = [parseWindow('Mon-Thu 09:00-17:00 Europe/Berlin')];
    expect(
      decideTick(input(plan({}, { windows }), { now: friday, decision: decision(friday, 'advance') })),
    ).toMatchObject({ kind: 'state', reason: 'ready, but outside Mon-Thu 09:00-17:00 Europe/Berlin' });
    expect(decideTick(input(plan({}, { windows }))).kind).toBe('advance');
    expect(decideTick(input(plan({}, { freezeDates: ['2025-07-14'], timeZone: 'Europe/Berlin' })))).toMatchObject({
      kind: 'state',
      reason: expect.stringMatching(/freeze 2025-07-14/),
    });
  });

  it('stops at an approval gate, and passes it once approved', () => {
    const gated = { steps: [1, 5, 25, 50, 100].map((exposure) => ({ exposure, approval: exposure === 25 })) };
    expect(decideTick(input(plan({}, gated)))).toMatchObject({ kind: 'await-approval', stepIndex: 2 });
    expect(decideTick(input(plan({ approved: [2] }, gated))).kind).toBe('advance');
  });

  it('holds while the decision is inconclusive', () => {
    expect(decideTick(input(plan(), { decision: decision(T0, 'hold') }))).toMatchObject({
      kind: 'state',
      state: 'holding',
      reason: 'inconclusive: keep baking',
    });
  });

  it('rolls back at once when the decision acts — windows, gates and a person’s pause do not hold it', () => {
    const act = { decision: decision(T0, 'rollback') };
    const closed = { windows: [parseWindow('Sat 09:00-10:00 UTC')], freezeDates: ['2025-07-14'] };
    expect(decideTick(input(plan({}, closed), act)).kind).toBe('rollback');
    expect(decideTick(input(plan({ state: 'awaiting-approval' }), act)).kind).toBe('rollback');
    expect(decideTick(input(plan({ state: 'paused', pausedBy: 'person' }), act)).kind).toBe('rollback');
    expect(decideTick(input(plan({ stepStartedAt: T0 - MIN }), act)).kind).toBe('rollback'); // not baked: irrelevant
  });

  it('never fights a person: a flag moved outside the plan pauses it, and then nothing acts on it', () => {
    const moved = { live: { enabled: true, exposure: 40 } };
    expect(decideTick(input(plan(), moved))).toMatchObject({
      kind: 'pause',
      by: 'outside-change',
      reason: expect.stringMatching(/serves 40%, the plan left it at 5%/),
    });
    const paused = plan({ state: 'paused', pausedBy: 'outside-change' });
    expect(decideTick(input(paused, { ...moved, decision: decision(T0, 'rollback') }))).toEqual({ kind: 'none' });
    expect(decideTick(input(plan(), { live: { enabled: false, exposure: 5 } })).kind).toBe('pause'); // switched off
  });

  it('holds on provider errors and pauses after 4 consecutive data steps of them — not 4 ticks', () => {
    let p = plan();
    const kinds: string[] = [];
    for (let tick = 0; tick < 12; tick++) {
      const now = T0 + tick * 20_000; // ticks every 20 s, data steps every 60 s
      const move = decideTick(
        input(p, {
          now,
          decision: null,
          decisionError: 'Prometheus: unreachable (GET http://127.0.0.1:9/api/v1/query_range)',
        }),
      );
      kinds.push(move.kind === 'state' ? move.state : move.kind);
      if ('patch' in move && move.patch) p = { ...p, ...move.patch };
      if (move.kind === 'pause') break;
    }
    expect(kinds.filter((k) => k === 'pause')).toHaveLength(1);
    expect(kinds.at(-1)).toBe('pause');
    expect(p.providerErrors).toBe(4);
    expect(kinds.length).toBe(10); // errors counted at ticks 0, 3, 6, 9
  });

  it('counts a stale decision (cached data) as a provider error, and a fresh one resets the count', () => {
    const stale = decision(T0, 'advance', {
      stale: { fetchedAt: T0 - 5 * MIN, ageMs: 5 * MIN, code: 'timeout', message: 'Prometheus: timed out' },
    });
    expect(decideTick(input(plan(), { decision: stale }))).toMatchObject({
      kind: 'state',
      state: 'holding',
      reason: expect.stringMatching(/1 of 4 before pausing.*timed out/),
    });
    expect(decideTick(input(plan({ providerErrors: 3, lastProviderErrorAt: T0 - MIN })))).toMatchObject({
      kind: 'advance',
      patch: { providerErrors: 0 },
    });
  });

  it('settles a write left pending by a crash against the store’s real state', () => {
    const pending = {
      stepIndex: 2,
      target: { enabled: true, exposure: 25 },
      from: { enabled: true, exposure: 5 },
      at: T0 - MIN,
      kind: 'ramp' as const,
    };
    expect(decideTick(input(plan({ pending }), { live: { enabled: true, exposure: 25 } })).kind).toBe('adopt');
    expect(decideTick(input(plan({ pending }), { live: { enabled: true, exposure: 5 } })).kind).toBe('drop-pending');
    expect(decideTick(input(plan({ pending }), { live: { enabled: true, exposure: 60 } })).kind).toBe('pause');
  });

  it('does nothing it cannot do: the store down is said, not acted on', () => {
    expect(decideTick(input(plan(), { live: { error: 'Unleash: unreachable' } }))).toMatchObject({
      kind: 'none',
      reason: expect.stringMatching(/flag store unreachable/),
    });
    for (const state of ['completed', 'aborted', 'recovered', 'not-recovered', 'rolled-back'] as const)
      expect(decideTick(input(plan({ state }))).kind).toBe('none');
  });
});
