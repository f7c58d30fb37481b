import { afterEach, describe, expect, it } from 'vitest';
import { RampartError } from '../../shared/errors';
import { statusText } from '../../main/host/cli/plan-status-text';
import { decision, planHarness, WATCH } from './support/harness';

/**
 * The runner against people and hung providers (issue 12, tester 2's F1, F2, F3, F9, F11, F15): a person's abort or
 * pause is never overwritten by an evaluation that started before it, one hung provider never starves the other
 * plans, `plan start` holds its plan, and the first step obeys its gate and window.
 */
const STEP = 10_000;
let h: ReturnType<typeof planHarness>;
afterEach(() => h?.close());

const steps = (...xs: number[]) => xs.map((exposure) => ({ exposure }));
const req = (flagKey = 'checkout-v2') => ({ connectionId: 'mem', flagKey, env: 'production', comment: 'go' });

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** Lets the runner's evaluation reach the provider call it is waiting on. */
async function untilEvaluating(planId: string) {
  for (let i = 0; i < 100 && !h.plan(planId).evaluatingSince; i++) await new Promise((r) => setImmediate(r));
  expect(h.plan(planId).evaluatingSince, 'the runner marks the evaluation in flight').toBeTypeOf('number');
}

describe("a person's abort or pause beats a runner's evaluation that started before it (compare-and-set)", () => {
  it('an abort during a hung evaluation stays aborted: the stale decision is dropped, nothing rolls back twice', async () => {
    h = planHarness({ exposure: 0 });
    const p = await h.service.start({ ...req(), policy: { steps: steps(5, 50, 100), bakeMs: 0 } }, h.person);
    const provider = deferred();
    h.hold.evaluate.set(WATCH.id, provider.promise);
    h.advance(STEP);
    h.decide(decision(h.clock.now, 'rollback'));
    const tick = h.runner.tick();
    await untilEvaluating(p.id);
    await h.service.abort(p.id, 'take no chances', h.person);
    provider.resolve();
    await tick;
    expect(h.plan(p.id)).toMatchObject({ state: 'aborted', expected: { exposure: 0 }, evaluatingSince: null });
    expect(h.writes).toEqual(['ramp 5 cli', 'rollback cli']); // the runner's rollback decision was not carried out
    expect(h.events(p.id).slice(-2)).toEqual(['abort', 'dropped']);
    const dropped = h.deps.store.events(p.id).at(-1)!;
    expect(dropped.message).toMatch(/^decision dropped: the plan became aborted \(was running\)/);
    h.advance(STEP);
    await h.runner.tick();
    expect(h.plan(p.id).state).toBe('aborted');
    expect(h.writes).toHaveLength(2);
  });

  it('a pause during an evaluation that would advance: no ramp, the plan stays paused', async () => {
    h = planHarness({ exposure: 0 });
    const p = await h.service.start({ ...req(), policy: { steps: steps(5, 50, 100), bakeMs: 0 } }, h.person);
    const provider = deferred();
    h.hold.evaluate.set(WATCH.id, provider.promise);
    h.advance(STEP);
    h.decide(decision(h.clock.now, 'advance'));
    const tick = h.runner.tick();
    await untilEvaluating(p.id);
    await h.service.pause(p.id, 'hold on', h.person);
    provider.resolve();
    await tick;
    expect(h.plan(p.id)).toMatchObject({ state: 'paused', pausedBy: 'person', stepIndex: 0 });
    expect(h.writes).toEqual(['ramp 5 cli']);
    expect(h.events(p.id).at(-1)).toBe('dropped');
  });
});

describe('recovery is verified after every rollback, a person’s abort included', () => {
  it('an aborted plan gets "recovered", audited and told', async () => {
    h = planHarness({ exposure: 0 });
    const p = await h.service.start({ ...req(), policy: { steps: steps(5, 100), recoveryMs: 60_000 } }, h.person);
    await h.service.abort(p.id, 'by hand', h.person);
    h.recover({ status: 'recovered', at: h.clock.now + STEP, message: 'recovered at 10:00 UTC, 10 s after rollback' });
    h.advance(STEP);
    await h.runner.tick();
    expect(h.plan(p.id)).toMatchObject({ state: 'aborted', recovery: { status: 'recovered' } });
    expect(h.audits.filter((a) => a.startsWith('plan-recovery'))).toHaveLength(1);
    expect(h.notices.at(-1)).toBe('recovered');
  });

  it('an aborted plan not back by the deadline raises "not recovered" once', async () => {
    h = planHarness({ exposure: 0 });
    const p = await h.service.start({ ...req(), policy: { steps: steps(5, 100), recoveryMs: 60_000 } }, h.person);
    await h.service.abort(p.id, 'by hand', h.person);
    h.advance(2 * 60_000);
    await h.runner.tick();
    await h.runner.tick();
    expect(h.plan(p.id)).toMatchObject({ state: 'aborted', recovery: { status: 'not-recovered' } });
    expect(h.notices.filter((n) => n === 'not-recovered')).toHaveLength(1);
  });
});

