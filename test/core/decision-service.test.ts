import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../main/core/core';
import { createHandlers } from '../../main/core/handlers';
import { createRegistrar } from '../../main/host/registrar';
import { defaultMetricSpecs } from '../../main/metrics/templates';
import type { WatchDecision } from '../../shared/domain/decision';

const resourcesDir = join(__dirname, '..', '..', 'resources');
const STEP = 60_000;
const open: Core[] = [];
const dirs: string[] = [];

/** The demo core on a clock the test moves: data steps complete only when the test says so. */
function boot(dataDir: string, clock: { now: number }) {
  const core = createCore({
    dataDir,
    resourcesDir,
    secrets: () => undefined,
    version: 'test',
    user: () => 'tester',
    now: () => clock.now,
  });
  open.push(core);
  const r = createRegistrar(createHandlers(core));
  const call = <C extends Parameters<typeof r.call>[0]>(c: C, p: Parameters<typeof r.call<C>>[1]) =>
    r.call(c, p, { door: 'http' });
  const updates: WatchDecision[] = [];
  core.bus.subscribe(
    (name, p) => name === 'decision:updated' && updates.push((p as { decision: WatchDecision }).decision),
  );
  const guardRow = (id: string) =>
    core.store.db.prepare('SELECT last_step, state_json FROM decision_guard WHERE watch_id = ?').get(id) as
      { last_step: number; state_json: string } | undefined;
  const stepsCounted = (id: string) =>
    (JSON.parse(guardRow(id)?.state_json ?? '{"steps":0}') as { steps: number }).steps;
  return { core, call, updates, guardRow, stepsCounted };
}

