import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../main/core/core';
import { createHandlers } from '../../main/core/handlers';
import { createRegistrar } from '../../main/host/registrar';
import type { Channel, RequestOf } from '../../shared/contract';
import { envSecretResolver } from '../../main/host/env-secrets';
import { startFakeLaunchDarkly, type FakeLaunchDarkly } from '../support/vendor-servers/fake-launchdarkly';
import { startFakeFlagsmith, type FakeFlagsmith } from '../support/vendor-servers/fake-flagsmith';
import { DAY, RESOURCES } from './support';

/**
 * The lifecycle against the documented-shape fakes of LaunchDarkly (REST v2: JSON Patch with `test /version`, the
 * audit log as history) and Flagsmith (feature states, segment overrides, the audit log): promote between two
 * environments of one connection, version history from the vendor's audit log, restore — each write read back from
 * the fake's own state.
 */
let ld: FakeLaunchDarkly;
let fs: FakeFlagsmith;
let core: Core;
let dataDir: string;
let clock = 0;
let r: ReturnType<typeof createRegistrar>;
const call = <C extends Channel>(c: C, p: RequestOf<C>) => r.call(c, p, { door: 'cli' });

beforeAll(async () => {
  ld = await startFakeLaunchDarkly();
  fs = await startFakeFlagsmith();
  const env = { RAMPART_LD_TOKEN: ld.token, RAMPART_FS_TOKEN: fs.token };
  dataDir = mkdtempSync(join(tmpdir(), 'rampart-lifecycle-vendors-'));
  core = createCore({
    dataDir,
    resourcesDir: RESOURCES,
    demo: false,
    secrets: envSecretResolver((id) => core.store.records.connections.get(id), env),
    version: 'test',
    user: () => 'tester',
    now: () => Date.now() + clock,
  });
  r = createRegistrar(createHandlers(core));
  await call('connections:save', {
    connection: {
      id: 'ld',
      name: 'LaunchDarkly',
      kind: 'launchdarkly',
      url: ld.url,
      project: 'default',
      tokenEnv: 'RAMPART_LD_TOKEN',
    },
  });
  await call('connections:save', {
    connection: {
      id: 'fs',
      name: 'Flagsmith',
      kind: 'flagsmith',
      url: fs.url,
      project: 'Rampart demo',
      tokenEnv: 'RAMPART_FS_TOKEN',
    },
  });
});
afterAll(async () => {
  core.close();
  await ld.stop();
  await fs.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const ldProd = () => ld.state.flags.find((f) => f.key === 'new-checkout')!.environments.production;
const ldStaging = () => ld.state.flags.find((f) => f.key === 'new-checkout')!.environments.staging;

describe('LaunchDarkly (documented-shape fake)', () => {
  it('promotes production → staging within one connection: reviewed, written with the version test, read back', async () => {
    const review = await call('lifecycle:promotePreview', {
      flagKey: 'new-checkout',
      from: { connectionId: 'ld', env: 'production' },
      to: { connectionId: 'ld', env: 'staging' },
    });
    expect(review.from.state).toMatchObject({ enabled: true, exposure: 5 });
    expect(review.to.state.enabled).toBe(false);
    expect(review.changes.map((c) => c.field)).toContain('enabled');
    expect(review.copy.ok).toBe(true);
    const res = await call('lifecycle:promote', {
      flagKey: 'new-checkout',
      from: { connectionId: 'ld', env: 'production' },
      to: { connectionId: 'ld', env: 'staging' },
      comment: 'staging mirrors production',
    });
    expect(res.mode === 'state' && res.result.readBack).toEqual({ enabled: true, exposure: 5 });
    expect(ldStaging().on).toBe(true);
    const patches = ld.writes().map((w) => w.body as { comment: string; patch?: { op: string }[] });
    expect(patches.every((p) => p.comment === 'staging mirrors production')).toBe(true);
    expect(patches.some((p) => p.patch?.[0]?.op === 'test')).toBe(true);
  });

  it("lists versions from LaunchDarkly's audit log (someone else's edit with its actor) and restores one", async () => {
    ld.edit(
      'new-checkout',
      'production',
      (cfg) => {
        cfg.fallthrough = {
          rollout: {
            variations: [
              { variation: 0, weight: 30000 },
              { variation: 1, weight: 70000 },
            ],
            contextKind: 'user',
          },
        };
      },
      { comment: 'to 30 from the LD UI' },
    );
    const { versions, live } = await call('lifecycle:versions', {
      connectionId: 'ld',
      flagKey: 'new-checkout',
      env: 'production',
    });
    expect(live).toMatchObject({ enabled: true, exposure: 30 });
    const last = versions.at(-1)!;
    expect(last).toMatchObject({
      current: true,
      source: 'vendor',
      comment: 'to 30 from the LD UI',
      diff: [{ field: 'exposure', from: '5%', to: '30%' }],
    });
    expect(last.actor).toBeTruthy();
    const before = versions.at(-2)!;
    expect(before.state).toMatchObject({ enabled: true, exposure: 5 });
    const res = await call('lifecycle:restore', {
      connectionId: 'ld',
      flagKey: 'new-checkout',
      env: 'production',
      version: before.version,
      comment: 'undo the UI edit',
    });
    expect(res.readBack).toEqual({ enabled: true, exposure: 5 });
    expect(ldProd().fallthrough).toMatchObject({
      rollout: {
        variations: [
          { variation: 0, weight: 5000 },
          { variation: 1, weight: 95000 },
        ],
      },
    });
  });

  it('derives stages from the vendor history with the injected clock: 31 days on, the edited flag is still rolling out', async () => {
    clock = 31 * DAY;
    try {
      const { rows } = await call('lifecycle:list', { connectionId: 'ld' });
      expect(rows.find((r) => r.flagKey === 'new-checkout' && r.env === 'production')).toMatchObject({
        stage: 'rolling-out',
        staleReason: null,
      });
      const ranker = rows.find((r) => r.flagKey === 'search-ranker' && r.env === 'production')!;
      expect(['rolling-out', 'released', 'stale']).toContain(ranker.stage);
    } finally {
      clock = 0;
    }
  });
});

describe('Flagsmith (documented-shape fake)', () => {
  it('ramps, then restores the previous version from the history; read back from the fake', async () => {
    const got = await call('flags:get', { connectionId: 'fs', flagKey: 'pricing-page' });
    const env = Object.keys(got.flag.envs).find((e) => got.flag.envs[e].exposure === 20)!;
    expect(env).toBeDefined();
    await call('flags:ramp', {
      connectionId: 'fs',
      flagKey: 'pricing-page',
      env,
      to: 40,
      expected: 20,
      comment: 'more pricing tests',
      override: false,
    });
    const { versions } = await call('lifecycle:versions', { connectionId: 'fs', flagKey: 'pricing-page', env });
    const current = versions.at(-1)!;
    expect(current).toMatchObject({ current: true, state: { exposure: 40 }, audit: { action: 'ramp', door: 'cli' } });
    const twenty = versions.filter((v) => v.state.exposure === 20 && v.restorable.ok).at(-1);
    expect(twenty, JSON.stringify(versions.map((v) => [v.version, v.label, v.state, v.restorable]))).toBeDefined();
    const res = await call('lifecycle:restore', {
      connectionId: 'fs',
      flagKey: 'pricing-page',
      env,
      version: twenty!.version,
      comment: 'back to 20 %',
    });
    expect(res.readBack.exposure).toBe(20);
    expect((await call('flags:get', { connectionId: 'fs', flagKey: 'pricing-page' })).flag.envs[env].exposure).toBe(20);
  });
});
