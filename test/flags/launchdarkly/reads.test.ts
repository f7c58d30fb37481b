import { afterEach, describe, expect, it } from 'vitest';
import { defaultHttpDeps } from '../../../main/net/http-client';
import { startFakeLaunchDarkly, type FakeLaunchDarkly } from '../../support/vendor-servers/fake-launchdarkly';
import type { FlagSeed } from '../../support/vendor-servers/launchdarkly-state';
import { caught, ldStore } from './helpers';

let fake: FakeLaunchDarkly;
afterEach(async () => fake?.stop());

describe('LaunchDarkly adapter: reads against the documented REST v2 shapes', () => {
  it('lists environments without ever surfacing SDK or mobile keys, with the token and pinned API version on every call', async () => {
    fake = await startFakeLaunchDarkly();
    const envs = await ldStore(fake).environments();
    expect(envs).toEqual([
      { key: 'production', name: 'Production' },
      { key: 'staging', name: 'Staging' },
    ]);
    expect(JSON.stringify(envs)).not.toMatch(/sdk-|mob-/);
    for (const r of fake.requests) {
      expect(r.headers.authorization).toBe(fake.token);
      expect(r.headers['ld-api-version']).toBe('20240415');
    }
  });

  it('maps per-environment config to exposure: boolean rollout, fixed variation, and a 3-way rollout against offVariation', async () => {
    fake = await startFakeLaunchDarkly();
    const flags = await ldStore(fake).listFlags();
    const checkout = flags.find((f) => f.key === 'new-checkout');
    expect(checkout?.envs.production).toMatchObject({
      enabled: true,
      exposure: 5,
      treatment: 'true',
      control: 'false',
      version: 1,
    });
    expect(checkout?.envs.staging).toMatchObject({ enabled: false, exposure: 0 });
    const ranker = flags.find((f) => f.key === 'search-ranker');
    expect(ranker?.variants).toEqual(['classic', 'bm25', 'neural']);
    expect(ranker?.envs.production).toMatchObject({
      enabled: true,
      exposure: 20,
      control: 'classic',
      treatment: 'bm25 / neural',
    });
  });

  it('pages through a project with more flags than one page, per environment', async () => {
    const seeds: FlagSeed[] = Array.from({ length: 57 }, (_, i) => ({ key: `flag-${String(i).padStart(2, '0')}` }));
    fake = await startFakeLaunchDarkly({ flags: seeds });
    const flags = await ldStore(fake).listFlags();
    expect(flags.map((f) => f.key)).toEqual(seeds.map((s) => s.key));
    expect(Object.keys(flags[56].envs).sort()).toEqual(['production', 'staging']);
    const listCalls = fake.requests.filter((r) => r.path === '/api/v2/flags/default');
    expect(listCalls.length).toBe(4); // 2 environments × 2 pages of 50
    expect(listCalls.every((r) => r.query.get('summary') === '0')).toBe(true);
  });

  it('gets one flag, and says which flag is missing', async () => {
    fake = await startFakeLaunchDarkly();
    const store = ldStore(fake);
    expect((await store.getFlag('new-checkout')).envs.production.exposure).toBe(5);
    const e = await caught(store.getFlag('nope'));
    expect(e.code).toBe('not_found');
    expect(e.message).toMatch(/^LaunchDarkly: flag 'nope'/);
  });

  it('reports a bad token as unauthorized without echoing it', async () => {
    fake = await startFakeLaunchDarkly();
    const store = ldStore({ ...fake, token: 'api-wrong-token-123456' });
    const e = await caught(store.listFlags());
    expect(e.code).toBe('unauthorized');
    expect(e.message).toMatch(/LaunchDarkly: bad or insufficient token \(HTTP 401/);
    expect(JSON.stringify({ m: e.message, d: e.details })).not.toContain('api-wrong-token-123456');
    expect(fake.requests).toHaveLength(1); // a 401 is not retried
  });

  it('reads history from the audit log: old → new labels, actors, comments, paging back, stable ids', async () => {
    fake = await startFakeLaunchDarkly();
    const t0 = Date.now() - 3_600_000;
    const alice = { member: { _id: 'm1', email: 'alice@example.com' } };
    const bob = { member: { _id: 'm2', email: 'bob@example.com', firstName: 'Bob' } };
    fake.edit('new-checkout', 'staging', (c) => (c.on = true), { at: t0 + 1000, actor: alice, comment: 'start' });
    fake.edit(
      'new-checkout',
      'staging',
      (c) =>
        (c.fallthrough = {
          rollout: {
            variations: [
              { variation: 0, weight: 5000 },
              { variation: 1, weight: 95000 },
            ],
          },
        }),
      { at: t0 + 2000, actor: alice },
    );
    for (let i = 0; i < 24; i++)
      fake.edit('new-checkout', 'staging', (c) => (c.trackEvents = !c.trackEvents), { at: t0 + 3000 + i, actor: bob });
    fake.edit(
      'new-checkout',
      'staging',
      (c) =>
        (c.fallthrough = {
          rollout: {
            variations: [
              { variation: 0, weight: 25000 },
              { variation: 1, weight: 75000 },
            ],
          },
        }),
      { at: t0 + 5000, actor: bob, comment: 'looks good' },
    );
    fake.edit('new-checkout', 'staging', (c) => (c.on = false), { at: t0 + 6000, actor: alice });
    fake.edit('new-checkout', 'staging', (c) => (c.on = true), { at: t0 - 60_000, actor: alice }); // before the window

    const store = ldStore(fake);
    const range = { from: t0, to: t0 + 10_000, flagKey: 'new-checkout', env: 'staging' };
    const changes = await store.history(range);
    const meaningful = changes.filter((c) => c.kind !== 'other');
    expect(meaningful.map((c) => [c.kind, c.label, c.actor])).toEqual([
      ['enabled', 'off → on', 'alice@example.com'],
      ['exposure', 'rollout 0% → 5%', 'alice@example.com'],
      ['exposure', 'rollout 5% → 25%', 'bob@example.com'],
      ['enabled', 'on → off', 'alice@example.com'],
    ]);
    expect(meaningful[0].comment).toBe('start');
    expect(meaningful[2].comment).toBe('looks good');
    expect(changes).toHaveLength(28);
    expect(changes.every((c) => c.source === 'vendor' && c.env === 'staging' && c.at >= t0)).toBe(true);
    const listCalls = fake.requests.filter((r) => r.path === '/api/v2/auditlog');
    expect(listCalls.length).toBeGreaterThanOrEqual(2); // 28 entries at the documented limit of 20
    expect(listCalls[0].query.get('spec')).toBe('proj/default:env/staging:flag/new-checkout');
    expect((await store.history(range)).map((c) => c.id)).toEqual(changes.map((c) => c.id));
  });
});

describe('LaunchDarkly adapter: failures on reads', () => {
  it('redacts the token when a server error echoes it back', async () => {
    fake = await startFakeLaunchDarkly();
    fake.inject({
      path: '/api/v2/projects/default/environments',
      fault: {
        kind: 'status',
        status: 400,
        body: { code: 'invalid_request', message: `token ${fake.token} is malformed` },
      },
    });
    const e = await caught(ldStore(fake).environments());
    expect(e.code).toBe('bad_request');
    expect(e.message).toMatch(
      /^LaunchDarkly: rejected the request \(HTTP 400 on GET .*\): token \[redacted\] is malformed$/,
    );
    expect(JSON.stringify(e.details)).not.toContain(fake.token);
  });

  it('names the vendor, the endpoint and the problem for a body that is not JSON', async () => {
    fake = await startFakeLaunchDarkly();
    fake.inject({
      path: '/api/v2/projects/default/environments',
      fault: { kind: 'malformed', body: '<html>gateway</html>', contentType: 'text/html' },
    });
    const e = await caught(ldStore(fake).environments());
    expect(e.code).toBe('vendor_error');
    expect(e.message).toBe(
      `LaunchDarkly: malformed response from GET ${fake.url}/api/v2/projects/default/environments: a body that is not JSON`,
    );
  });

  it('names the field when JSON has the wrong shape', async () => {
    fake = await startFakeLaunchDarkly();
    fake.inject({
      path: '/api/v2/flags/default/new-checkout',
      fault: {
        kind: 'malformed',
        body: JSON.stringify({ key: 'new-checkout', name: 'x', _version: 'seven', variations: [] }),
      },
    });
    const e = await caught(ldStore(fake).getFlag('new-checkout'));
    expect(e.code).toBe('vendor_error');
    expect(e.message).toContain('/api/v2/flags/default/new-checkout');
    expect(e.message).toMatch(/_version: .*number/);
  });

  it('retries a read after a 503 and a connection reset, then succeeds', async () => {
    fake = await startFakeLaunchDarkly();
    fake.inject({
      path: '/api/v2/projects/default/environments',
      fault: { kind: 'status', status: 503, body: { code: 'service_unavailable', message: 'down' } },
    });
    fake.inject({ path: '/api/v2/projects/default/environments', fault: { kind: 'reset' } });
    expect(await ldStore(fake).environments()).toHaveLength(2);
    expect(fake.requests).toHaveLength(3);
  });

  it('times out a slow read after its deadline, retrying with backoff, then reports a timeout', async () => {
    fake = await startFakeLaunchDarkly();
    fake.inject({ path: '/api/v2/projects/default/environments', times: 10, fault: { kind: 'delay', ms: 1_000 } });
    const e = await caught(ldStore(fake, { timeouts: { readMs: 150 } }).environments());
    expect(e.code).toBe('timeout');
    expect(e.message).toMatch(/^LaunchDarkly: timed out after 150 ms \(GET /);
    expect(fake.requests).toHaveLength(4);
  });

  it('waits for X-Ratelimit-Reset (epoch ms) before retrying a rate-limited read', async () => {
    fake = await startFakeLaunchDarkly();
    const resetAt = Date.now() + 400;
    fake.inject({
      path: '/api/v2/projects/default/environments',
      fault: {
        kind: 'status',
        status: 429,
        body: { code: 'rate_limited', message: 'slow down' },
        headers: { 'X-Ratelimit-Reset': String(resetAt) },
      },
    });
    const slept: number[] = [];
    const store = ldStore(fake, {
      http: { ...defaultHttpDeps, sleep: (ms) => (slept.push(ms), defaultHttpDeps.sleep(ms)) },
    });
    expect(await store.environments()).toHaveLength(2);
    expect(fake.requests).toHaveLength(2);
    expect(fake.requests[1].at).toBeGreaterThanOrEqual(resetAt);
    expect(slept[0]).toBeGreaterThanOrEqual(resetAt - fake.requests[0].at - 5);
  });
});
