import { afterEach, describe, expect, it } from 'vitest';
import { defaultHttpDeps } from '../../../main/net/http-client';
import { fsFaults, startFakeFlagsmith, type FakeFlagsmith } from '../../support/vendor-servers/fake-flagsmith';
import { caught, fsStore, segmentNamed, writes } from './helpers';

let fake: FakeFlagsmith;
afterEach(async () => fake?.stop());

const live = async (f: FakeFlagsmith, flag: string, env = 'Production') =>
  (await fsStore(f).getFlag(flag)).envs[f.env(env).api_key];

describe('Flagsmith adapter: ramp and rollback in a v1 environment', () => {
  it('ramps 5% → 25% by PATCHing only the split of the ramp segment (ids kept), and reads it back', async () => {
    fake = await startFakeFlagsmith();
    const conditionId = segmentNamed(fake, 'checkout-5pct').rules[0].conditions[0].id;
    await fsStore(fake).setExposure('new-checkout', 'Production', 25, { expected: 5, comment: 'ramp' });
    const sent = writes(fake);
    expect(sent.map((r) => `${r.method} ${r.path}`)).toEqual([
      `PATCH /api/v1/projects/1/segments/${segmentNamed(fake, 'checkout-5pct').id}/`,
    ]);
    expect(sent[0].headers['content-type']).toBe('application/json');
    const rules = (sent[0].body as { rules: { conditions: { id: number; value: string; operator: string }[] }[] })
      .rules;
    expect(rules[0].conditions[0]).toMatchObject({ id: conditionId, operator: 'PERCENTAGE_SPLIT', value: '25' });
    expect(await live(fake, 'new-checkout')).toMatchObject({ enabled: true, exposure: 25 });
  });

  it('rolls back by turning the ramp override off (one write), and back on', async () => {
    fake = await startFakeFlagsmith();
    const store = fsStore(fake);
    await store.setEnabled('new-checkout', 'Production', false, { comment: 'errors up' });
    expect(writes(fake).map((r) => [r.method, r.path.replace(/\d+/g, 'N'), r.body])).toEqual([
      ['PATCH', '/api/vN/features/featurestates/N/', { enabled: false }],
    ]);
    expect(await live(fake, 'new-checkout')).toMatchObject({ enabled: false, exposure: 5 });
    await store.setEnabled('new-checkout', 'Production', true, { comment: 'fixed' });
    expect(await live(fake, 'new-checkout')).toMatchObject({ enabled: true, exposure: 5 });
    expect(writes(fake)).toHaveLength(2);
    const history = await store.history({
      from: Date.now() - 60_000,
      to: Date.now() + 1,
      flagKey: 'new-checkout',
      env: 'Production',
    });
    expect(history.map((c) => [c.kind, c.label, c.actor])).toEqual([
      ['enabled', "on → off (segment 'checkout-5pct')", undefined],
      ['enabled', "off → on (segment 'checkout-5pct')", undefined],
    ]);
  });

  it('toggles the environment default of a flag without a ramp, and writes nothing when already there', async () => {
    fake = await startFakeFlagsmith();
    const store = fsStore(fake);
    await store.setEnabled('banner', 'Production', true, { comment: 'launch' });
    await store.setEnabled('banner', 'Production', true, { comment: 'again' });
    expect(writes(fake).map((r) => [r.method, r.path])).toEqual([
      [
        'PATCH',
        `/api/v1/environments/${fake.env('Production').api_key}/featurestates/${fake.state.states.find((s) => s.feature === fake.feature('banner').id && s.environment === fake.env('Production').id)?.id}/`,
      ],
    ]);
    expect(await live(fake, 'banner')).toMatchObject({ enabled: true, exposure: null });
  });

  it('starts a first ramp: its own split segment, then an override serving the flag on', async () => {
    fake = await startFakeFlagsmith();
    await fsStore(fake).setExposure('banner', 'Production', 10, { expected: null, comment: 'first ramp' });
    expect(writes(fake).map((r) => `${r.method} ${r.path.replace(/\d+/g, 'N')}`)).toEqual([
      'POST /api/vN/projects/N/segments/',
      `POST /api/vN/environments/${fake.env('Production').api_key.replace(/\d+/g, 'N')}/features/N/create-segment-override/`,
    ]);
    expect(segmentNamed(fake, 'rampart-ramp/banner/Production').rules[0].conditions[0]).toMatchObject({
      operator: 'PERCENTAGE_SPLIT',
      property: '$.identity.key',
      value: '10',
    });
    expect(await live(fake, 'banner')).toMatchObject({
      enabled: true,
      exposure: 10,
      targeting: "10% split segment 'rampart-ramp/banner/Production'",
    });
  });

  it('ramps a multivariate flag by scaling its allocations to the new total', async () => {
    fake = await startFakeFlagsmith();
    await fsStore(fake).setExposure('pricing-page', 'Production', 50, { expected: 20, comment: 'more' });
    const [w] = writes(fake);
    const [b, c] = fake.feature('pricing-page').multivariate_options;
    expect(w.body).toEqual({
      multivariate_feature_state_values: [
        { id: expect.any(Number), multivariate_feature_option: b.id, percentage_allocation: 25 },
        { id: expect.any(Number), multivariate_feature_option: c.id, percentage_allocation: 25 },
      ],
    });
    expect(await live(fake, 'pricing-page')).toMatchObject({ exposure: 50, enabled: true });
  });
});