afterEach(() => {
  for (const c of open.splice(0)) c.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir() {
  const d = mkdtempSync(join(tmpdir(), 'rampart-decision-'));
  dirs.push(d);
  return d;
}

describe('the one decision per watch, per new data step', () => {
  it('looks at the same data step change nothing: viewers, refreshes and the verdict share one evaluation', async () => {
    const clock = { now: Math.floor(Date.now() / STEP) * STEP + 40_000 };
    const { call, updates, stepsCounted } = boot(tempDir(), clock);
    const first = await call('decision:get', { watchId: 'demo-search-ranker' });
    // Five viewers at once, and a refresh every 5 s within the same step.
    const viewers = await Promise.all(
      Array.from({ length: 5 }, () => call('decision:get', { watchId: 'demo-search-ranker' })),
    );
    clock.now += 5_000;
    const refresh = await call('decision:get', { watchId: 'demo-search-ranker' });
    for (const d of [...viewers, refresh]) expect(d).toEqual(first);
    expect(updates).toHaveLength(1);
    expect(stepsCounted('demo-search-ranker')).toBe(1);
    const verdict = await call('verdict:get', { watchId: 'demo-search-ranker', baseline: first.baseline });
    expect(verdict).toEqual(first.verdict);
    expect(first).toMatchObject({ action: 'advance', baseline: 'control', stepMs: STEP });
    expect(first.baselineReason).toMatch(/^concurrent control: both arms \(ml-v2 vs classic\)/);
    expect(first.reason).toMatch(/^Safe to advance/);
  });

  it('a new step is one more step for the guard, announced once; a restart neither repeats nor resets it', async () => {
    const dir = tempDir();
    const clock = { now: Math.floor(Date.now() / STEP) * STEP + 40_000 };
    const a = boot(dir, clock);
    const d1 = await a.call('decision:get', { watchId: 'demo-checkout-v2' });
    clock.now += STEP;
    const d2 = await a.call('decision:get', { watchId: 'demo-checkout-v2' });
    await a.call('decision:get', { watchId: 'demo-checkout-v2' });
    expect(d2.step - d1.step).toBe(STEP);
    expect(a.updates.map((d) => d.step)).toEqual([d1.step, d2.step]);
    expect(a.stepsCounted('demo-checkout-v2')).toBe(2);
    a.core.close();
    open.splice(open.indexOf(a.core), 1);

    // Restarted on the same data step: the stored decision, not a third count.
    const b = boot(dir, clock);
    const again = await b.call('decision:get', { watchId: 'demo-checkout-v2' });
    expect(again).toEqual(d2);
    expect(b.updates).toHaveLength(0);
    clock.now += STEP;
    const d3 = await b.call('decision:get', { watchId: 'demo-checkout-v2' });
    expect(d3.step - d2.step).toBe(STEP);
    expect(b.stepsCounted('demo-checkout-v2')).toBe(3);
  });

  it('the regressing flag rolls back on the concurrent control; a flag at 100 % is judged against its pre-rollout window', async () => {
    const clock = { now: Math.floor(Date.now() / STEP) * STEP + 40_000 };
    const { call } = boot(tempDir(), clock);
    const checkout = await call('decision:get', { watchId: 'demo-checkout-v2' });
    expect(checkout.action).toBe('rollback');
    expect(checkout.guard.act).toBe(true);
    expect(checkout.reason).toBe(`Roll back: ${checkout.guard.reason}.`);
    // The rows say the same as the header: the metric the guard names fails its margin.
    const named = checkout.verdict.metrics.find((m) => checkout.guard.reason.startsWith(`${m.name}:`))!;
    expect(named.verdict).toBe('fail');
    // The tail is judged from merged histogram buckets, not per-minute quantiles.
    expect(checkout.verdict.metrics.find((m) => m.name === 'p99')).toMatchObject({
      kind: 'histogram',
      verdict: 'fail',
    });
    expect(checkout.verdict.extras?.srm).toMatchObject({
      method: expect.stringMatching(/exposed units/),
      observed: { on: expect.any(Number), off: expect.any(Number) },
    });

    const dark = await call('decision:get', { watchId: 'demo-dark-mode' });
    expect(dark.baseline).toBe('pre');
    expect(dark.exposure).toBe(100);
    expect(dark.baselineReason).toMatch(/^pre-rollout window: the flag serves everyone the treatment/);
    expect(dark.verdict.baseline.label).toMatch(/^pre-rollout, before the first exposure \(off → on at /);
    expect(dark.verdict.extras?.srm?.status).toBe('not-applicable');
  });

  it('editing a watch starts a new guard; removing it forgets its decision', async () => {
    const clock = { now: Math.floor(Date.now() / STEP) * STEP + 40_000 };
    const { call, core, stepsCounted } = boot(tempDir(), clock);
    await call('decision:get', { watchId: 'demo-checkout-v2' });
    clock.now += STEP;
    await call('decision:get', { watchId: 'demo-checkout-v2' });
    expect(stepsCounted('demo-checkout-v2')).toBe(2);
    const w = core.store.records.watches.get('demo-checkout-v2')!;
    await call('watches:save', { watch: { ...w, thresholds: { ...w.thresholds, allowedIncrease: 1.2 } } });
    const after = await call('decision:get', { watchId: 'demo-checkout-v2' });
    expect(stepsCounted('demo-checkout-v2')).toBe(1);
    expect(after.verdict.metrics.find((m) => m.name === 'p99')?.margin).toBeCloseTo(0.2);
    await call('watches:remove', { id: 'demo-checkout-v2' });
    expect(core.decisions.latest('demo-checkout-v2')).toBeNull();
  });

  it("the core's tick evaluates each watch once per new step, whether anyone looks or not", async () => {
    const clock = { now: Math.floor(Date.now() / STEP) * STEP + 40_000 };
    const { core, updates } = boot(tempDir(), clock);
    const watches = core.store.records.watches.list();
    expect(await core.decisions.tick(watches)).toBe(3);
    expect(await core.decisions.tick(watches)).toBe(0);
    clock.now += 10_000; // same data step
    expect(await core.decisions.tick(watches)).toBe(0);
    clock.now += STEP;
    expect(await core.decisions.tick(watches)).toBe(3);
    expect(updates).toHaveLength(6);
  });
});

describe('when the metrics provider is down', () => {
  it('the decision holds and says so (stale), the ramp is blocked, and rollback still works', async () => {
    const clock = { now: Math.floor(Date.now() / STEP) * STEP + 40_000 };
    const { call, core } = boot(tempDir(), clock);
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    await call('connections:save', {
      connection: {
        id: 'prom-down',
        name: 'Prometheus (down)',
        kind: 'prometheus',
        url: `http://127.0.0.1:${port}`,
        auth: 'none',
      },
    });
    const demo = core.store.records.watches.get('demo-checkout-v2')!;
    await call('watches:save', {
      watch: {
        ...demo,
        metricsConnectionId: 'prom-down',
        selector: 'job="checkout"',
        units: undefined,
        metrics: defaultMetricSpecs('prometheus'),
      },
    });
    const d = await call('decision:get', { watchId: 'demo-checkout-v2' });
    expect(d.action).toBe('hold');
    expect(d.stale?.code).toBe('unreachable');
    expect(d.stale?.message).toMatch(/Prometheus: unreachable .*ECONNREFUSED/);
    expect(d.reason).toMatch(/^Hold: the metrics provider is failing \(/);
    await expect(
      call('flags:ramp', {
        connectionId: 'demo-flags',
        flagKey: 'checkout-v2',
        env: 'production',
        to: 50,
        expected: 25,
        comment: 'next step',
        override: false,
      }),
    ).rejects.toThrow(/refused this ramp: the metrics are down/);
    const rolled = await call('flags:rollback', {
      connectionId: 'demo-flags',
      flagKey: 'checkout-v2',
      env: 'production',
      comment: 'metrics are down, roll back anyway',
    });
    expect(rolled.readBack.enabled ? rolled.readBack.exposure : 0).toBe(0);
  });
});

describe('the ramp guard reads the decision', () => {
  it('blocks a ramp the decision says to roll back, and never blocks the first step of a rollout', async () => {
    const clock = { now: Math.floor(Date.now() / STEP) * STEP + 40_000 };
    const { call } = boot(tempDir(), clock);
    const ramp = (to: number, expected: number | null) =>
      call('flags:ramp', {
        connectionId: 'demo-flags',
        flagKey: 'checkout-v2',
        env: 'production',
        to,
        expected,
        comment: 'next step',
        override: false,
      });
    await expect(ramp(50, 25)).rejects.toThrow(/refused this ramp: the decision says roll back: /);
    await call('flags:rollback', {
      connectionId: 'demo-flags',
      flagKey: 'checkout-v2',
      env: 'production',
      comment: 'tail regression',
    });
    // Exposure 0 again: 0 → 1 % is what a canary is for, with no treatment data to wait for.
    const after = (await call('flags:get', { connectionId: 'demo-flags', flagKey: 'checkout-v2' })).flag.envs
      .production;
    expect(after.enabled ? (after.exposure ?? 100) : 0).toBe(0);
    const res = await ramp(1, after.exposure);
    expect(res.readBack).toMatchObject({ enabled: true, exposure: 1 });
  });

  it('a ramp or rollback a moment ago opens a new step: the decision stops describing the old split at once', async () => {
    const clock = { now: Math.floor(Date.now() / STEP) * STEP + 40_000 };
    const { call } = boot(tempDir(), clock);
    const before = await call('decision:get', { watchId: 'demo-checkout-v2' });
    expect(before.action).toBe('rollback');
    clock.now += 5_000; // same data step: no new data has completed
    await call('flags:rollback', {
      connectionId: 'demo-flags',
      flagKey: 'checkout-v2',
      env: 'production',
      comment: 'tail regression',
    });
    const after = await call('decision:get', { watchId: 'demo-checkout-v2' });
    expect(after.step).toBe(before.step);
    expect(after.exposure).toBe(0);
    expect(after.action).toBe('hold');
    expect(after.guard.act).toBe(false);
    expect(after.verdict.changeId).not.toBe(before.verdict.changeId);
  });
});
