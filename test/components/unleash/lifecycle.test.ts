import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Channel, RequestOf } from '../../../shared/contract';
import { createCore, type Core } from '../../../main/core/core';
import { createHandlers } from '../../../main/core/handlers';
import { createRegistrar } from '../../../main/host/registrar';
import { envSecretResolver } from '../../../main/host/env-secrets';
import { startUnleash, type RunningUnleash } from './harness';
import { adminClient, envPath, type Admin, type RawStrategy } from './race-support';

/**
 * Issue 14 on a real Unleash 6.10.1: a flag released to everyone is stale 40 days later (the core's injectable clock;
 * Unleash's own event log dates the release), restore and promote really change Unleash — checked with raw HTTP —
 * and a version from before a targeting change is refused, with nothing written.
 */
const DAY = 86_400_000;
const TOKEN_ENV = 'RAMPART_LIFECYCLE_UNLEASH_TOKEN';
let unleash: RunningUnleash;
let admin: Admin;
let core: Core;
let dataDir: string;
let offset = 0;
let r: ReturnType<typeof createRegistrar>;
const call = <C extends Channel>(c: C, p: RequestOf<C>) => r.call(c, p, { door: 'cli' });

let startError: unknown;
beforeEach(() => {
  if (startError) throw startError;
});

const rollout = (flag: string, percent: number) => ({
  name: 'flexibleRollout',
  parameters: { rollout: String(percent), stickiness: 'default', groupId: flag },
  constraints: [],
  variants: [],
});
async function seed(flag: string, envs: Record<string, number>): Promise<Record<string, RawStrategy>> {
  await admin('POST', '/api/admin/projects/default/features', { name: flag, type: 'release' });
  const out: Record<string, RawStrategy> = {};
  for (const [env, percent] of Object.entries(envs)) {
    out[env] = await admin<RawStrategy>('POST', `${envPath(flag, env)}/strategies`, rollout(flag, percent));
    await admin('POST', `${envPath(flag, env)}/on`);
  }
  return out;
}
const rawRollout = async (flag: string, env = 'production') =>
  (await admin<RawStrategy[]>('GET', `${envPath(flag, env)}/strategies`)).map((s) => s.parameters.rollout);

