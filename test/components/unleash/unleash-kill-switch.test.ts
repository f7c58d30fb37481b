import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createUnleashStore } from '../../../main/flags/unleash';
import type { FlagStore } from '../../../main/flags/flag-store';
import { UnleashConnection } from '../../../shared/domain/connections';
import { startDelayProxy, type DelayProxy } from './delay-proxy';
import { startUnleash, type RunningUnleash } from './harness';
import { adminClient, envPath, type Admin, type RawStrategy } from './race-support';

/**
 * Issue 9: the Unleash kill switch on a real Unleash 6.10.1, for every targeting shape a person can build in its
 * UI. Each shape: read as the rollout service does, roll back with rollbackMode 'zero' (the harder mode), then
 * `treatmentReach` must be `none` AND the live state read with raw HTTP must agree (every active strategy a
 * gradual rollout at 0%, or the environment off).
 */
let unleash: RunningUnleash;
let admin: Admin;
let zero: FlagStore;
let off: FlagStore;
let slowProxy: DelayProxy;
const started = Date.now();

let startError: unknown;
beforeEach(() => {
  if (startError) throw startError;
});

const connection = (url: string, rollbackMode: 'off' | 'zero') =>
  UnleashConnection.parse({
    id: `unleash-${rollbackMode}`,
    name: `Unleash (${rollbackMode})`,
    kind: 'unleash',
    url,
    rollbackMode,
  });

beforeAll(async () => {
  try {
    unleash = await startUnleash();
    admin = adminClient(unleash.url, unleash.token);
    zero = createUnleashStore({ connection: connection(unleash.url, 'zero'), token: unleash.token });
    off = createUnleashStore({ connection: connection(unleash.url, 'off'), token: unleash.token });
    slowProxy = await startDelayProxy(unleash.url, 2_300);
  } catch (e) {
    startError = e;
  }
});

afterAll(async () => {
  await slowProxy?.close();
  await unleash?.stop();
  console.info(`unleash kill switch: ${((Date.now() - started) / 1000).toFixed(1)} s including server start and stop`);
});

const webOnly = [{ contextName: 'appName', operator: 'IN', values: ['web'] }];
const variants = [
  { name: 'blue', weight: 500, weightType: 'variable', stickiness: 'default' },
  { name: 'green', weight: 500, weightType: 'variable', stickiness: 'default' },
];
const rollout = (flag: string, percent: number, extra: Record<string, unknown> = {}) => ({
  name: 'flexibleRollout',
  parameters: { rollout: String(percent), stickiness: 'default', groupId: flag },
  constraints: [],
  variants: [],
  ...extra,
});

/** A flag with these strategies in production, turned on (unless every strategy is disabled). */
async function seed(flag: string, strategies: Record<string, unknown>[]): Promise<RawStrategy[]> {
  await admin('POST', '/api/admin/projects/default/features', { name: flag, type: 'release' });
  const created: RawStrategy[] = [];
  for (const s of strategies) created.push(await admin<RawStrategy>('POST', `${envPath(flag)}/strategies`, s));
  await admin('POST', `${envPath(flag)}/on`);
  return created;
}

const live = async (store: FlagStore, flag: string) => (await store.getFlag(flag)).envs.production;
const raw = (flag: string) => admin<{ enabled: boolean; strategies: RawStrategy[] }>('GET', envPath(flag));

/** Unleash's own semantics, from raw HTTP: nobody gets the flag when it is off or every active strategy is at 0. */
async function servesNobody(flag: string): Promise<boolean> {
  const env = await raw(flag);
  const active = env.strategies.filter((s) => !s.disabled);
  return (
    !env.enabled ||
    (active.length > 0 && active.every((s) => s.name === 'flexibleRollout' && s.parameters.rollout === '0'))
  );
}

async function rollBack(store: FlagStore, flag: string) {
  const report = await store.rollback(flag, 'production', { comment: 'p99 regression', live: await live(store, flag) });
  const reach = await store.treatmentReach(flag, 'production');
  return { report, reach, env: await raw(flag) };
}

