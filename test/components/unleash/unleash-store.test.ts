import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createEventBus } from '../../../main/core/event-bus';
import { createUnleashStore } from '../../../main/flags/unleash';
import { createRolloutService } from '../../../main/rollout/rollout-service';
import { openStore } from '../../../main/store';
import type { FlagStore } from '../../../main/flags/flag-store';
import { UnleashConnection } from '../../../shared/domain/connections';
import { RampartError } from '../../../shared/errors';
import { freePort } from '../../support/postgres';
import { startUnleash, type RunningUnleash } from './harness';

/**
 * The Unleash adapter against a real Unleash OSS 6.10.1 + PostgreSQL 15: state seeded through Unleash's own admin
 * API (as a person in the Unleash UI would), then read and changed through the adapter, then checked through the
 * admin API again. One server for the whole file (first start ≈20 s of migrations).
 */
let unleash: RunningUnleash;
let store: FlagStore;
const started = Date.now();

const connectionFor = (url: string) =>
  UnleashConnection.parse({ id: 'unleash-local', name: 'Local Unleash', kind: 'unleash', url });
const FLAG = 'checkout-v2';
const feature = (flag: string, env?: string) =>
  `/api/admin/projects/default/features/${flag}${env ? `/environments/${env}` : ''}`;

/** Unleash's admin API used directly, the way its UI or another tool would change things under Rampart. */
async function admin<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${unleash.url}${path}`, {
    method,
    headers: { authorization: unleash.token, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

type Strategy = {
  id: string;
  name: string;
  parameters: Record<string, string>;
  constraints: unknown[];
  variants: unknown[];
};
const strategies = (flag: string, env = 'production') => admin<Strategy[]>('GET', `${feature(flag, env)}/strategies`);

async function rejection(p: Promise<unknown>): Promise<RampartError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(RampartError);
    return e as RampartError;
  }
  throw new Error('expected a rejection');
}

const constraint = { contextName: 'appName', operator: 'IN', values: ['web'], inverted: false, caseInsensitive: false };
const variant = { name: 'new-checkout', weight: 1000, weightType: 'variable', stickiness: 'default' };

/** A missing component (unleash-server, PostgreSQL) fails every test with how to install it, never skips them. */
let startError: unknown;
beforeEach(() => {
  if (startError) throw startError;
});

/** The history a release captain would have made by hand in Unleash: create, 5% for web only, on, 25%. */
async function seed(): Promise<void> {
  await admin('POST', '/api/admin/projects/default/features', {
    name: FLAG,
    description: 'New checkout flow',
    type: 'release',
  });
  const s = await admin<Strategy>('POST', `${feature(FLAG, 'production')}/strategies`, {
    name: 'flexibleRollout',
    parameters: { rollout: '5', stickiness: 'default', groupId: FLAG },
    constraints: [constraint],
    variants: [variant],
  });
  await admin('POST', `${feature(FLAG, 'production')}/on`);
  await admin('PATCH', `${feature(FLAG, 'production')}/strategies/${s.id}`, [
    { op: 'replace', path: '/parameters/rollout', value: '25' },
  ]);
}

beforeAll(async () => {
  try {
    unleash = await startUnleash();
    store = createUnleashStore({ connection: connectionFor(unleash.url), token: unleash.token });
    await seed();
  } catch (e) {
    startError = e;
  }
});

afterAll(async () => {
  await unleash?.stop();
  console.info(
    `unleash component test: ${((Date.now() - started) / 1000).toFixed(1)} s including server start and stop`,
  );
});

describe('Unleash adapter against Unleash 6.10.1', () => {
  it('runs the pinned Unleash', () => {
    expect(unleash.version).toBe('6.10.1');
  });

  it('lists the project environments (not the hidden `default` one)', async () => {
    expect(await store.environments()).toEqual([
      { key: 'development', name: 'development' },
      { key: 'production', name: 'production' },
    ]);
  });

  it('reads the seeded flag: on at 25% in production, variant, targeting', async () => {
    const flags = await store.listFlags();
    const flag = flags.find((f) => f.key === FLAG);
    expect(flag).toBeDefined();
    expect(flag?.description).toBe('New checkout flow');
    expect(flag?.variants).toEqual(['new-checkout']);
    expect(flag?.envs.production).toMatchObject({
      enabled: true,
      exposure: 25,
      treatment: 'new-checkout',
      control: 'disabled',
      targeting: 'appName IN [web]',
    });
    expect(flag?.envs.development).toMatchObject({ enabled: false, exposure: 100 });
    expect(await store.getFlag(FLAG)).toEqual(flag);
  });

  it('reads the history with old → new labels and actors, oldest first', async () => {
    const changes = await store.history({
      from: started - 60_000,
      to: Date.now() + 1_000,
      flagKey: FLAG,
      env: 'production',
    });
    expect(changes.map((c) => [c.env, c.kind, c.label])).toEqual([
      ['*', 'created', 'created'],
      ['production', 'exposure', 'rollout 0% → 5%'],
      ['production', 'enabled', 'off → on'],
      ['production', 'exposure', 'rollout 5% → 25%'],
    ]);
    expect(new Set(changes.map((c) => c.actor))).toEqual(new Set(['rampart-harness']));
    expect(changes.every((c) => c.id.startsWith('unleash-local:') && c.source === 'vendor')).toBe(true);
    // Stable ids: reading again gives the same markers.
    const again = await store.history({ from: started - 60_000, to: Date.now() + 1_000, flagKey: FLAG });
    expect(again.map((c) => c.id)).toEqual(changes.map((c) => c.id));
    // Unleash filters by day only; the adapter cuts to the exact range.
    expect(await store.history({ from: Date.now() + 60_000, to: Date.now() + 120_000, flagKey: FLAG })).toEqual([]);
  });

  it('ramps with a PATCH that keeps constraints and variants, and reads it back', async () => {
    const before = (await strategies(FLAG))[0];
    await store.setExposure(FLAG, 'production', 50, { expected: 25, comment: 'clean hour at 25%' });
    expect((await store.getFlag(FLAG)).envs.production).toMatchObject({ enabled: true, exposure: 50 });
    const after = await strategies(FLAG);
    expect(after).toHaveLength(1);
    expect(after[0].id).toBe(before.id);
    expect(after[0].parameters).toEqual({ ...before.parameters, rollout: '50' });
    expect(after[0].constraints).toEqual(before.constraints);
    expect(after[0].variants).toEqual(before.variants);
    const last = (await store.history({ from: started - 60_000, to: Date.now() + 1_000, flagKey: FLAG })).at(-1);
    expect(last).toMatchObject({ label: 'rollout 25% → 50%', actor: 'rampart-harness' });
  });

  it('(control) a PUT of the same strategy without constraints and variants would have wiped them', async () => {
    await admin('POST', '/api/admin/projects/default/features', { name: 'put-control', type: 'release' });
    const s = await admin<Strategy>('POST', `${feature('put-control', 'production')}/strategies`, {
      name: 'flexibleRollout',
      parameters: { rollout: '5', stickiness: 'default', groupId: 'put-control' },
      constraints: [constraint],
      variants: [variant],
    });
    await admin('PUT', `${feature('put-control', 'production')}/strategies/${s.id}`, {
      name: 'flexibleRollout',
      parameters: { ...s.parameters, rollout: '50' },
    });
    const [after] = await strategies('put-control');
    expect(after.constraints).toEqual([]);
    expect(after.variants).toEqual([]);
  });

  it('rolls back by turning the environment off, confirmed by read-back', async () => {
    const t0 = performance.now();
    await store.setEnabled(FLAG, 'production', false, { comment: 'p99 regression' });
    const readBack = (await store.getFlag(FLAG)).envs.production;
    const ms = performance.now() - t0;
    expect(readBack).toMatchObject({ enabled: false, exposure: 50 });
    expect(ms).toBeLessThan(2_000);
    console.info(`rollback (off) + read-back: ${ms.toFixed(0)} ms`);
    const last = (await store.history({ from: started - 60_000, to: Date.now() + 1_000, flagKey: FLAG })).at(-1);
    expect(last).toMatchObject({ kind: 'enabled', label: 'on → off' });
    await store.setEnabled(FLAG, 'production', false, { comment: 'again' }); // idempotent: no second event
    expect((await store.history({ from: started - 60_000, to: Date.now() + 1_000, flagKey: FLAG })).at(-1)?.id).toBe(
      last?.id,
    );
    await store.setEnabled(FLAG, 'production', true, { comment: 'fixed' });
    expect((await store.getFlag(FLAG)).envs.production).toMatchObject({ enabled: true, exposure: 50 });
  });

  // The compare with the exposure the user saw is the rollout service's (main/rollout/exposure-rules.ts, issue 13: one
  // owner per rule), so it is proven there, with this adapter over the real Unleash under it.
  it('the rollout service refuses to ramp over a change made in Unleash since the user looked, reporting the live value, audits it, and writes nothing', async () => {
    const db = openStore(':memory:');
    try {
      const service = createRolloutService({
        flagStore: () => store,
        audit: db.audit,
        changes: db.changes,
        processes: db.processes,
        bus: createEventBus(),
        user: () => 'alice',
        settleDelaysMs: [],
      });
      const [s] = await strategies(FLAG);
      expect(s.parameters.rollout).toBe('50'); // what the user saw
      await admin('PATCH', `${feature(FLAG, 'production')}/strategies/${s.id}`, [
        { op: 'replace', path: '/parameters/rollout', value: '70' },
      ]);
      const ramp = { connectionId: 'unleash-local', flagKey: FLAG, env: 'production', door: 'cli' as const };
      const e = await rejection(
        service.ramp({ ...ramp, to: 100, expected: 50, comment: 'stale view', override: true }),
      );
      expect(e.code).toBe('conflict');
      expect(e.message).toContain("'checkout-v2' in production changed since you looked: it is now on at 70%, not 50%");
      expect(e.details).toMatchObject({ live: { enabled: true, exposure: 70 } });
      expect(db.audit.list({ limit: 1 })[0]).toMatchObject({
        action: 'ramp',
        result: 'refused',
        reason: e.message,
        from: { enabled: true, exposure: 70 },
      });
      expect((await strategies(FLAG))[0].parameters.rollout).toBe('70');
      const last = (await store.history({ from: started - 60_000, to: Date.now() + 1_000, flagKey: FLAG })).at(-1);
      expect(last).toMatchObject({ label: 'rollout 50% → 70%', actor: 'rampart-harness' }); // no event after it
    } finally {
      db.close();
    }
  });

  // What the adapter still owns: a write handed a state it did not read itself (the adapter was re-opened since the
  // read) is checked against a fresh read of the strategy and rollout, and refused when Unleash moved since.
  it('refuses a write from a read it did not make once Unleash has moved since, reporting the live value, and writes nothing', async () => {
    const seen = (await store.getFlag(FLAG)).envs.production;
    expect(seen).toMatchObject({ enabled: true, exposure: 70 });
    const [s] = await strategies(FLAG);
    await admin('PATCH', `${feature(FLAG, 'production')}/strategies/${s.id}`, [
      { op: 'replace', path: '/parameters/rollout', value: '75' },
    ]);
    const reopened = createUnleashStore({ connection: connectionFor(unleash.url), token: unleash.token });
    const e = await rejection(
      reopened.setExposure(FLAG, 'production', 100, { expected: 70, live: seen, comment: 'stale read' }),
    );
    expect(e.code).toBe('conflict');
    expect(e.message).toBe(
      "Unleash: 'checkout-v2' in production changed since it was read: the rollout is now 75%. Nothing was written; review the new state and try again.",
    );
    expect(e.details).toMatchObject({ live: { enabled: true, exposure: 75 }, expected: 70 });
    expect((await strategies(FLAG))[0].parameters.rollout).toBe('75');
    expect((await store.getFlag(FLAG)).envs.production.exposure).toBe(75);
  });

  it('adds a rollout strategy to a flag that has none, and rolls back to 0%', async () => {
    await admin('POST', '/api/admin/projects/default/features', { name: 'search-ranking', type: 'experiment' });
    expect((await store.getFlag('search-ranking')).envs.production).toMatchObject({
      enabled: false,
      exposure: 100,
      targeting: 'everyone (no strategies)',
    });
    await store.setExposure('search-ranking', 'production', 10, { expected: 100, comment: 'start small' });
    await store.setEnabled('search-ranking', 'production', true, { comment: 'start small' });
    expect((await store.getFlag('search-ranking')).envs.production).toMatchObject({ enabled: true, exposure: 10 });
    expect(await strategies('search-ranking')).toHaveLength(1); // turning on did not add Unleash's 100% default
    await store.setExposure('search-ranking', 'production', 0, { expected: 10, comment: 'rollback (zero mode)' });
    expect((await store.getFlag('search-ranking')).envs.production).toMatchObject({ enabled: true, exposure: 0 });
  });

  it('reads the history of every flag in the project, filtered by environment', async () => {
    const all = await store.history({ from: started - 60_000, to: Date.now() + 1_000 });
    expect(new Set(all.map((c) => c.flagKey))).toEqual(new Set([FLAG, 'put-control', 'search-ranking']));
    expect(all.map((c) => c.at)).toEqual([...all.map((c) => c.at)].sort((a, b) => a - b));
    const dev = await store.history({ from: started - 60_000, to: Date.now() + 1_000, env: 'development' });
    expect(dev.length).toBeGreaterThan(0);
    expect(dev.every((c) => c.kind === 'created' && c.env === '*')).toBe(true);
  });

  it('names a missing flag and a missing environment as not_found', async () => {
    const e = await rejection(store.getFlag('no-such-flag'));
    expect(e.code).toBe('not_found');
    expect(e.message).toMatch(
      /^Unleash: not found \(HTTP 404 on GET .*\/features\/no-such-flag\): There's no feature named "no-such-flag"/,
    );
    expect((await rejection(store.setEnabled(FLAG, 'staging', false, { comment: 'x' }))).code).toBe('not_found');
  });

  it('reports a bad token as unauthorized, without the token in the message', async () => {
    const bad = createUnleashStore({
      connection: connectionFor(unleash.url),
      token: '*:*.0000000000000000000000000000000000000000',
    });
    const e = await rejection(bad.listFlags());
    expect(e.code).toBe('unauthorized');
    expect(e.message).toMatch(
      /^Unleash: bad or insufficient token \(HTTP 401 on GET http:\/\/127\.0\.0\.1:\d+\/api\/admin\/.*\): You must log in to use Unleash\.$/,
    );
    expect(e.message).not.toContain('0000000000');
    const writeWithBadToken = await rejection(bad.setEnabled(FLAG, 'production', false, { comment: 'x' }));
    expect(writeWithBadToken.code).toBe('unauthorized');
    expect((await store.getFlag(FLAG)).envs.production.enabled).toBe(true);
  });

  it('reports an unreachable server as unreachable', async () => {
    const port = await freePort(); // nobody listens there
    const down = createUnleashStore({ connection: connectionFor(`http://127.0.0.1:${port}`), token: unleash.token });
    const e = await rejection(down.getFlag(FLAG));
    expect(e.code).toBe('unreachable');
    expect(e.message).toMatch(
      /^Unleash: unreachable \(GET http:\/\/127\.0\.0\.1:\d+\/api\/admin\/projects\/default\/features\/checkout-v2\): ECONNREFUSED/,
    );
  });
});
