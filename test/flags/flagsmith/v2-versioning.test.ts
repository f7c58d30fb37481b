import { afterEach, describe, expect, it } from 'vitest';
import { startFakeFlagsmith, type FakeFlagsmith } from '../../support/vendor-servers/fake-flagsmith';
import { ALICE, liveStates } from '../../support/vendor-servers/flagsmith-state';
import { publishVersion, updateState } from '../../support/vendor-servers/flagsmith-writes';
import { fsStore, segmentNamed, writes } from './helpers';

let fake: FakeFlagsmith;
afterEach(async () => fake?.stop());

const live = async (f: FakeFlagsmith, flag: string) =>
  (await fsStore(f).getFlag(flag)).envs[f.env('Production').api_key];

describe('Flagsmith adapter: v2-versioned environments', () => {
  it('reads live state through the live version', async () => {
    fake = await startFakeFlagsmith({ v2Environments: ['Production'] });
    expect(await live(fake, 'new-checkout')).toMatchObject({ enabled: true, exposure: 5 });
    expect(await live(fake, 'pricing-page')).toMatchObject({ enabled: true, exposure: 20 });
  });

  it('rolls back by publishing one version (comment as its description), never a legacy feature-state write', async () => {
    fake = await startFakeFlagsmith({ v2Environments: ['Production'] });
    const segmentId = segmentNamed(fake, 'checkout-5pct').id;
    await fsStore(fake).setEnabled('new-checkout', 'Production', false, { comment: 'errors up' });
    const sent = writes(fake);
    expect(sent.map((r) => `${r.method} ${r.path}`)).toEqual([
      `POST /api/v1/environments/${fake.env('Production').id}/features/${fake.feature('new-checkout').id}/versions/`,
    ]);
    expect(sent[0].body).toEqual({
      description: 'errors up',
      publish_immediately: true,
      feature_states_to_update: [
        {
          feature_segment: { segment: segmentId },
          enabled: false,
          feature_state_value: { type: 'unicode', string_value: null, integer_value: null, boolean_value: null },
        },
      ],
      feature_states_to_create: [],
    });
    expect(await live(fake, 'new-checkout')).toMatchObject({ enabled: false, exposure: 5 });
    expect(fake.state.audit.at(-1)?.log).toBe('New version published for feature: new-checkout');
  });

  it('ramps a multivariate flag and starts a first ramp through versions', async () => {
    fake = await startFakeFlagsmith({ v2Environments: ['Production'] });
    const store = fsStore(fake);
    await store.setExposure('pricing-page', 'Production', 30, { expected: 20, comment: 'more' });
    expect(await live(fake, 'pricing-page')).toMatchObject({ exposure: 30 });
    await store.setExposure('banner', 'Production', 5, { expected: null, comment: 'first ramp' });
    expect(await live(fake, 'banner')).toMatchObject({ enabled: true, exposure: 5 });
    const versionPosts = writes(fake).filter((r) => r.path.endsWith('/versions/'));
    expect(versionPosts).toHaveLength(2);
    expect((versionPosts[1].body as { feature_states_to_create: unknown[] }).feature_states_to_create).toEqual([
      {
        enabled: true,
        feature_state_value: { type: 'unicode', string_value: null, integer_value: null, boolean_value: null },
        feature_segment: { segment: segmentNamed(fake, 'rampart-ramp/banner/Production').id },
      },
    ]);
    expect(
      writes(fake).some((r) => r.path.includes('featurestates') || r.path.includes('create-segment-override')),
    ).toBe(false);
  });

  it('detects an environment switched to v2 after it was read: the legacy write is refused (400), then one version is published', async () => {
    fake = await startFakeFlagsmith();
    fake.inject({ method: 'PATCH', fault: { kind: 'mutate', apply: () => fake.enableV2('Production') } });
    await fsStore(fake).setEnabled('banner', 'Production', true, { comment: 'launch' });
    const sent = writes(fake);
    expect(sent.map((r) => [r.method, r.status, r.path.endsWith('/versions/')])).toEqual([
      ['PATCH', 400, false],
      ['POST', 201, true],
    ]);
    expect(await live(fake, 'banner')).toMatchObject({ enabled: true });
    expect(fake.env('Production').use_v2_feature_versioning).toBe(true);
  });

  it('shows what a published version changed, from its states against the previous version', async () => {
    fake = await startFakeFlagsmith({ v2Environments: ['Production'] });
    const env = fake.env('Production');
    const t0 = Date.now() - 60_000;
    const change = (name: string, patch: Parameters<typeof updateState>[2], at: number) =>
      publishVersion(
        fake.state,
        env,
        fake.feature(name),
        (_v, states) => {
          const def = states.find((s) => s.feature_segment === null);
          if (def) updateState(fake.state, def, patch, { author: ALICE, at }, false);
          return undefined;
        },
        { author: ALICE, at },
      );
    change('banner', { enabled: true }, t0 + 1_000);
    const [b, c] = fake.feature('pricing-page').multivariate_options;
    change(
      'pricing-page',
      {
        mv: [
          { multivariate_feature_option: b.id, percentage_allocation: 20 },
          { multivariate_feature_option: c.id, percentage_allocation: 20 },
        ],
      },
      t0 + 2_000,
    );
    expect(liveStates(fake.state, env, fake.feature('banner').id)[0].enabled).toBe(true);
    const store = fsStore(fake);
    const banner = await store.history({ from: t0, to: Date.now(), flagKey: 'banner', env: 'Production' });
    expect(banner.map((x) => [x.kind, x.label, x.actor])).toEqual([['enabled', 'off → on', 'alice@example.com']]);
    const pricing = await store.history({ from: t0, to: Date.now(), flagKey: 'pricing-page', env: 'Production' });
    expect(pricing.map((x) => [x.kind, x.label])).toEqual([['exposure', 'rollout 20% → 40%']]);
  });
});
