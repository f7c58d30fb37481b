import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../main/core/core';
import { createHandlers } from '../../main/core/handlers';
import { createRegistrar, type Registrar } from '../../main/host/registrar';
import { envSecretResolver } from '../../main/host/env-secrets';
import type { Channel, RequestOf, ResponseOf } from '../../shared/contract';
import { startFakeLaunchDarkly, type FakeLaunchDarkly } from '../support/vendor-servers/fake-launchdarkly';
import { startFakeFlagsmith, type FakeFlagsmith } from '../support/vendor-servers/fake-flagsmith';

// One timeline: flags from every connection in one list, their histories merged, writes through any of them.
let core: Core;
let r: Registrar;
let ld: FakeLaunchDarkly;
let fs: FakeFlagsmith;
let dataDir: string;
const env: NodeJS.ProcessEnv = {};
const call = <C extends Channel>(c: C, p: RequestOf<C>): Promise<ResponseOf<C>> =>
  r.call(c, p as never, { door: 'http' });

beforeAll(async () => {
  ld = await startFakeLaunchDarkly();
  fs = await startFakeFlagsmith();
  env.RAMPART_LD_TOKEN = ld.token;
  env.RAMPART_FS_TOKEN = fs.token;
  dataDir = mkdtempSync(join(tmpdir(), 'rampart-multi-'));
  core = createCore({
    dataDir,
    resourcesDir: join(__dirname, '..', '..', 'resources'),
    secrets: envSecretResolver((id) => core.store.records.connections.get(id), env),
    version: 'test',
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

describe('every flag store on one list and one timeline', () => {
  it('lists flags from the demo flagd file, LaunchDarkly and Flagsmith together', async () => {
    const rows = await call('flags:list', {});
    const byConnection = new Set(rows.map((row) => row.connectionId));
    expect([...byConnection].sort()).toEqual(['demo-flags', 'fs', 'ld']);
    expect(
      rows.find((row) => row.connectionId === 'ld' && row.flagKey === 'new-checkout' && row.env === 'production')
        ?.exposure,
    ).toBe(5);
    const search = await call('flags:list', { search: 'checkout' });
    expect(
      search.every((row) => `${row.flagKey} ${row.name} ${row.connectionName}`.toLowerCase().includes('checkout')),
    ).toBe(true);
  });

  it('reports each connection test with its environments, and a missing token clearly', async () => {
    const t = await call('connections:test', { id: 'ld' });
    expect(t.environments.map((e) => e.key)).toContain('production');
    await call('connections:save', {
      connection: {
        id: 'ld-nokey',
        name: 'LD without key',
        kind: 'launchdarkly',
        url: ld.url,
        project: 'default',
        tokenEnv: 'RAMPART_NOT_SET_ANYWHERE',
      },
    });
    // A failed test is an answer, not an exception: ok false, with what failed.
    const failed = await call('connections:test', { id: 'ld-nokey' });
    expect(failed).toMatchObject({ ok: false, environments: [], checks: [{ name: 'environments', ok: false }] });
    expect(failed.message).toMatch(/RAMPART_NOT_SET_ANYWHERE named by connection 'LD without key' is not set/);
    await call('connections:remove', { id: 'ld-nokey' });
  });

  it('ramps a LaunchDarkly flag through the same rollout service, and merges its marker into the timeline', async () => {
    const res = await call('flags:ramp', {
      connectionId: 'ld',
      flagKey: 'new-checkout',
      env: 'production',
      to: 25,
      expected: 5,
      comment: 'canary healthy',
      override: true,
    });
    expect(res.readBack.exposure).toBe(25);
    const now = Date.now();
    const timeline = await call('flags:history', { from: now - 2 * 86_400_000, to: now + 1000 });
    const connections = new Set(timeline.map((c) => c.connectionId));
    expect(connections.has('demo-flags')).toBe(true);
    expect(connections.has('ld')).toBe(true);
    expect(timeline.some((c) => c.connectionId === 'ld' && c.label === 'rollout 5% → 25%')).toBe(true);
    for (let i = 1; i < timeline.length; i++) expect(timeline[i].at).toBeGreaterThanOrEqual(timeline[i - 1].at);
  });

  it('shows the last known state as stale when a store goes down, and never records a failed write as done', async () => {
    await call('flags:list', {});
    await ld.stop();
    const rows = await call('flags:list', { connectionId: 'ld' });
    expect(rows.length).toBeGreaterThan(0);
    expect(rows[0].stale?.message).toMatch(/LaunchDarkly/);
    expect(rows[0].stale?.code).toMatch(/^(unreachable|timeout|vendor_error)$/);
    await expect(
      call('flags:rollback', {
        connectionId: 'ld',
        flagKey: 'new-checkout',
        env: 'production',
        comment: 'store down test',
      }),
    ).rejects.toThrow(/LaunchDarkly/);
    const audit = await call('audit:list', { connectionId: 'ld' });
    expect(audit.filter((a) => a.action === 'rollback').every((a) => a.result !== 'done')).toBe(true);
  });
});
