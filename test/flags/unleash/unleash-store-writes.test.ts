import { describe, expect, it } from 'vitest';
import { createUnleashStore } from '../../../main/flags/unleash';
import { RampartError } from '../../../shared/errors';
import { TOKEN, connection, fakeUnleash } from './fake-unleash';
import { rolloutStrategy } from './fixtures';

const ENV = '/api/admin/projects/default/features/checkout-v2/environments/production';
const STRATEGY = `${ENV}/strategies/008374c1-a911-4f63-a622-4df33d5056f3`;
const opts = (expected: number | null) => ({ expected, comment: 'ramp after a clean hour' });

async function rejection(p: Promise<unknown>): Promise<RampartError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(RampartError);
    return e as RampartError;
  }
  throw new Error('expected a rejection');
}

/** A fake environment whose one rollout strategy follows PATCHes, like Unleash does. */
function setup(initial: unknown[] = [rolloutStrategy('5')]) {
  const fake = fakeUnleash();
  const state = { enabled: true, strategies: initial as ReturnType<typeof rolloutStrategy>[] };
  fake.on('GET', ENV, () => ({ body: { name: 'production', environment: 'production', type: 'production', enabled: state.enabled, strategies: state.strategies, variants: [] } }));
  const applyPatch = (body: unknown) => {
    const [op] = body as { op: string; path: string; value: string }[];
    state.strategies = state.strategies.map((s) => ({ ...s, parameters: { ...s.parameters, rollout: op.value } }));
    return { body: state.strategies[0] };
  };
  const store = createUnleashStore({ connection, token: TOKEN, http: fake.http });
  return { fake, store, state, applyPatch };
}

describe('Unleash setExposure', () => {
  it('reads, then sends one JSON Patch replace of /parameters/rollout (never a PUT), as a string', async () => {
    const { fake, store, applyPatch } = setup();
    fake.on('PATCH', STRATEGY, (c) => applyPatch(c.body));
    await store.setExposure('checkout-v2', 'production', 25, opts(5));
    expect(fake.calls.map((c) => `${c.method} ${c.path}`)).toEqual([`GET ${ENV}`, `PATCH ${STRATEGY}`]);
    expect(fake.writes()[0].body).toEqual([{ op: 'replace', path: '/parameters/rollout', value: '25' }]);
    expect(fake.writes()[0].headers.authorization).toBe(TOKEN);
  });

  it('rounds to whole percent and refuses values outside 0–100', async () => {
    const { fake, store, applyPatch } = setup();
    fake.on('PATCH', STRATEGY, (c) => applyPatch(c.body));
    await store.setExposure('checkout-v2', 'production', 12.6, opts(5));
    expect(fake.writes()[0].body).toEqual([{ op: 'replace', path: '/parameters/rollout', value: '13' }]);
    for (const bad of [-1, 100.5, Number.NaN]) expect((await rejection(store.setExposure('checkout-v2', 'production', bad, opts(13)))).code).toBe('bad_request');
  });

  it('refuses with conflict and the live value when the rollout moved since the user looked; writes nothing', async () => {
    const { fake, store } = setup([rolloutStrategy('40')]);
    const e = await rejection(store.setExposure('checkout-v2', 'production', 50, opts(25)));
    expect(e.code).toBe('conflict');
    expect(e.message).toBe("Unleash: 'checkout-v2' in production changed since you looked: the rollout is now 40%, not 25%. Nothing was written; review the new state and try again.");
    expect(e.details).toEqual({ live: { enabled: true, exposure: 40 }, expected: 25 });
    expect(fake.writes()).toEqual([]);
  });

  it('writes nothing when the rollout is already the target', async () => {
    const { fake, store } = setup([rolloutStrategy('25')]);
    await store.setExposure('checkout-v2', 'production', 25, opts(25));
    expect(fake.writes()).toEqual([]);
  });

  it('adds a flexibleRollout strategy (POST) when there is none', async () => {
    const { fake, store } = setup([]);
    fake.on('POST', `${ENV}/strategies`, (c) => ({ body: { id: 'new-id', ...(c.body as object), sortOrder: 0 } }));
    await store.setExposure('checkout-v2', 'production', 0, opts(100));
    expect(fake.writes()).toHaveLength(1);
    expect(fake.writes()[0].body).toMatchObject({ name: 'flexibleRollout', parameters: { rollout: '0', stickiness: 'default', groupId: 'checkout-v2' }, constraints: [] });
  });

  it('refuses to "ramp" a flag whose standard strategy serves everyone', async () => {
    const { fake, store } = setup([{ id: 'std', name: 'default', parameters: {}, constraints: [], segments: [], variants: [], disabled: false }]);
    const e = await rejection(store.setExposure('checkout-v2', 'production', 10, opts(100)));
    expect(e.code).toBe('bad_request');
    expect(e.message).toMatch(/standard" strategy that serves everyone/);
    expect(fake.writes()).toEqual([]);
  });

  it('does not retry a PATCH that failed with a definite answer (500, 400)', async () => {
    const { fake, store } = setup();
    fake.on('PATCH', STRATEGY, { status: 500, body: { message: 'db down' } });
    const e = await rejection(store.setExposure('checkout-v2', 'production', 25, opts(5)));
    expect(e).toMatchObject({ code: 'vendor_error', message: expect.stringMatching(/^Unleash: server error \(HTTP 500 on PATCH .*\): db down$/) });
    expect(fake.writes()).toHaveLength(1);
  });

  it('after a lost PATCH, re-reads: done if it landed, retried once if it did not, reported if someone else moved it', async () => {
    const landed = setup();
    landed.fake.on('PATCH', STRATEGY, (c) => (landed.applyPatch(c.body), 'reset'));
    await landed.store.setExposure('checkout-v2', 'production', 25, opts(5));
    expect(landed.fake.writes()).toHaveLength(1);

    const lost = setup();
    let n = 0;
    lost.fake.on('PATCH', STRATEGY, (c) => (++n === 1 ? 'reset' : lost.applyPatch(c.body)));
    await lost.store.setExposure('checkout-v2', 'production', 25, opts(5));
    expect(lost.fake.writes()).toHaveLength(2);

    const moved = setup();
    moved.fake.on('PATCH', STRATEGY, () => {
      moved.state.strategies = [rolloutStrategy('60')];
      return 'reset';
    });
    const e = await rejection(moved.store.setExposure('checkout-v2', 'production', 25, opts(5)));
    expect(e.code).toBe('unreachable');
    expect(moved.fake.writes()).toHaveLength(1);
  });

  it('never repeats the strategy POST (a second one would add a duplicate strategy)', async () => {
    const { fake, store } = setup([]);
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
});

describe('Unleash setEnabled', () => {
  it('POSTs …/on and …/off (empty 200 answer)', async () => {
    const { fake, store } = setup();
    fake.on('POST', `${ENV}/off`, { status: 200 });
    fake.on('POST', `${ENV}/on`, { status: 200 });
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
    missing.fake.on('POST', `${ENV}/off`, { status: 404, body: { message: 'Could not find checkout-v2 in production' } });
    const e = await rejection(missing.store.setEnabled('checkout-v2', 'production', false, { comment: 'rollback' }));
    expect(e).toMatchObject({ code: 'not_found', message: expect.stringContaining('Could not find checkout-v2 in production') });
    expect(missing.fake.writes()).toHaveLength(1);
  });

  it('reports capabilities', () => {
    expect(setup().store.capabilities()).toEqual({ exposureStep: 1, historyHasActors: true, writesHaveVersionCheck: false, canWatch: false });
  });
});
