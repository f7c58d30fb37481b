import { afterEach, describe, expect, it } from 'vitest';
import { fsFaults, startFakeFlagsmith, type FakeFlagsmith } from '../../support/vendor-servers/fake-flagsmith';
import { ALICE, BOB } from '../../support/vendor-servers/flagsmith-state';
import { caught, dashboard, fsStore } from './helpers';

let fake: FakeFlagsmith;
afterEach(async () => fake?.stop());

describe('Flagsmith adapter: reads against the documented Admin API v1 shapes', () => {
  it('lists environments keyed by their api_key, sending Api-Key auth on every call', async () => {
    fake = await startFakeFlagsmith();
    const envs = await fsStore(fake).environments();
    expect(envs).toEqual([
      { key: fake.env('Development').api_key, name: 'Development' },
      { key: fake.env('Production').api_key, name: 'Production' },
    ]);
    expect(fake.requests.every((r) => r.headers.authorization === `Api-Key ${fake.token}`)).toBe(true);
  });

  it('finds the project by name or by id, and names the projects it can see when it cannot', async () => {
    fake = await startFakeFlagsmith();
    expect(await fsStore(fake, { project: '1' }).environments()).toHaveLength(2);
    const e = await caught(fsStore(fake, { project: 'Nope' }).environments());
    expect(e.code).toBe('not_found');
    expect(e.message).toBe("Flagsmith: project 'Nope' not found (the API key sees: Rampart demo)");
  });

  it('maps ramp segments, multivariate allocations and plain flags to exposure per environment', async () => {
    fake = await startFakeFlagsmith();
    const flags = await fsStore(fake).listFlags();
    const prod = fake.env('Production').api_key;
    const dev = fake.env('Development').api_key;
    const byKey = Object.fromEntries(flags.map((f) => [f.key, f]));
    expect(byKey['new-checkout'].envs[prod]).toEqual({
      enabled: true,
      exposure: 5,
      treatment: 'on',
      control: 'off',
      targeting: "5% split segment 'checkout-5pct'",
    });
    expect(byKey['new-checkout'].envs[dev]).toMatchObject({ enabled: true, exposure: null });
    expect(byKey['pricing-page'].variants).toEqual(['a', 'b', 'c']);
    expect(byKey['pricing-page'].envs[prod]).toMatchObject({
      enabled: true,
      exposure: 20,
      treatment: 'b / c',
      control: 'a',
    });
    expect(byKey['pricing-page'].envs[dev]).toMatchObject({ enabled: false, exposure: 0 });
    expect(byKey['legacy-search'].envs[prod]).toMatchObject({
      exposure: null,
      targeting: '1 other segment override: beta-users',
    });
    expect(byKey.banner.envs[prod]).toMatchObject({ enabled: false, exposure: null });
    expect(Object.keys(byKey)).toEqual([
      'new-checkout',
      'banner',
      'pricing-page',
      'legacy-search',
      'shared-a',
      'shared-b',
    ]);
  });

  it('pages through lists when the server hands out small pages', async () => {
    fake = await startFakeFlagsmith({ maxPageSize: 2 });
    const flags = await fsStore(fake).listFlags();
    expect(flags).toHaveLength(6);
    expect(fake.requests.some((r) => r.path === '/api/v1/projects/1/features/' && r.query.get('page') === '3')).toBe(
      true,
    );
  });

  it('gets one flag with every environment, and names a missing flag', async () => {
    fake = await startFakeFlagsmith();
    const store = fsStore(fake);
    const flag = await store.getFlag('new-checkout');
    expect(flag.envs[fake.env('Production').api_key].exposure).toBe(5);
    const e = await caught(store.getFlag('nope'));
    expect(e.code).toBe('not_found');
    expect(e.message).toBe("Flagsmith: flag 'nope' not found in project 1");
  });

  it('reads history from the audit log: on/off with old → new and authors, paged back just past the window', async () => {
    fake = await startFakeFlagsmith({ maxPageSize: 3 });
    const t0 = Date.now() - 3_600_000;
    dashboard.toggle(fake, 'banner', 'Production', true, ALICE, t0 - 120_000); // before the window
    dashboard.toggle(fake, 'banner', 'Production', false, ALICE, t0 - 60_000);
    dashboard.toggle(fake, 'banner', 'Production', true, ALICE, t0 + 1_000);
    for (let i = 0; i < 7; i++) dashboard.toggle(fake, 'pricing-page', 'Production', i % 2 === 0, BOB, t0 + 2_000 + i);
    dashboard.toggle(fake, 'banner', 'Production', false, BOB, t0 + 5_000);
    dashboard.toggle(fake, 'banner', 'Production', true, BOB, t0 + 6_000);
    dashboard.toggle(fake, 'banner', 'Development', true, BOB, t0 + 7_000); // another environment
    const prod = fake.env('Production').api_key;
    const range = { from: t0, to: t0 + 10_000, flagKey: 'banner', env: prod };
    const changes = await fsStore(fake).history(range);
    expect(changes.map((c) => [c.kind, c.label, c.actor, c.env, c.flagKey])).toEqual([
      ['enabled', 'off → on', 'alice@example.com', prod, 'banner'],
      ['enabled', 'on → off', 'bob@example.com', prod, 'banner'],
      ['enabled', 'off → on', 'bob@example.com', prod, 'banner'],
    ]);
    expect(changes[0].from).toEqual({ enabled: false });
    expect(changes.every((c) => c.source === 'vendor')).toBe(true);
    const auditCalls = fake.requests.filter((r) => r.path === '/api/v1/projects/1/audit/');
    // Newest first, 3 a page: page 2 reaches an entry older than the window, so page 3 is never asked for.
    expect(auditCalls.map((r) => r.query.get('page'))).toEqual(['1', '2']);
    expect(auditCalls[0].query.get('environments')).toBe(String(fake.env('Production').id));
    const again = await fsStore(fake).history(range);
    expect(again.map((c) => c.id)).toEqual(changes.map((c) => c.id));
  });

  it('shows ramp-segment edits as exposure changes, the latest with the current split', async () => {
    fake = await startFakeFlagsmith();
    const t0 = Date.now() - 3_600_000;
    dashboard.split(fake, 'checkout-5pct', '5', ALICE, t0 + 1_000);
    dashboard.split(fake, 'checkout-5pct', '12.5', BOB, t0 + 2_000);
    const prod = fake.env('Production').api_key;
    const changes = await fsStore(fake).history({ from: t0, to: Date.now(), flagKey: 'new-checkout' });
    expect(changes.map((c) => [c.kind, c.label, c.actor, c.env])).toEqual([
      [
        'exposure',
        "rollout changed (segment 'checkout-5pct'; Flagsmith keeps no earlier split)",
        'alice@example.com',
        prod,
      ],
      ['exposure', "rollout → 12.5% (segment 'checkout-5pct')", 'bob@example.com', prod],
    ]);
    expect(changes[1].to).toEqual({ exposure: 12.5 });
  });
});