describe('one hung provider costs only its own plan', () => {
  it('the other plan advances; the hung one counts an error per deadline and pauses after 4', async () => {
    h = planHarness({ exposure: 0, runner: { evaluationMs: 20 } });
    h.watches.set('w-search', { ...WATCH, id: 'w-search', flagKey: 'search' });
    h.flags.set('search', { enabled: true, exposure: 0 });
    const hung = await h.service.start({ ...req(), policy: { steps: steps(5, 100), bakeMs: 0 } }, h.person);
    const ok = await h.service.start({ ...req('search'), policy: { steps: steps(5, 50, 100), bakeMs: 0 } }, h.person);
    h.hold.evaluate.set(WATCH.id, new Promise(() => undefined)); // Prometheus accepts, never answers
    const states: string[] = [];
    for (let i = 0; i < 4; i++) {
      h.advance(STEP);
      h.decide(decision(h.clock.now, 'advance'));
      await h.runner.tick();
      states.push(h.plan(hung.id).state);
    }
    expect(h.plan(ok.id)).toMatchObject({ state: 'completed', expected: { exposure: 100 } });
    expect(states).toEqual(['holding', 'holding', 'holding', 'paused']);
    expect(h.plan(hung.id)).toMatchObject({
      pausedBy: 'provider-errors',
      reason: expect.stringMatching(/the metrics provider did not answer within/),
    });
  });

  it('renews the lease of a plan whose evaluation is still in flight, and shows it as evaluating', async () => {
    h = planHarness({ exposure: 0, runner: { evaluationMs: 60_000, leaseMs: 15_000 } });
    const p = await h.service.start({ ...req(), policy: { steps: steps(5, 100) } }, h.person);
    const provider = deferred();
    h.hold.evaluate.set(WATCH.id, provider.promise);
    h.decide(decision(h.clock.now + STEP, 'hold'));
    const first = h.runner.tick();
    await untilEvaluating(p.id);
    const since = h.plan(p.id).evaluatingSince!;
    h.advance(14_000);
    await h.runner.tick(); // the heartbeat: the in-flight plan is not evaluated twice, its lease is renewed
    expect(h.deps.leases.of(p.id)).toEqual({ owner: h.runner.owner, expiresAt: h.clock.now + 15_000 });
    expect(h.service.get(p.id).outlook.evaluatingSince).toBe(since);
    provider.resolve();
    await first;
    expect(h.service.get(p.id).outlook.evaluatingSince).toBeNull();
  });
});

