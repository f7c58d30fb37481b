/**
 * Plans that survive their runners and their metrics (issue 12), against real Unleash 6.10.1, the instrumented
 * checkout service (OpenTelemetry JS + Prometheus exporter + unleash-client) and real Prometheus servers:
 *  - two `rampart autopilot` processes on one data dir: one drives (the lease), each step is written once; SIGKILL
 *    of the driver mid-step: the other takes over once the lease expires, a restarted runner does not step again,
 *    and the plan completes with exactly one ramp per step;
 *  - the metrics provider goes down mid-plan: the plan holds, pauses after 4 consecutive data steps of errors, and
 *    the rollback still works — here from an authenticated Alertmanager webhook on `autopilot --listen`,
 *    confirmed by read-back while every metrics query fails.
 * Any missing component fails with how to install it.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startUnleash, type RunningUnleash } from '../components/unleash/harness';
import {
  freePort,
  startCheckoutService,
  startScrapingPrometheus,
  type CheckoutService,
  type ScrapingPrometheus,
} from '../components/otel-service/harness';
import { requireBuiltApp } from './support/browser-host';
import {
  planStack,
  seedFlagAtZero,
  unleashState,
  waitFor,
  type PlanStack,
  type Runner,
} from '../plans/support/e2e-stack';

const KILL = 'plan-kill';
const DOWN = 'plan-down';
const AM_TOKEN_ENV = 'RAMPART_E2E_ALERTMANAGER_TOKEN';
const AM_TOKEN = 'am-e2e-token-3f9c1d';

let unleash: RunningUnleash | undefined;
let promKill: ScrapingPrometheus | undefined;
let promDown: ScrapingPrometheus | undefined;
const services: CheckoutService[] = [];
let kill: PlanStack;
let down: PlanStack;
let startError: unknown;
let killPlan = '';
let downPlan = '';
let a: Runner;
let b: Runner;
let downRunner: Runner;

beforeEach(() => {
  if (startError) throw startError;
});

beforeAll(async () => {
  try {
    requireBuiltApp();
    unleash = await startUnleash();
    await seedFlagAtZero(unleash, KILL);
    await seedFlagAtZero(unleash, DOWN);
    const healthy = await startCheckoutService(unleash, { flag: KILL, rate: 300, baseErrorRate: 0 });
    const quiet = await startCheckoutService(unleash, { flag: DOWN, rate: 100, baseErrorRate: 0 });
    services.push(healthy, quiet);
    promKill = await startScrapingPrometheus([healthy.metricsTarget], 1);
    promDown = await startScrapingPrometheus([quiet.metricsTarget], 1);
    process.env[AM_TOKEN_ENV] = AM_TOKEN;
    kill = planStack(unleash);
    await kill.connect('prom', promKill.url);
    await kill.watch(KILL, 'prom');
    down = planStack(unleash);
    await down.connect('prom-down', promDown.url);
    await down.watch(DOWN, 'prom-down');
    await down.save({
      kind: 'alertmanager',
      id: 'am-rollback',
      name: 'Alertmanager: checkout SLO burn',
      action: 'rollback',
      tokenEnv: AM_TOKEN_ENV,
    });
    await new Promise((r) => setTimeout(r, 8_000));
    [a, b] = await Promise.all([kill.runner(), kill.runner()]);
    downRunner = await down.runner(['--listen', `127.0.0.1:${await freePort()}`]);
    killPlan = (
      await kill.start(KILL, { steps: [{ exposure: 40 }, { exposure: 60 }, { exposure: 100 }], bakeMs: 20_000 })
    ).id;
    downPlan = (await down.start(DOWN, { steps: [{ exposure: 20 }, { exposure: 100 }], bakeMs: 600_000 })).id;
  } catch (e) {
    startError = e;
  }
}, 240_000);

afterAll(async () => {
  await kill?.close();
  await down?.close();
  await promKill?.stop();
  await promDown?.stop();
  for (const s of services) await s.stop();
  await unleash?.stop();
});

const driverOf = async (stack: PlanStack, id: string) => (await stack.plan(id)).outlook.lease.owner;

describe('durable, single-driver plans', () => {
  it('two runners on one data dir: one drives, and SIGKILL mid-step hands over without a double step', async () => {
    const at60 = await waitFor(
      'the plan to reach 60 %',
      async () => {
        const p = await kill.plan(killPlan);
        return p.stepIndex >= 1 ? p : null;
      },
      150_000,
      1_000,
    );
    expect(at60.stepIndex).toBe(1); // killed while baking 60 %, well before its 20 s floor is over
    const driver = await driverOf(kill, killPlan);
    expect([a.owner, b.owner]).toContain(driver);
    const [victim, survivor] = driver === a.owner ? [a, b] : [b, a];
    const stepRunners = (await kill.events(killPlan))
      .filter((e) => e.kind === 'advance' && e.detail.runner)
      .map((e) => e.detail.runner);
    expect(stepRunners).toEqual([victim.owner]);
    await victim.stop('SIGKILL');
    const restarted = await kill.runner(); // "restart": a fresh runner on the same data dir, beside the survivor

    const done = await waitFor(
      'the plan to complete after the takeover',
      async () => {
        const p = await kill.plan(killPlan);
        return p.state === 'completed' || p.state === 'rolled-back' ? p : null;
      },
      150_000,
      2_000,
    );
    expect(done).toMatchObject({ state: 'completed', expected: { exposure: 100 } });
    const ramps = (await kill.audit(KILL)).filter((x) => x.action === 'ramp').reverse();
    expect(ramps.map((x) => `${x.to.exposure} ${x.result}`)).toEqual(['40 done', '60 done', '100 done']); // one write per step
    const advances = (await kill.events(killPlan)).filter((e) => e.kind === 'advance' && e.detail.runner);
    expect(advances.map((e) => e.exposure)).toEqual([60, 100]);
    expect(advances[1].detail.runner).not.toBe(victim.owner);
    expect([survivor.owner, restarted.owner]).toContain(advances[1].detail.runner);
    expect(await unleashState(unleash!, KILL)).toEqual({ enabled: true, rollout: 100 });
  }, 320_000);

  it('metrics down: holds, pauses after 4 consecutive data steps of errors, and an Alertmanager alert still rolls back', async () => {
    await waitFor(
      'a first decision with data',
      async () => (await down.plan(downPlan)).lastDecision?.metrics.some((m) => m.canaryN > 0),
      90_000,
    );
    await promDown!.stop();
    promDown = undefined;
    const states: string[] = [];
    const paused = await waitFor(
      'the plan to pause on provider errors',
      async () => {
        const p = await down.plan(downPlan);
        if (states.at(-1) !== p.state) states.push(p.state);
        return p.state === 'paused' ? p : null;
      },
      90_000,
      500,
    );
    expect(states).toContain('holding');
    expect(states.indexOf('holding')).toBeLessThan(states.indexOf('paused'));
    expect(paused).toMatchObject({
      pausedBy: 'provider-errors',
      providerErrors: 4,
      reason: expect.stringMatching(/^4 consecutive provider errors \(limit 4\)/),
    });
    const record = (await down.events(downPlan))
      .filter((e) => /provider/.test(e.message))
      .map((e) => e.message.match(/^\d+ consecutive|\((\d) of 4 before pausing\)/)?.[0]);
    expect(record).toEqual([
      '(1 of 4 before pausing)',
      '(2 of 4 before pausing)',
      '(3 of 4 before pausing)',
      '4 consecutive',
    ]);
    expect(await unleashState(unleash!, DOWN)).toEqual({ enabled: true, rollout: 20 });

    // The kill switch from an existing alert: wrong token refused, right token rolls back at once.
    const body = {
      version: '4',
      status: 'firing',
      alerts: [
        {
          status: 'firing',
          labels: { alertname: 'CheckoutErrorBudgetBurn', rampart_flag: DOWN, rampart_env: 'production' },
          annotations: { summary: 'error budget burning 14x' },
          fingerprint: 'e2e1',
        },
      ],
    };
    const post = (token: string) =>
      fetch(downRunner.alertmanager!.replace('<trigger id>', 'am-rollback'), {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await post('wrong-token')).status).toBe(401);
    const res = await post(AM_TOKEN);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ acted: [{ planId: downPlan, action: 'rollback', state: 'aborted' }] });
    const served = await unleashState(unleash!, DOWN);
    expect(served.enabled === false || served.rollout === 0).toBe(true);
    const write = (await down.audit(DOWN)).find((x) => x.action === 'rollback');
    expect(write).toMatchObject({
      result: 'done',
      door: 'alertmanager',
      user: 'alertmanager:Alertmanager: checkout SLO burn',
      comment: expect.stringContaining('CheckoutErrorBudgetBurn'),
    });
    expect(JSON.stringify(await down.audit(DOWN))).not.toContain(AM_TOKEN);
  }, 200_000);
});
