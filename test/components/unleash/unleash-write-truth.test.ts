import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../../main/host/cli';
import { createUnleashStore } from '../../../main/flags/unleash';
import { createRolloutService } from '../../../main/rollout/rollout-service';
import { openStore } from '../../../main/store';
import { createEventBus } from '../../../main/core/event-bus';
import { UnleashConnection } from '../../../shared/domain/connections';
import { startUnleash, type RunningUnleash } from './harness';
import { startFaultProxy, type FaultProxy } from './fault-proxy';
import { adminClient, envPath, type Admin } from './race-support';

/**
 * Issue 9 (tester findings F6, F7) on a real Unleash 6.10.1, through the CLI door — the door whose own pre-read held
 * the kill switch: a rollback sends its write when the pre-read is held past the client timeout or answered with
 * malformed JSON, for both rollback modes, audits it and is confirmed by the read-back; a ramp reads the flag once
 * (plus the read-back); a ramp never turns on an environment someone turned off since the user looked.
 */
const TOKEN_ENV = 'RAMPART_TEST_WRITE_TRUTH_UNLEASH_TOKEN';
let unleash: RunningUnleash;
let admin: Admin;
let alice: Admin;
let proxy: FaultProxy;
let dataDir: string;
let startError: unknown;

beforeEach(() => {
  if (startError) throw startError;
});

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main([...argv, '--data-dir', dataDir], { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

async function seed(flag: string, rollout = 30): Promise<void> {
  await admin('POST', '/api/admin/projects/default/features', { name: flag, type: 'release' });
  await admin('POST', `${envPath(flag)}/strategies`, {
    name: 'flexibleRollout',
    parameters: { rollout: String(rollout), stickiness: 'default', groupId: flag },
    constraints: [],
    variants: [],
  });
  await admin('POST', `${envPath(flag)}/on`);
}

const raw = (flag: string) =>
  admin<{ enabled: boolean; strategies: { parameters: { rollout: string } }[] }>('GET', envPath(flag));

beforeAll(async () => {
  try {
    unleash = await startUnleash();
    admin = adminClient(unleash.url, unleash.token);
    alice = adminClient(unleash.url, unleash.secondActor.token);
    proxy = await startFaultProxy(unleash.url);
    dataDir = mkdtempSync(join(tmpdir(), 'rampart-write-truth-'));
    process.env[TOKEN_ENV] = unleash.token;
    for (const mode of ['off', 'zero'])
      expect(
        (
          await cli(
            'connections',
            'add',
            '--kind',
            'unleash',
            '--name',
            `u-${mode}`,
            '--url',
            proxy.url,
            '--rollback-mode',
            mode,
            '--token-env',
            TOKEN_ENV,
          )
        ).code,
      ).toBe(0);
  } catch (e) {
    startError = e;
  }
}, 240_000);

afterAll(async () => {
  delete process.env[TOKEN_ENV];
  await proxy?.close();
  await unleash?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('the CLI rollback never waits on its pre-read (F7)', () => {
  for (const mode of ['off', 'zero'] as const)
    for (const fault of ['slow', 'badjson'] as const)
      it(`rollbackMode ${mode}, pre-read ${fault === 'slow' ? 'held past the client timeout' : 'malformed JSON'}: write sent, audited, confirmed`, async () => {
        const flag = `f7-${mode}-${fault}`;
        await seed(flag);
        proxy.rearm(fault);
        const before = proxy.writes().length;
        const r = await cli(
          'rollback',
          flag,
          '--env',
          'production',
          '--connection',
          `u-${mode}`,
          '--comment',
          'kill it now',
        );
        expect(r.err).toBe('');
        expect(r.code).toBe(0);
        expect(r.out).toMatch(/rolled back .* confirmed by read-back; audit /);
        expect(proxy.writes().length).toBeGreaterThan(before);
        expect((await raw(flag)).enabled).toBe(false); // no pre-read: both modes turn the environment off
        const audit = JSON.parse((await cli('audit', 'list', '--flag', flag, '--json')).out) as {
          result: string;
          trail: unknown[];
          detail: { preRead?: string };
        }[];
        expect(audit).toHaveLength(1);
        expect(audit[0].result).toBe('done');
        expect(audit[0].detail.preRead).toMatch(/failed|no answer within/);
        expect((await cli('audit', 'list', '--flag', flag)).out).toMatch(/— → off \(code default\)/); // the pre-read never answered: FROM is unknown, TO is the read-back
      });

  it('an unknown flag is exit 2 from the rollback\u2019s own not_found, audited as a refusal', async () => {
    proxy.rearm('pass');
    const r = await cli(
      'rollback',
      'no-such-flag',
      '--env',
      'production',
      '--connection',
      'u-off',
      '--comment',
      'stop',
    );
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/unknown flag 'no-such-flag'/);
    const [row] = JSON.parse((await cli('audit', 'list', '--flag', 'no-such-flag', '--json')).out) as {
      result: string;
      reason: string;
      error: string | null;
    }[];
    expect(row.result).toBe('refused');
    expect(row.reason).toMatch(/no-such-flag/);
    expect(row.error).toBeNull(); // the reason is written once
  });
});

describe('a ramp on the real Unleash', () => {
  it('reads the flag once before the write and once after', async () => {
    await seed('one-read', 10);
    proxy.rearm('pass');
    const from = proxy.log.length;
    const r = await cli(
      'ramp',
      'one-read',
      '--env',
      'production',
      '--to',
      '20',
      '--connection',
      'u-off',
      '--comment',
      'ramp',
    );
    expect(r.code).toBe(0);
    const reads = proxy.log.slice(from).filter((l) => l === 'GET /api/admin/projects/default/features/one-read').length;
    expect(reads).toBe(2);
  });

  it('refuses, writing nothing, when the environment was turned off since the user looked (F6)', async () => {
    await seed('killed-by-alice', 10);
    await alice('POST', `${envPath('killed-by-alice')}/off`);
    proxy.rearm('pass');
    const writes = proxy.writes().length;
    const r = await cli(
      'ramp',
      'killed-by-alice',
      '--env',
      'production',
      '--to',
      '20',
      '--expected',
      '10',
      '--connection',
      'u-off',
      '--comment',
      'ramp as planned',
    );
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/changed since you looked: it is now off/);
    expect(proxy.writes().length).toBe(writes);
    expect((await raw('killed-by-alice')).enabled).toBe(false);
    const [row] = JSON.parse((await cli('audit', 'list', '--flag', 'killed-by-alice', '--json')).out) as {
      result: string;
      error: string | null;
    }[];
    expect(row).toMatchObject({ result: 'refused', error: null });
  });

  it('race: alice turns the environment off just before each ramp — 0 of N silently re-enabled', async () => {
    const connection = UnleashConnection.parse({ id: 'u', name: 'u', kind: 'unleash', url: unleash.url });
    const adapter = createUnleashStore({ connection, token: unleash.token });
    const store = openStore(':memory:');
    const service = createRolloutService({
      flagStore: () => adapter,
      audit: store.audit,
      changes: store.changes,
      processes: store.processes,
      bus: createEventBus(),
      user: () => 'rampart',
      settleDelaysMs: [],
    });
    const N = 8;
    const outcomes: string[] = [];
    for (let i = 0; i < N; i++) {
      const flag = `race-off-${i}`;
      await seed(flag, 10);
      // alice's off is sent first; the ramp follows within a few ms (before or after it lands).
      const off = alice('POST', `${envPath(flag)}/off`);
      await new Promise((r) => setTimeout(r, i * 3));
      const ramp = service
        .ramp({
          connectionId: 'u',
          flagKey: flag,
          env: 'production',
          to: 20,
          expected: 10,
          expectedEnabled: true,
          comment: 'race ramp',
          override: true,
          door: 'cli',
        })
        .then(
          () => 'done',
          (e: { code?: string }) => e.code ?? 'error',
        );
      await off;
      outcomes.push(await ramp);
      expect((await raw(flag)).enabled, `${flag}: ${outcomes[i]}`).toBe(false);
    }
    service.close();
    store.close();
    // Every ramp that saw the environment off was refused; none turned it back on.
    expect(outcomes.filter((o) => o === 'conflict').length).toBeGreaterThan(0);
  });
});
