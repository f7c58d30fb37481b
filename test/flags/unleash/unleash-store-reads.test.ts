import { describe, expect, it } from 'vitest';
import { createUnleashStore } from '../../../main/flags/unleash';
import { RampartError } from '../../../shared/errors';
import { TOKEN, connection, fakeUnleash } from '../../support/vendor-servers/fake-unleash';
import * as fx from './fixtures';

const FEATURE = '/api/admin/projects/default/features/checkout-v2';

async function rejection(p: Promise<unknown>): Promise<RampartError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(RampartError);
    return e as RampartError;
  }
  throw new Error('expected a rejection');
}

function setup() {
  const fake = fakeUnleash();
  const store = createUnleashStore({ connection, token: TOKEN, http: fake.http });
  return { fake, store };
}

describe('Unleash store reads', () => {
  it('sends the raw token (no Bearer) and lists only environments enabled for the project, in Unleash order', async () => {
    const { fake, store } = setup();
    fake.on('GET', '/api/admin/environments/project/default', { body: fx.projectEnvironmentsBody });
    expect(await store.environments()).toEqual([
      { key: 'development', name: 'development' },
      { key: 'production', name: 'production' },
    ]);
    expect(fake.calls[0].headers.authorization).toBe(TOKEN);
  });

  it('lists flags through feature search, then each flag in full', async () => {
    const { fake, store } = setup();
    fake.on('GET', '/api/admin/environments/project/default', { body: fx.projectEnvironmentsBody });
    fake.on('GET', '/api/admin/search/features', {
      body: { features: [{ name: 'checkout-v2', project: 'default' }], total: 1 },
    });
    fake.on('GET', FEATURE, { body: fx.featureBody({ enabled: true, strategies: [fx.rolloutStrategy('25')] }) });
    const flags = await store.listFlags();
    expect(flags).toHaveLength(1);
    expect(flags[0].envs.production).toMatchObject({ enabled: true, exposure: 25, treatment: 'new' });
    const search = fake.calls.find((c) => c.path === '/api/admin/search/features');
    expect(search?.query.get('project')).toBe('IS:default');
  });

  it('leaves out a flag deleted between the listing and its fetch', async () => {
    const { fake, store } = setup();
    fake.on('GET', '/api/admin/environments/project/default', { body: fx.projectEnvironmentsBody });
    fake.on('GET', '/api/admin/search/features', {
      body: { features: [{ name: 'gone' }, { name: 'checkout-v2' }], total: 2 },
    });
    fake.on('GET', FEATURE, { body: fx.featureBody({ enabled: true, strategies: [] }) });
    expect((await store.listFlags()).map((f) => f.key)).toEqual(['checkout-v2']);
  });

  it('falls back to the project feature list when feature search is missing (404)', async () => {
    const { fake, store } = setup();
    fake.on('GET', '/api/admin/environments/project/default', { body: fx.projectEnvironmentsBody });
    fake.on('GET', '/api/admin/projects/default/features', {
      body: { version: 2, features: [{ name: 'checkout-v2' }, { name: 'old', archived: true }] },
    });
    fake.on('GET', FEATURE, { body: fx.featureBody({ enabled: false, strategies: [] }) });
    expect((await store.listFlags()).map((f) => f.key)).toEqual(['checkout-v2']);
  });

  it('turns a malformed body into vendor_error naming the endpoint and the field', async () => {
    const { fake, store } = setup();
    fake.on('GET', '/api/admin/environments/project/default', { body: { environments: [{ name: 7 }] } });
    const e = await rejection(store.environments());
    expect(e.code).toBe('vendor_error');
    expect(e.message).toBe(
      'Unleash: malformed response from GET http://unleash.test:4242/api/admin/environments/project/default: unexpected JSON (environments.0.name: Invalid input: expected string, received number)',
    );
  });

  it('rejects a flag whose strategies are malformed, and an HTML page where JSON was expected', async () => {
    const { fake, store } = setup();
    fake.on('GET', FEATURE, {
      body: fx.featureBody({ enabled: true, strategies: [{ ...fx.rolloutStrategy('5'), constraints: 'all' }] }),
    });
    const e = await rejection(store.getFlag('checkout-v2'));
    expect(e.code).toBe('vendor_error');
    expect(e.message).toMatch(
      /^Unleash: malformed response from GET .*\/features\/checkout-v2: unexpected JSON \(environments\.1\.strategies\.0\.constraints: /,
    );

    const other = setup();
    other.fake.on('GET', FEATURE, { raw: '<html>login</html>', headers: { 'content-type': 'text/html' } });
    const html = await rejection(other.store.getFlag('checkout-v2'));
    expect(html.message).toMatch(/^Unleash: malformed response from GET .*: a body that is not JSON$/);
  });

  it('maps 401 to unauthorized with the reason, never echoing the token', async () => {
    const { fake, store } = setup();
    fake.on('GET', FEATURE, {
      status: 401,
      body: { name: 'UnauthorizedError', message: 'You must log in to use Unleash.' },
    });
    const e = await rejection(store.getFlag('checkout-v2'));
    expect(e.code).toBe('unauthorized');
    expect(e.message).toBe(
      'Unleash: bad or insufficient token (HTTP 401 on GET http://unleash.test:4242/api/admin/projects/default/features/checkout-v2): You must log in to use Unleash.',
    );
    expect(JSON.stringify({ m: e.message, d: e.details })).not.toContain(TOKEN.slice(4));
  });

  it('retries reads on 503 and on connection resets, then reports unreachable', async () => {
    const { fake, store } = setup();
    let n = 0;
    fake.on('GET', FEATURE, () =>
      ++n < 3
        ? { status: 503, body: { message: 'busy' } }
        : { body: fx.featureBody({ enabled: true, strategies: [] }) },
    );
    expect((await store.getFlag('checkout-v2')).envs.production.exposure).toBe(100);
    expect(n).toBe(3);

    const down = setup();
    down.fake.on('GET', FEATURE, 'reset');
    const e = await rejection(down.store.getFlag('checkout-v2'));
    expect(e.code).toBe('unreachable');
    expect(e.message).toMatch(
      /^Unleash: unreachable \(GET http:\/\/unleash\.test:4242\/api\/admin\/projects\/default\/features\/checkout-v2\): ECONNRESET/,
    );
    expect(down.fake.calls).toHaveLength(3);
  });
});

describe('Unleash store history', () => {
  const from = Date.parse('2026-03-02T09:30:00.000Z');
  const to = Date.parse('2026-03-02T11:00:00.000Z');

  it('asks search/events for a day either side, pages, and cuts the range precisely', async () => {
    const { fake, store } = setup();
    // Newest first, as Unleash orders them; 1,200 tag events in between force a second page of 1,000.
    const filler = Array.from({ length: 1200 }, (_, i) => ({
      ...fx.eventTagged,
      id: 100 + i,
      createdAt: '2026-03-02T10:10:00.000Z',
    }));
    const all = [
      fx.eventDisabled,
      fx.eventConstraintsOnly,
      ...filler,
      fx.eventRamp,
      fx.eventEnabled,
      fx.eventStrategyAdd,
      fx.eventCreated,
    ];
    fake.on('GET', '/api/admin/search/events', (call) => {
      const offset = Number(call.query.get('offset'));
      const limit = Number(call.query.get('limit'));
      return { body: { events: all.slice(offset, offset + limit), total: all.length } };
    });
    const changes = await store.history({ from, to, flagKey: 'checkout-v2', env: 'production' });
    expect(changes.map((c) => c.label)).toEqual([
      'rollout 5% → 25%',
      'targeting: flexibleRollout: constraints changed',
      'on → off',
    ]);
    const q = fake.calls[0].query;
    expect(q.get('feature')).toBe('IS:checkout-v2');
    expect(q.get('project')).toBe('IS:default');
    expect(q.get('from')).toBe('IS:2026-03-01');
    expect(q.get('to')).toBe('IS:2026-03-03');
    expect(q.get('type')).toMatch(/^IS_ANY_OF:feature-created,.*feature-strategy-update/);
    expect(fake.calls.map((c) => c.query.get('offset'))).toEqual(['0', '1000']);
  });

  it('includes flag-level events for an environment filter, and falls back to the per-flag event list', async () => {
    const { fake, store } = setup();
    fake.on('GET', '/api/admin/events/checkout-v2', {
      body: {
        version: 1,
        toggleName: 'checkout-v2',
        events: [fx.eventEnabled, fx.eventCreated, fx.eventDefaultAdded],
        totalEvents: 3,
      },
    });
    const changes = await store.history({
      from: 0,
      to: Date.parse('2026-03-03T00:00:00Z'),
      flagKey: 'checkout-v2',
      env: 'production',
    });
    expect(changes.map((c) => [c.env, c.label])).toEqual([
      ['*', 'created'],
      ['production', 'off → on'],
    ]);
  });

  it('refuses a reversed range', async () => {
    const { store } = setup();
    expect((await rejection(store.history({ from: to, to: from }))).code).toBe('bad_request');
  });
});
