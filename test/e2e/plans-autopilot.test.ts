/**
 * Guarded rollout plans against real components (issue 12): Unleash 6.10.1 (+ PostgreSQL), three instances of the
 * instrumented checkout service (OpenTelemetry JS SDK 2.12 + the Prometheus exporter + unleash-client 6.12.1, one
 * flag each), a real Prometheus scraping them every second, and `rampart autopilot` as a child process driving every
 * plan of the data dir on 5-second data steps. Three plans run at once:
 *  - a regressing treatment (slower, more errors): the plan rolls back on its own, the service's treatment traffic
 *    goes to ~0 within a minute, and the recovery is verified and reported;
 *  - a healthy treatment: the plan climbs 50 → 100 % on a passing, baked decision and completes;
 *  - a flag a person edits in Unleash mid-plan: the plan pauses, and never fights them.
 * Any missing component fails with how to install it.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startUnleash, type RunningUnleash } from '../components/unleash/harness';
import {
  startCheckoutService,
  startScrapingPrometheus,
  type CheckoutService,
  type ScrapingPrometheus,
} from '../components/otel-service/harness';
import { requireBuiltApp } from './support/browser-host';
import {
  editRolloutInUnleash,
  planStack,
  seedFlagAtZero,
  unleashState,
  waitFor,
  type PlanStack,
} from '../plans/support/e2e-stack';

const REGRESS = 'plan-regress';
const HEALTHY = 'plan-healthy';
const HUMAN = 'plan-human';

let unleash: RunningUnleash | undefined;
let prom: ScrapingPrometheus | undefined;
const services: Record<string, CheckoutService> = {};
let stack: PlanStack;
let startError: unknown;
const planIds: Record<string, string> = {};

beforeEach(() => {
  if (startError) throw startError;
});

beforeAll(async () => {
  try {
    requireBuiltApp();
    unleash = await startUnleash();
    for (const flag of [REGRESS, HEALTHY, HUMAN]) await seedFlagAtZero(unleash, flag);
    // The regressing treatment is slower (+40 ms) and fails more often (3 % vs 0.1 %): the regression is there from the first exposure.
    services[REGRESS] = await startCheckoutService(unleash, {
      flag: REGRESS,
      rate: 150,
      baseErrorRate: 0.001,
      treatmentExtraMs: 40,
      treatmentErrorRate: 0.03,
    });
    // Healthy: as fast as the control and without 5xx — so the error rate can pass its margin within a minute.
    services[HEALTHY] = await startCheckoutService(unleash, { flag: HEALTHY, rate: 300, baseErrorRate: 0 });
    services[HUMAN] = await startCheckoutService(unleash, { flag: HUMAN, rate: 100, baseErrorRate: 0.001 });
    prom = await startScrapingPrometheus(
      Object.values(services).map((s) => s.metricsTarget),
      1,
    );
    stack = planStack(unleash);
    await stack.connect('prom', prom.url);
    for (const flag of [REGRESS, HEALTHY, HUMAN]) await stack.watch(flag, 'prom');
    // A baseline before any exposure: the recovery check compares with the window before the plan started.
    await new Promise((r) => setTimeout(r, 15_000));
    await stack.runner();
    planIds[REGRESS] = (
      await stack.start(REGRESS, {
        steps: [{ exposure: 20 }, { exposure: 50 }, { exposure: 100 }],
        bakeMs: 30_000,
        recoveryMs: 180_000,
      })
    ).id;
    // 50 % first: equal arms decide fastest, so the climb fits the e2e budget (the ladder itself is any list).
    planIds[HEALTHY] = (
      await stack.start(HEALTHY, { steps: [{ exposure: 50 }, { exposure: 100 }], bakeMs: 30_000 })
    ).id;
    planIds[HUMAN] = (
      await stack.start(HUMAN, { steps: [{ exposure: 10 }, { exposure: 50 }, { exposure: 100 }], bakeMs: 600_000 })
    ).id;
  } catch (e) {
    startError = e;
  }
}, 240_000);

afterAll(async () => {
  await stack?.close();
  await prom?.stop();
  for (const s of Object.values(services)) await s.stop();
  await unleash?.stop();
});

describe('plans on Unleash + Prometheus + an OpenTelemetry-instrumented service', () => {
  it('starts every plan with its first step, confirmed in Unleash', async () => {
    expect(await unleashState(unleash!, REGRESS)).toEqual({ enabled: true, rollout: 20 });
    expect(await unleashState(unleash!, HUMAN)).toEqual({ enabled: true, rollout: 10 });
    const audit = await stack.audit(HEALTHY);
    expect(audit.find((a) => a.action === 'plan-start')).toMatchObject({ result: 'done', door: 'cli' });
    expect(audit.find((a) => a.action === 'ramp')).toMatchObject({ result: 'done', to: { exposure: 50 } });
  });

  it('a flag edited in Unleash mid-plan pauses the plan, which then leaves it alone', async () => {
    await editRolloutInUnleash(unleash!, HUMAN, 35);
    const paused = await waitFor(
      'the edited plan to pause',
      async () => {
        const p = await stack.plan(planIds[HUMAN]);
        return p.state === 'paused' ? p : null;
      },
      30_000,
    );
    expect(paused).toMatchObject({
      pausedBy: 'outside-change',
      reason: expect.stringMatching(/changed outside the plan: the store serves 35%, the plan left it at 10%/),
    });
    expect((await stack.audit(HUMAN)).find((a) => a.action === 'plan-pause')).toMatchObject({
      door: 'plan',
      user: 'autopilot',
    });
    await new Promise((r) => setTimeout(r, 6_000));
    expect(await unleashState(unleash!, HUMAN)).toEqual({ enabled: true, rollout: 35 }); // never fights a person
  });

  it('rolls the regressing treatment back on its own, and its traffic goes to ~0 within a minute', async () => {
    const rolled = await waitFor(
      'the regressing plan to roll back',
      async () => {
        const p = await stack.plan(planIds[REGRESS]);
        return p.rollback ? p : null;
      },
      120_000,
    );
    expect(rolled.state).toMatch(/^(rolled-back|recovered|not-recovered)$/);
    expect(rolled.rollback).toMatchObject({ by: 'autopilot', reason: expect.stringMatching(/^Roll back: /) });
    const write = (await stack.audit(REGRESS)).find((a) => a.action === 'rollback');
    expect(write).toMatchObject({
      result: 'done',
      door: 'plan',
      detail: expect.objectContaining({ planId: planIds[REGRESS] }),
    });
    expect(JSON.stringify(write?.detail)).toMatch(/"queries"/); // the decision snapshot: numbers, windows, queries
    const served = await unleashState(unleash!, REGRESS);
    expect(served.enabled === false || served.rollout === 0).toBe(true);
    const stats = await waitFor(
      'treatment traffic to stop',
      async () => {
        const s = await services[REGRESS].stats(3);
        const total = Object.values(s).reduce((a, b) => a + b, 0);
        return total > 100 && (s.on ?? 0) / total < 0.01 ? s : null;
      },
      Math.max(5_000, rolled.rollback!.at + 60_000 - Date.now()),
    );
    expect(stats.disabled).toBeGreaterThan(100);
    const events = (await stack.events(planIds[REGRESS])).map((e) => e.kind);
    expect(events.indexOf('rollback')).toBeGreaterThan(events.indexOf('advance'));
  });

  it('verifies and reports the recovery after the rollback', { timeout: 170_000 }, async () => {
    let last = '';
    const done = await waitFor(
      'the recovery verdict',
      async () => {
        const p = await stack.plan(planIds[REGRESS]);
        last = p.recovery?.message ?? p.reason;
        return p.recovery && p.recovery.status !== 'verifying' ? p : null;
      },
      150_000,
    ).catch((e: Error) => {
      throw new Error(`${e.message}; recovery: ${last}`);
    });
    expect(done).toMatchObject({
      state: 'recovered',
      recovery: {
        status: 'recovered',
        message: expect.stringMatching(/^recovered at \d\d:\d\d UTC, .+ after rollback$/),
      },
    });
    expect((await stack.audit(REGRESS)).find((a) => a.action === 'plan-recovery')).toMatchObject({
      result: 'done',
      door: 'plan',
    });
  });

  it('climbs the healthy treatment to 100 % on a passing, baked decision, then completes', async () => {
    let last: unknown;
    const complete = await waitFor(
      'the healthy plan to complete',
      async () => {
        const p = await stack.plan(planIds[HEALTHY]);
        last = { state: p.state, reason: p.reason, decision: p.lastDecision?.reason };
        return p.state === 'completed' || p.state === 'rolled-back' ? p : null;
      },
      180_000,
      2_000,
    ).catch((e: Error) => {
      throw new Error(`${e.message}; plan: ${JSON.stringify(last)}`);
    });
    expect(complete).toMatchObject({ state: 'completed', stepIndex: 1, expected: { enabled: true, exposure: 100 } });
    expect(await unleashState(unleash!, HEALTHY)).toEqual({ enabled: true, rollout: 100 });
    const ramps = (await stack.audit(HEALTHY)).filter((a) => a.action === 'ramp').reverse();
    expect(ramps.map((a) => `${a.to.exposure} ${a.door} ${a.result}`)).toEqual(['50 cli done', '100 plan done']);
    const advance = (await stack.events(planIds[HEALTHY])).find((e) => e.kind === 'advance' && e.actor === 'autopilot');
    expect(advance?.decision).toMatchObject({ action: 'advance', baseline: { kind: 'control' }, verdict: 'pass' });
    expect(advance!.at - (await stack.plan(planIds[HEALTHY])).startedAt).toBeGreaterThanOrEqual(30_000); // baked at least the floor
    const exported = await stack.call<{ content: string }>('plans:export', {
      planId: planIds[HEALTHY],
      format: 'markdown',
    });
    expect(exported.content).toMatch(/advance · step 2\/2 · 100%/);
  }, 200_000);
});