describe('Flagsmith adapter: refusals', () => {
  it('acts on the live read it is given (one read per ramp); the compare with what the user saw belongs to the rollout service', async () => {
    fake = await startFakeFlagsmith();
    const store = fsStore(fake);
    const seen = (await store.getFlag('new-checkout')).envs[fake.env('Production').api_key];
    const before = fake.requests.length;
    // `expected` is not the adapter's business any more: a stale one is not refused here (rollout-service.test.ts).
    await store.setExposure('new-checkout', 'Production', 25, { expected: 40, live: seen, comment: 'ramp' });
    // No read before the write (the one after it is the concurrent-edit check, fs-concurrent-edits.ts).
    const sent = fake.requests.slice(before);
    const firstWrite = sent.findIndex((r) => r.method !== 'GET');
    expect(firstWrite).toBeGreaterThanOrEqual(0);
    expect(
      sent.slice(0, firstWrite).filter((r) => r.method === 'GET' && /featurestates|feature-segments/.test(r.path)),
    ).toHaveLength(0);
    expect(await live(fake, 'new-checkout')).toMatchObject({ exposure: 25 });
  });

  it('refuses to move a split segment that other flags also use', async () => {
    fake = await startFakeFlagsmith();
    const e = await caught(fsStore(fake).setExposure('shared-a', 'Production', 20, { expected: 10, comment: 'ramp' }));
    expect(e.code).toBe('blocked');
    expect(e.message).toMatch(/^Flagsmith: segment 'shared-10pct' is also used by 'shared-b'/);
    expect(writes(fake)).toHaveLength(0);
  });

  it('refuses to ramp while the environment default serves everyone', async () => {
    fake = await startFakeFlagsmith();
    const e = await caught(
      fsStore(fake).setExposure('new-checkout', 'Development', 5, { expected: null, comment: 'ramp' }),
    );
    expect(e.code).toBe('blocked');
    expect(e.message).toMatch(/environment default of 'new-checkout' in Development is on/);
    expect(writes(fake)).toHaveLength(0);
  });

  it('needs a comment on every write', async () => {
    fake = await startFakeFlagsmith();
    const e = await caught(fsStore(fake).setEnabled('banner', 'Production', true, { comment: '' }));
    expect(e.code).toBe('bad_request');
    expect(fake.requests).toHaveLength(0);
  });
});

describe('Flagsmith adapter: failures on writes', () => {
  it('does not retry a write that got a 5xx: one request, nothing applied', async () => {
    fake = await startFakeFlagsmith();
    fake.inject({ method: 'PATCH', fault: { kind: 'status', status: 502, body: { detail: 'bad gateway' } } });
    const e = await caught(
      fsStore(fake).setExposure('new-checkout', 'Production', 25, { expected: 5, comment: 'ramp' }),
    );
    expect(e.code).toBe('vendor_error');
    expect(e.message).toMatch(/^Flagsmith: server error \(HTTP 502 on PATCH .*\): bad gateway$/);
    expect(writes(fake)).toHaveLength(1);
    expect(await live(fake, 'new-checkout')).toMatchObject({ exposure: 5 });
  });

  it('does not retry a timed-out write; the slow write lands exactly once', async () => {
    fake = await startFakeFlagsmith();
    fake.inject({ method: 'PATCH', fault: { kind: 'delay', ms: 300 } });
    const e = await caught(
      fsStore(fake, { timeouts: { writeMs: 80 } }).setEnabled('banner', 'Production', true, { comment: 'launch' }),
    );
    expect(e.code).toBe('timeout');
    await new Promise((r) => setTimeout(r, 400));
    expect(writes(fake)).toHaveLength(1);
    expect(fake.state.audit.filter((a) => a.log === 'Flag state updated for feature: banner')).toHaveLength(1);
  });

  it('reports a reset on a write as unreachable without resending it', async () => {
    fake = await startFakeFlagsmith();
    fake.inject({ method: 'PATCH', fault: { kind: 'reset' } });
    const e = await caught(fsStore(fake).setEnabled('banner', 'Production', true, { comment: 'launch' }));
    expect(e.code).toBe('unreachable');
    expect(writes(fake)).toHaveLength(1);
    expect(await live(fake, 'banner')).toMatchObject({ enabled: false });
  });

  it('sends a throttled write again only after Retry-After, applying it once', async () => {
    fake = await startFakeFlagsmith();
    fake.inject({ method: 'PATCH', fault: fsFaults.throttled(1) });
    await fsStore(fake, { http: defaultHttpDeps }).setEnabled('banner', 'Production', true, { comment: 'launch' });
    const sent = writes(fake);
    expect(sent.map((r) => r.status)).toEqual([429, 200]);
    expect(sent[1].at - sent[0].at).toBeGreaterThanOrEqual(1_000);
  });
});