describe('Flagsmith adapter: failures on reads', () => {
  it('reports a bad key as unauthorized without echoing it, and does not retry it', async () => {
    fake = await startFakeFlagsmith();
    const e = await caught(fsStore({ ...fake, token: 'ser.wrong-key-123456' }).environments());
    expect(e.code).toBe('unauthorized');
    expect(e.message).toMatch(
      /^Flagsmith: bad or insufficient token \(HTTP 401 on GET .*\): Valid Master API Key not found\.$/,
    );
    expect(JSON.stringify({ m: e.message, d: e.details })).not.toContain('wrong-key-123456');
    expect(fake.requests).toHaveLength(1);
  });

  it('redacts the key when a server error echoes it back', async () => {
    fake = await startFakeFlagsmith();
    fake.inject({
      path: '/api/v1/environments/',
      fault: { kind: 'status', status: 403, body: { detail: `Api-Key ${fake.token} lacks permission` } },
    });
    const e = await caught(fsStore(fake, { project: '1' }).environments());
    expect(e.code).toBe('unauthorized');
    expect(e.message).toMatch(/\[redacted\] lacks permission/);
    expect(JSON.stringify({ m: e.message, d: e.details })).not.toContain(fake.token);
  });

  it('names the vendor, the endpoint and the problem for a malformed body', async () => {
    fake = await startFakeFlagsmith();
    fake.inject({
      path: '/api/v1/environments/',
      fault: { kind: 'malformed', body: JSON.stringify({ count: 1, results: [{ id: 'x', name: 'P' }] }) },
    });
    const e = await caught(fsStore(fake, { project: '1' }).environments());
    expect(e.code).toBe('vendor_error');
    expect(e.message).toMatch(
      /^Flagsmith: malformed response from GET http:\/\/127\.0\.0\.1:\d+\/api\/v1\/environments\/: unexpected JSON \(results\.0\.id: .*number/,
    );
    expect(e.message).toMatch(/results\.0\.api_key/);
  });

  it('times out slow reads (retried with backoff) and says so', async () => {
    fake = await startFakeFlagsmith();
    fake.inject({ path: '/api/v1/environments/', times: 10, fault: { kind: 'delay', ms: 1_000 } });
    const e = await caught(fsStore(fake, { project: '1', timeouts: { readMs: 120 } }).environments());
    expect(e.code).toBe('timeout');
    expect(e.message).toMatch(/^Flagsmith: timed out after 120 ms \(GET /);
    expect(fake.requests).toHaveLength(4);
  });

  it('reports a 404 from the vendor as not found, naming Flagsmith and the endpoint', async () => {
    fake = await startFakeFlagsmith();
    fake.inject({ path: '/api/v1/projects/1/features/', fault: fsFaults.notFound() });
    const e = await caught(fsStore(fake, { project: '1' }).getFlag('banner'));
    expect(e.code).toBe('not_found');
    expect(e.message).toMatch(
      /^Flagsmith: not found \(HTTP 404 on GET http:\/\/127\.0\.0\.1:\d+\/api\/v1\/projects\/1\/features\/\): Not found\.$/,
    );
  });

  it('survives a reset and a 503 on reads by retrying', async () => {
    fake = await startFakeFlagsmith();
    fake.inject({ path: '/api/v1/environments/', fault: { kind: 'reset' } });
    fake.inject({ path: '/api/v1/environments/', fault: { kind: 'status', status: 503, body: { detail: 'down' } } });
    expect(await fsStore(fake, { project: '1' }).environments()).toHaveLength(2);
  });
});