describe('Unleash rollback covers every strategy (real Unleash 6.10.1, rollbackMode zero)', () => {
  it('several gradual rollouts (one with variants, one for web only at 100%): every one to 0%, environment stays on', async () => {
    await seed('ks-many', [
      rollout('ks-many', 40),
      rollout('ks-many', 100, { constraints: webOnly }),
      rollout('ks-many', 10, { variants }),
    ]);
    expect(await zero.treatmentReach('ks-many', 'production')).toMatchObject({ state: 'some', share: null });
    const { report, reach, env } = await rollBack(zero, 'ks-many');
    expect(reach).toMatchObject({ state: 'none' });
    expect(env.enabled).toBe(true);
    expect(env.strategies.map((s) => s.parameters.rollout)).toEqual(['0', '0', '0']);
    expect(env.strategies[1].constraints).toEqual(webOnly); // a PATCH, not a PUT: constraints and variants stay
    expect(env.strategies[2].variants).toHaveLength(2);
    expect(report.note).toBe('Rampart set rollout 0% on 3 gradual rollout strategies.');
    expect(await servesNobody('ks-many')).toBe(true);
  });

  it('a 100% gradual rollout for web only: to 0%, not left active', async () => {
    await seed('ks-web', [rollout('ks-web', 100, { constraints: webOnly })]);
    expect(await zero.treatmentReach('ks-web', 'production')).toMatchObject({ state: 'some', share: null });
    const { reach, env } = await rollBack(zero, 'ks-web');
    expect(reach).toMatchObject({ state: 'none' });
    expect(env).toMatchObject({ enabled: true, strategies: [{ parameters: { rollout: '0' } }] });
  });

  it('a standard strategy with constraints next to a rollout: the environment off instead, and says why', async () => {
    await seed('ks-default', [rollout('ks-default', 20), { name: 'default', constraints: webOnly, parameters: {} }]);
    const { report, reach, env } = await rollBack(zero, 'ks-default');
    expect(reach).toEqual({ state: 'none', detail: 'the environment is off' });
    expect(env.enabled).toBe(false);
    expect(report.note).toBe(
      'Rampart turned production off instead of setting rollout 0%: the standard ("default") strategy with constraints is active and rollout 0 cannot narrow it.',
    );
    expect(await servesNobody('ks-default')).toBe(true);
  });

  it('a user list (userWithId) is another way to the treatment: off', async () => {
    await seed('ks-users', [
      rollout('ks-users', 5),
      { name: 'userWithId', parameters: { userIds: 'ada,grace' }, constraints: [] },
    ]);
    const { report, reach, env } = await rollBack(zero, 'ks-users');
    expect(reach.state).toBe('none');
    expect(env.enabled).toBe(false);
    expect(report.note).toMatch(/the userWithId strategy is active/);
  });

  it('a custom strategy Rampart cannot evaluate: reach unknown before, off after', async () => {
    await admin('POST', '/api/admin/strategies', {
      name: 'canaryHosts',
      description: 'hosts in the canary pool',
      parameters: [{ name: 'hosts', type: 'list', required: false }],
    });
    await seed('ks-custom', [
      rollout('ks-custom', 0),
      { name: 'canaryHosts', parameters: { hosts: 'web-1' }, constraints: [] },
    ]);
    expect(await zero.treatmentReach('ks-custom', 'production')).toMatchObject({
      state: 'unknown',
      detail: expect.stringContaining('canaryHosts'),
    });
    const { report, reach, env } = await rollBack(zero, 'ks-custom');
    expect(reach.state).toBe('none');
    expect(env.enabled).toBe(false);
    expect(report.note).toMatch(/the canaryHosts strategy is active/);
  });

  it('disabled strategies stay as they are; the active rollout goes to 0%', async () => {
    const [, paused] = await seed('ks-paused', [
      rollout('ks-paused', 30),
      { name: 'default', constraints: [], parameters: {}, disabled: false },
    ]);
    await admin('PATCH', `${envPath('ks-paused')}/strategies/${paused.id}`, [
      { op: 'replace', path: '/disabled', value: true },
    ]);
    expect(await zero.treatmentReach('ks-paused', 'production')).toMatchObject({ state: 'some', share: 30 });
    const { reach, env } = await rollBack(zero, 'ks-paused');
    expect(reach.state).toBe('none');
    expect(env.enabled).toBe(true);
    expect(env.strategies.map((s) => [s.name, s.parameters.rollout ?? null, s.disabled])).toEqual([
      ['flexibleRollout', '0', false],
      ['default', null, true],
    ]);
  });

  it('no strategies: Unleash turns the environment off when its last strategy goes; the rollback keeps it off', async () => {
    const [only] = await seed('ks-none', [rollout('ks-none', 60)]);
    await admin('DELETE', `${envPath('ks-none')}/strategies/${only.id}`);
    expect(await raw('ks-none')).toMatchObject({ enabled: false, strategies: [] }); // (on with none would serve everyone)
    const { report, reach, env } = await rollBack(zero, 'ks-none');
    expect(reach).toEqual({ state: 'none', detail: 'the environment is off' });
    expect(env.enabled).toBe(false);
    expect(report.note).toBe('production was already off.');
  });

  it("rollbackMode 'off' turns the environment off without needing a read", async () => {
    await seed('ks-off', [rollout('ks-off', 70, { constraints: webOnly })]);
    const report = await off.rollback('ks-off', 'production', { comment: 'kill', live: null });
    expect(report).toEqual({});
    expect(await off.treatmentReach('ks-off', 'production')).toMatchObject({ state: 'none' });
    expect((await raw('ks-off')).enabled).toBe(false);
  });

  it('zero mode without a pre-read (it failed) turns off, and says why', async () => {
    await seed('ks-noread', [rollout('ks-noread', 70)]);
    const report = await zero.rollback('ks-noread', 'production', { comment: 'kill', live: null });
    expect(report.note).toMatch(
      /^Rampart turned production off instead of setting rollout 0%: the flag could not be read/,
    );
    expect(await servesNobody('ks-noread')).toBe(true);
  });

  it('a slow pre-read (2.3 s, over its 2 s budget) does not stop the write: off, sent within seconds', async () => {
    await seed('ks-slow', [rollout('ks-slow', 70)]);
    const seen = await live(zero, 'ks-slow'); // read by another instance: the slow one must read for itself
    const slow = createUnleashStore({ connection: connection(slowProxy.url, 'zero'), token: unleash.token });
    const report = await slow.rollback('ks-slow', 'production', { comment: 'kill', live: seen });
    expect(report.note).toMatch(/its strategies could not be read \(Unleash: timed out after 2000 ms/);
    expect(report.note).not.toContain(unleash.token);
    expect(await servesNobody('ks-slow')).toBe(true);
  });
});