beforeAll(async () => {
  try {
    unleash = await startUnleash();
    admin = adminClient(unleash.url, unleash.token);
    await seed('released-flag', { production: 100 });
    await seed('canary-flag', { development: 50, production: 5 });
    dataDir = mkdtempSync(join(tmpdir(), 'rampart-lifecycle-unleash-'));
    const env = { [TOKEN_ENV]: unleash.token };
    core = createCore({
      dataDir,
      resourcesDir: join(__dirname, '..', '..', '..', 'resources'),
      demo: false,
      secrets: envSecretResolver((id) => core.store.records.connections.get(id), env),
      version: 'test',
      user: () => 'tester',
      now: () => Date.now() + offset,
    });
    r = createRegistrar(createHandlers(core));
    await call('connections:save', {
      connection: { id: 'unleash', kind: 'unleash', name: 'Local Unleash', url: unleash.url, tokenEnv: TOKEN_ENV },
    });
  } catch (e) {
    startError = e;
  }
});
afterAll(async () => {
  core?.close();
  await unleash?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('lifecycle on a real Unleash 6', () => {
  it("a flag released today is released; 40 days later (injected clock) it is stale, dated by Unleash's event log", async () => {
    const today = (await call('lifecycle:list', {})).rows.find(
      (x) => x.flagKey === 'released-flag' && x.env === 'production',
    )!;
    expect(today).toMatchObject({
      stage: 'released',
      sinceBasis: 'exact',
      owner: 'rampart-harness',
      staleReason: null,
    });
    expect(Math.abs(today.since! - Date.now())).toBeLessThan(5 * 60_000);
    offset = 40 * DAY;
    try {
      const { rows } = await call('lifecycle:list', {});
      const later = rows.find((x) => x.flagKey === 'released-flag' && x.env === 'production')!;
      expect(later).toMatchObject({ stage: 'stale', doneAs: 'released', since: today.since, sinceBasis: 'exact' });
      expect(later.staleReason).toBe('released to everyone and unchanged for 40 days; the threshold is 30 days');
      expect(rows.find((x) => x.flagKey === 'canary-flag' && x.env === 'production')?.stage).toBe('rolling-out');
      expect(rows.find((x) => x.flagKey === 'released-flag' && x.env === 'development')?.stage).toBe('created'); // never on there
    } finally {
      offset = 0;
    }
  });

  it('restores an earlier version: Unleash really changes, read back, audited', async () => {
    await call('flags:ramp', {
      connectionId: 'unleash',
      flagKey: 'canary-flag',
      env: 'production',
      to: 25,
      expected: 5,
      comment: 'canary to 25',
      override: false,
    });
    expect(await rawRollout('canary-flag')).toEqual(['25']);
    const { versions } = await call('lifecycle:versions', {
      connectionId: 'unleash',
      flagKey: 'canary-flag',
      env: 'production',
    });
    expect(versions.at(-1)).toMatchObject({
      current: true,
      source: 'rampart',
      comment: 'canary to 25',
      state: { exposure: 25 },
      audit: { action: 'ramp', result: 'done' },
    });
    expect(versions.filter((v) => v.source === 'vendor' && v.label === 'rollout 5% → 25%')).toEqual([]); // Unleash's echo of Rampart's ramp is hidden
    const five = versions.filter((v) => v.state.enabled === true && v.state.exposure === 5 && v.restorable.ok).at(-1)!;
    expect(five.actor).toBe('rampart-harness');
    const res = await call('lifecycle:restore', {
      connectionId: 'unleash',
      flagKey: 'canary-flag',
      env: 'production',
      version: five.version,
      comment: 'back to the 5 % canary',
    });
    expect(res.readBack).toEqual({ enabled: true, exposure: 5 });
    expect(await rawRollout('canary-flag')).toEqual(['5']);
    const [entry] = await call('audit:list', { limit: 1, flagKey: 'canary-flag' });
    expect(entry).toMatchObject({
      action: 'restore',
      result: 'done',
      comment: 'back to the 5 % canary',
      detail: { version: five.version },
    });
  });

  it('promotes development → production: the review, then the write, checked in Unleash', async () => {
    const from = { connectionId: 'unleash', env: 'development' };
    const to = { connectionId: 'unleash', env: 'production' };
    const review = await call('lifecycle:promotePreview', { flagKey: 'canary-flag', from, to });
    expect(review.changes).toEqual([{ field: 'exposure', from: '5%', to: '50%' }]);
    expect(review.blastRadius).toMatchObject({ before: 5, after: 50, targetWatched: false });
    const expected = { from: { enabled: true, exposure: 50 }, to: { enabled: true, exposure: 5 } };
    const res = await call('lifecycle:promote', {
      flagKey: 'canary-flag',
      from,
      to,
      expected,
      comment: 'development looked fine',
    });
    expect(res.mode === 'state' && res.result.readBack).toEqual({ enabled: true, exposure: 50 });
    expect(await rawRollout('canary-flag')).toEqual(['50']);
    expect(await rawRollout('canary-flag', 'development')).toEqual(['50']);
  });

  it('refuses a version from before a targeting change and writes nothing', async () => {
    const [s] = await admin<RawStrategy[]>('GET', `${envPath('canary-flag')}/strategies`);
    await admin('PUT', `${envPath('canary-flag')}/strategies/${s.id}`, {
      ...rollout('canary-flag', 50),
      constraints: [{ contextName: 'appName', operator: 'IN', values: ['web'] }],
    });
    const { versions, live } = await call('lifecycle:versions', {
      connectionId: 'unleash',
      flagKey: 'canary-flag',
      env: 'production',
    });
    expect(live.targeting).toContain('appName IN [web]');
    const old = versions.find((v) => v.state.exposure === 25)!;
    expect(old.restorable.ok).toBe(false);
    expect(old.restorable.reason).toMatch(
      /the targeting changed since then .*restore the targeting in Local Unleash itself/,
    );
    await expect(
      call('lifecycle:restore', {
        connectionId: 'unleash',
        flagKey: 'canary-flag',
        env: 'production',
        version: old.version,
        comment: 'try anyway',
      }),
    ).rejects.toMatchObject({ code: 'blocked' });
    expect(await rawRollout('canary-flag')).toEqual(['50']);
    expect((await call('audit:list', { limit: 1, flagKey: 'canary-flag' }))[0]).toMatchObject({
      action: 'restore',
      result: 'refused',
    });
  });
});
