import { afterEach, describe, expect, it } from 'vitest';
import { createLaunchDarklyStore } from '../../main/flags/launchdarkly';
import { defaultHttpDeps, type HttpDeps } from '../../main/net/http-client';
import { createRolloutService } from '../../main/rollout/rollout-service';
import { openStore } from '../../main/store';
import { createRedactor } from '../../main/store/audit-redact';
import { createEventBus } from '../../main/core/event-bus';
import { LaunchDarklyConnection } from '../../shared/domain/connections';
import { startFakeLaunchDarkly, type FakeLaunchDarkly } from '../support/vendor-servers/fake-launchdarkly';
import { rejection } from '../support/rejection';

/**
 * The write proofs of issue 9 through a real adapter over real HTTP (LaunchDarkly's documented API, served by the
 * fake with faults): a timed-out write that landed, a vendor dying right after applying, a slow pre-read that must
 * not hold the kill switch, and a secret echoed by the vendor that must never reach the audit table.
 */
let fake: FakeLaunchDarkly | undefined;
afterEach(async () => {
  await fake?.stop();
  fake = undefined;
});

/** Planted in the vendor's error: the secret of ANOTHER connection, which the LaunchDarkly client cannot know. */
const OTHER_SECRET = 'dd-app-key-0f9e8d7c6b5a4f3e';

async function setup(o: { writeMs?: number; http?: HttpDeps } = {}) {
  fake = await startFakeLaunchDarkly();
  const connection = LaunchDarklyConnection.parse({
    id: 'ld',
    name: 'LD',
    kind: 'launchdarkly',
    url: fake.url,
    project: 'default',
  });
  const http = o.http ?? { ...defaultHttpDeps, sleep: async () => undefined };
  const adapter = createLaunchDarklyStore({
    connection,
    token: fake.token,
    http,
    timeouts: { writeMs: o.writeMs ?? 15_000 },
  });
  const store = openStore(':memory:', Date.now, { redact: createRedactor(() => [fake?.token, OTHER_SECRET]) });
  const service = createRolloutService({
    flagStore: () => adapter,
    audit: store.audit,
    changes: store.changes,
    processes: store.processes,
    bus: createEventBus(),
    user: () => 'alice',
    settleDelaysMs: [],
    ownGraceMs: 0,
  });
  const last = () => store.audit.list({ limit: 1 })[0];
  return { fake, store, service, last };
}

const ramp = {
  connectionId: 'ld',
  flagKey: 'new-checkout',
  env: 'production',
  to: 25,
  expected: 5,
  comment: 'canary healthy',
  override: true,
  door: 'http' as const,
};
const rollback = {
  connectionId: 'ld',
  flagKey: 'new-checkout',
  env: 'production',
  comment: 'errors up',
  door: 'electron' as const,
};

describe('writes whose outcome is not known at once', () => {
  it('a timed-out write that landed: unknown first, then settled done by a read-back — never failed', async () => {
    const { fake, service, last } = await setup({ writeMs: 80 });
    fake.inject({ method: 'PATCH', fault: { kind: 'delay', ms: 300 } });
    const e = await rejection(service.ramp(ramp));
    expect(e.code).toBe('timeout');
    expect(last().result).toBe('unknown');
    await new Promise((r) => setTimeout(r, 400)); // the vendor finishes the slow write
    await service.reconcile();
    expect(last()).toMatchObject({ result: 'done', detail: { readBack: { exposure: 25 } } });
    expect(last().trail.map((t) => t.result)).toEqual(['unknown', 'done']);
    expect(fake.writes()).toHaveLength(1);
  });

  it('a vendor that dies right after applying the write: unknown (not failed), done once it answers again', async () => {
    let dead = false;
    const http: HttpDeps = {
      ...defaultHttpDeps,
      sleep: async () => undefined,
      fetch: async (url, init) => {
        if (dead) throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
        try {
          return await fetch(url, init);
        } finally {
          if (init?.method === 'PATCH') dead = true;
        }
      },
    };
    const { fake, service, last } = await setup({ http });
    fake.inject({ method: 'PATCH', fault: { kind: 'apply-then-reset' } });
    await expect(service.rollback(rollback)).rejects.toThrow(/outcome unknown/);
    expect(fake.state.flags[0].environments.production.on).toBe(false); // it did land
    expect(last()).toMatchObject({ result: 'unknown', action: 'rollback' });
    dead = false;
    await service.reconcile();
    expect(last()).toMatchObject({ result: 'done', detail: { reach: { state: 'none' } } });
    expect(last().trail.some((t) => t.result === 'failed')).toBe(false);
  });
});

describe('the kill switch is never held by a slow read', () => {
  it('sends the rollback write while an 11 s pre-read is still unanswered, and confirms it by the reach', async () => {
    const { fake, service, last } = await setup();
    fake.inject({ method: 'GET', path: '/api/v2/flags/default/new-checkout', fault: { kind: 'delay', ms: 11_000 } });
    const started = Date.now();
    const res = await service.rollback(rollback);
    const preRead = fake.requests.find((r) => r.fault === 'delay');
    const patch = fake.requests.find((r) => r.method === 'PATCH');
    expect(preRead?.status).toBeUndefined(); // still unanswered: the rollback did not wait for it
    expect(patch?.status).toBe(200);
    expect(res.reach?.state).toBe('none');
    expect(last()).toMatchObject({
      result: 'done',
      from: { enabled: null, exposure: null },
      detail: { preRead: expect.stringMatching(/did not wait/) },
    });
    console.log(
      `[rollback-slow-pre-read] write sent ${(patch?.at ?? 0) - started} ms after the click; confirmed in ${Date.now() - started} ms`,
    );
  });
});

describe('no secret in the audit table', () => {
  it('keeps a credential the vendor echoes in an error out of every row', async () => {
    const { fake, store, service } = await setup();
    fake.inject({
      method: 'PATCH',
      fault: {
        kind: 'status',
        status: 400,
        body: { code: 'invalid_request', message: `token ${fake.token} and app key ${OTHER_SECRET} rejected` },
      },
    });
    await expect(service.ramp(ramp)).rejects.toMatchObject({ code: 'bad_request' });
    const rows = JSON.stringify(store.db.prepare('SELECT * FROM audit_log').all());
    expect(rows).toMatch(/rejected/);
    expect(rows).not.toContain(fake.token);
    expect(rows).not.toContain(OTHER_SECRET);
  });
});