describe('plan start holds its plan and obeys the first step’s rules', () => {
  it('a runner cannot take the plan while start writes its first step', async () => {
    h = planHarness({ exposure: 0 });
    // Another process's runner trying to take the plan the moment its row exists (between insert and first write).
    const insert = h.deps.store.insert;
    let taken: boolean | null = null;
    h.deps.store.insert = (...args) => {
      const row = insert(...args);
      taken = h.deps.leases.acquire(row.id, 'runner-elsewhere', 15_000);
      return row;
    };
    const store = deferred();
    h.hold.ramp = store.promise;
    const starting = h.service.start({ ...req(), policy: { steps: steps(5, 100) } }, h.person);
    for (let i = 0; i < 100 && h.deps.store.list({}).length === 0; i++) await new Promise((r) => setImmediate(r));
    const [p] = h.deps.store.list({});
    h.decide(decision(h.clock.now, 'hold'));
    await h.runner.tick();
    expect(taken).toBe(false);
    expect(h.events(p.id)).toEqual(['start']); // the runner did not drive it
    store.resolve();
    await starting;
    expect(h.events(p.id)).toEqual(['start', 'advance']);
  });

  it('a first step that was not written ends the plan saying so, audited — not "rolled back"', async () => {
    h = planHarness({ exposure: 0 });
    h.fail.write = new RampartError('vendor_error', 'Unleash answered 500');
    await expect(h.service.start({ ...req(), policy: { steps: steps(5, 100) } }, h.person)).rejects.toThrow(
      /did not start: its first step was not written \(.*Unleash answered 500\); the flag still serves 0%/,
    );
    const [p] = h.service.list({});
    expect(p.state).toBe('aborted');
    expect(p.outlook.next.text).toMatch(/did not start/);
    expect(h.audits).toEqual(['plan-start cli alice', 'plan-abort cli alice']);
    expect(h.writes).toEqual(['ramp 5 cli']);
  });

  it('a gated first step waits for approval; a frozen day holds it; rollback still works', async () => {
    h = planHarness({ exposure: 0 });
    const gated = await h.service.start(
      { ...req(), policy: { steps: [{ exposure: 20, approval: true }, { exposure: 100 }] } },
      h.person,
    );
    expect(gated).toMatchObject({ state: 'awaiting-approval', stepIndex: -1 });
    expect(h.writes).toEqual([]);
    expect(h.notices).toContain('approval-needed');
    await h.service.approve(gated.id, 'go ahead', h.person);
    h.decide(decision(h.clock.now, 'hold'));
    await h.runner.tick();
    expect(h.writes).toEqual(['ramp 20 plan']);
    await h.service.abort(gated.id, 'done here', h.person);

    const today = new Date(h.clock.now).toISOString().slice(0, 10);
    const frozen = await h.service.start(
      { ...req(), policy: { steps: steps(20, 100), freezeDates: [today], timeZone: 'UTC' } },
      h.person,
    );
    expect(frozen).toMatchObject({ state: 'holding', reason: expect.stringMatching(/^first step to 20% waits: /) });
    h.advance(STEP);
    await h.runner.tick();
    expect(h.writes).toEqual(['ramp 20 plan', 'rollback cli']);
  });
});

describe('adopting the write that completes the plan', () => {
  it('records complete, the plan-complete audit row and the notice exactly once', async () => {
    h = planHarness({ exposure: 0 });
    const p = await h.service.start({ ...req(), policy: { steps: steps(5, 100), bakeMs: 0 } }, h.person);
    h.fail.write = new RampartError('timeout', 'Unleash did not answer');
    h.fail.writeLandsThenFails = true; // the write landed; the runner died before recording it
    h.advance(STEP);
    h.decide(decision(h.clock.now, 'advance'));
    await h.runner.tick();
    expect(h.plan(p.id).pending).toMatchObject({ kind: 'ramp', target: { exposure: 100 } });
    h.fail.write = null;
    h.advance(STEP);
    await h.runner.tick();
    await h.runner.tick();
    expect(h.plan(p.id)).toMatchObject({ state: 'completed', pending: null });
    expect(h.events(p.id).filter((k) => k === 'complete')).toHaveLength(1);
    expect(h.audits.filter((a) => a === 'plan-complete plan autopilot')).toHaveLength(1);
    expect(h.notices.filter((n) => n === 'completed')).toHaveLength(1);
  });
});

describe('what the views say (tester 2 F12)', () => {
  it('a plan paused by an outside change shows what the store serves; a finished plan has no bake line', async () => {
    h = planHarness({ exposure: 0 });
    const p = await h.service.start({ ...req(), policy: { steps: steps(5, 100), bakeMs: 60_000 } }, h.person);
    expect(statusText(h.service.get(p.id), h.clock.now)).toMatch(/\n {2}bake 0 s of 1 min; samples/);
    h.flag.exposure = 35; // a person in the Unleash UI
    h.advance(STEP);
    h.decide(decision(h.clock.now, 'advance'));
    await h.runner.tick();
    const paused = h.service.get(p.id);
    expect(paused.outlook.served).toEqual({ enabled: true, exposure: 35 });
    expect(statusText(paused, h.clock.now)).toMatch(/^ {2}at 35% in the store \(the plan left it at 5%\), step 1\/2/m);
    await h.service.abort(p.id, 'enough', h.person);
    const text = statusText(h.service.get(p.id), h.clock.now);
    expect(text).not.toMatch(/bake|samples/);
    expect(text).toMatch(/^ {2}at 0%, step 1\/2/m); // no "in the store": the plan is no longer paused
  });
});
