import { describe, expect, it } from 'vitest';
import { createUnleashStore } from '../../../main/flags/unleash';
import { RampartError } from '../../../shared/errors';
import { TOKEN, connection } from '../../support/vendor-servers/fake-unleash';
import { ENV, FEATURE, STRATEGY, fakeUnleashEnv } from '../../support/vendor-servers/fake-unleash-env';
import { rolloutStrategy } from './fixtures';

const opts = (expected: number | null) => ({ expected, comment: 'ramp after a clean hour' });
const SEARCH = '/api/admin/search/events';

async function rejection(p: Promise<unknown>): Promise<RampartError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(RampartError);
    return e as RampartError;
  }
  throw new Error('expected a rejection');
}

function setup(...args: Parameters<typeof fakeUnleashEnv>) {
  const env = fakeUnleashEnv(...args);
  const store = createUnleashStore({ connection, token: TOKEN, http: env.fake.http });
  const routes = () => env.fake.calls.map((c) => `${c.method} ${c.path}`);
  return { ...env, store, routes };
}

describe('Unleash setExposure', () => {
  it("writes from the rollout service's read (opts.live) without reading again: one JSON Patch, then the event log", async () => {
    const { fake, store, routes } = setup();
    const live = (await store.getFlag('checkout-v2')).envs.production;
    fake.calls.length = 0;
    expect(await store.setExposure('checkout-v2', 'production', 25, { ...opts(5), live })).toEqual({});
    expect(routes()).toEqual([`PATCH ${STRATEGY}`, `GET ${SEARCH}`]);
    expect(fake.writes()[0].body).toEqual([{ op: 'replace', path: '/parameters/rollout', value: '25' }]);
    expect(fake.writes()[0].headers.authorization).toBe(TOKEN);
    const search = fake.calls[1].query;
    expect(Object.fromEntries(search)).toMatchObject({
      project: 'IS:default',
      feature: 'IS:checkout-v2',
      limit: '100',
      offset: '0',
    });
    expect(search.get('from')).toMatch(/^IS:\d{4}-\d{2}-\d{2}$/);
  });

  it('without opts.live (or with a read this adapter did not make) it reads the flag first', async () => {
    const a = setup();
    await a.store.setExposure('checkout-v2', 'production', 25, opts(5));
    expect(a.routes()).toEqual([`GET ${FEATURE}`, `PATCH ${STRATEGY}`, `GET ${SEARCH}`]);

    const b = setup();
    const elsewhere = { enabled: true, exposure: 5, version: `${rolloutStrategy('5').id}:5:000000000000` };
    await b.store.setExposure('checkout-v2', 'production', 25, { ...opts(5), live: elsewhere });
    expect(b.routes()[0]).toBe(`GET ${FEATURE}`);
  });

  it('refuses when a read it did not make no longer matches: the rollout moved, or another strategy is now the ramp', async () => {
    const { fake, store } = setup({ strategies: [rolloutStrategy('40')] });
    const stale = { enabled: true, exposure: 5, version: `${rolloutStrategy('5').id}:5:000000000000` };
    const e = await rejection(store.setExposure('checkout-v2', 'production', 50, { ...opts(5), live: stale }));
    expect(e.code).toBe('conflict');
    expect(e.message).toBe(
      "Unleash: 'checkout-v2' in production changed since it was read: the rollout is now 40%. Nothing was written; review the new state and try again.",
    );
    const moved = await rejection(
      store.setExposure('checkout-v2', 'production', 50, {
        ...opts(40),
        live: { enabled: true, exposure: 40, version: 'other-id:40:0' },
      }),
    );
    expect(moved.message).toMatch(/the rollout is now 40% on a different strategy/);
    expect(fake.writes()).toEqual([]);
  });

  it('puts an exposure between whole percents on Unleash’s whole-percent grid (range is the rollout service’s)', async () => {
    const { fake, store } = setup();
    await store.setExposure('checkout-v2', 'production', 12.6, opts(5));
    expect(fake.writes()[0].body).toEqual([{ op: 'replace', path: '/parameters/rollout', value: '13' }]);
  });

  it('writes nothing when the rollout is already the target', async () => {
    const { fake, store } = setup({ strategies: [rolloutStrategy('25')] });
    expect(await store.setExposure('checkout-v2', 'production', 25, opts(25))).toEqual({});
    expect(fake.writes()).toEqual([]);
  });

  it('adds a flexibleRollout strategy (POST) when there is none', async () => {
    const { fake, store } = setup({ strategies: [] });
    expect(await store.setExposure('checkout-v2', 'production', 0, opts(100))).toEqual({});
    expect(fake.writes()).toHaveLength(1);
    expect(fake.writes()[0].body).toMatchObject({
      name: 'flexibleRollout',
      parameters: { rollout: '0', stickiness: 'default', groupId: 'checkout-v2' },
      constraints: [],
    });
  });

  it('refuses to "ramp" a flag whose standard strategy serves everyone', async () => {
    const { fake, store } = setup({
      strategies: [{ ...rolloutStrategy('0'), id: 'std', name: 'default', parameters: {}, constraints: [] } as never],
    });
    const e = await rejection(store.setExposure('checkout-v2', 'production', 10, opts(100)));
    expect(e.code).toBe('bad_request');
    expect(e.message).toMatch(/standard" strategy that serves everyone/);
    expect(fake.writes()).toEqual([]);
  });

  it('does not retry a PATCH that failed with a definite answer (500, 400)', async () => {
    const { fake, store } = setup();
    fake.on('PATCH', STRATEGY, { status: 500, body: { message: 'db down' } });
    const e = await rejection(store.setExposure('checkout-v2', 'production', 25, opts(5)));
    expect(e).toMatchObject({
      code: 'vendor_error',
      message: expect.stringMatching(/^Unleash: server error \(HTTP 500 on PATCH .*\): db down$/),
    });
    expect(fake.writes()).toHaveLength(1);
  });

  it('after a lost PATCH, re-reads: done if it landed, retried once if it did not, reported if someone else moved it', async () => {
    const landed = setup();
    landed.fake.on(
      'PATCH',
      STRATEGY,
      (c) => (landed.someone.patch(rolloutStrategy('5').id, c.body as never, 'rampart-token'), 'reset'),
    );
    await landed.store.setExposure('checkout-v2', 'production', 25, opts(5));
    expect(landed.fake.writes()).toHaveLength(1);

    const lost = setup();
    let n = 0;
    lost.fake.on('PATCH', STRATEGY, (c) =>
      ++n === 1 ? 'reset' : { body: lost.someone.patch(rolloutStrategy('5').id, c.body as never, 'rampart-token') },
    );
    await lost.store.setExposure('checkout-v2', 'production', 25, opts(5));
    expect(lost.fake.writes()).toHaveLength(2);

    const moved = setup();
    moved.fake.on(
      'PATCH',
      STRATEGY,
      () => (
        moved.someone.patch(rolloutStrategy('5').id, [{ op: 'replace', path: '/parameters/rollout', value: '60' }]),
        'reset'
      ),
    );
    const e = await rejection(moved.store.setExposure('checkout-v2', 'production', 25, opts(5)));
    expect(e.code).toBe('unreachable');
    expect(moved.fake.writes()).toHaveLength(1);
  });

  it('never repeats the strategy POST (a second one would add a duplicate strategy)', async () => {
    const { fake, store } = setup({ strategies: [] });
    fake.on('POST', `${ENV}/strategies`, 'reset');
    expect((await rejection(store.setExposure('checkout-v2', 'production', 5, opts(100)))).code).toBe('unreachable');
    expect(fake.writes()).toHaveLength(1);
  });

  it('rejects a PATCH answer that is malformed or does not show the new rollout', async () => {
    const { fake, store } = setup();
    fake.on('PATCH', STRATEGY, { body: { ...rolloutStrategy('5') } });
    const e = await rejection(store.setExposure('checkout-v2', 'production', 25, opts(5)));
    expect(e.message).toMatch(/answered rollout 5, not 25/);
  });

  it('never puts the token in an error, even when Unleash echoes it back', async () => {
    const { fake, store } = setup();
    fake.on('PATCH', STRATEGY, (c) => ({
      status: 400,
      body: { message: `bad request from ${c.headers.authorization}` },
    }));
    const e = await rejection(store.setExposure('checkout-v2', 'production', 25, opts(5)));
    expect(e.message).toMatch(/bad request from \[redacted\]/);
    expect(JSON.stringify([e.message, e.details])).not.toContain(TOKEN);
  });
});

describe('Unleash setEnabled', () => {
  it('POSTs …/on and …/off (empty 200 answer)', async () => {
    const { fake, store } = setup();
    await store.setEnabled('checkout-v2', 'production', false, { comment: 'error rate up' });
    await store.setEnabled('checkout-v2', 'production', true, { comment: 'fixed' });
    expect(fake.writes().map((c) => c.path)).toEqual([`${ENV}/off`, `${ENV}/on`]);
  });

  it('retries off on 503 (absolute state, recorded once by Unleash) but not on 404', async () => {
    const { fake, store } = setup();
    let n = 0;
    fake.on('POST', `${ENV}/off`, () => (++n < 3 ? { status: 503 } : { status: 200 }));
    await store.setEnabled('checkout-v2', 'production', false, { comment: 'rollback' });
    expect(n).toBe(3);

    const missing = setup();
    missing.fake.on('POST', `${ENV}/off`, {
      status: 404,
      body: { message: 'Could not find checkout-v2 in production' },
    });
    const e = await rejection(missing.store.setEnabled('checkout-v2', 'production', false, { comment: 'rollback' }));
    expect(e).toMatchObject({
      code: 'not_found',
      message: expect.stringContaining('Could not find checkout-v2 in production'),
    });
    expect(missing.fake.writes()).toHaveLength(1);
  });

  it('reports capabilities', () => {
    expect(setup().store.capabilities()).toEqual({
      exposureStep: 1,
      historyHasActors: true,
      writesHaveVersionCheck: false,
      canWatch: false,
    });
  });
});
