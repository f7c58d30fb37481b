import { afterEach, describe, expect, it } from 'vitest';
import { fsTreatmentReach } from '../../../main/flags/flagsmith/fs-reach';
import { startFakeFlagsmith, type FakeFlagsmith } from '../../support/vendor-servers/fake-flagsmith';
import { fsStore, segmentNamed, writes } from './helpers';

let fake: FakeFlagsmith;
afterEach(async () => fake?.stop());

/** A second segment override serving new-checkout on to the beta users, besides its 5% ramp segment. */
async function addBetaOverride(f: FakeFlagsmith): Promise<void> {
  const env = f.env('Production');
  const res = await fetch(
    `${f.url}/api/v1/environments/${env.api_key}/features/${f.feature('new-checkout').id}/create-segment-override/`,
    {
      method: 'POST',
      headers: { Authorization: `Api-Key ${f.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        enabled: true,
        feature_state_value: { type: 'unicode', string_value: null },
        feature_segment: { segment: segmentNamed(f, 'beta-users').id },
      }),
    },
  );
  expect(res.ok, await res.text()).toBe(true);
}

describe('Flagsmith kill switch: every state that can serve the flag on', () => {
  it('turns off the ramp override AND every other segment override in a v1 environment; the reach proves it', async () => {
    fake = await startFakeFlagsmith();
    await addBetaOverride(fake);
    const store = fsStore(fake);
    const before = await store.treatmentReach('new-checkout', 'Production');
    expect(before).toMatchObject({
      state: 'some',
      share: null,
      detail: expect.stringMatching(/2 segment overrides \(checkout-5pct, beta-users\)/),
    });
    const sentBefore = writes(fake).length;
    await store.rollback('new-checkout', 'Production', { comment: 'errors up', live: null });
    const sent = writes(fake).slice(sentBefore);
    expect(sent.map((r) => [r.method, r.path.replace(/\d+/g, 'N'), r.body])).toEqual([
      ['PATCH', '/api/vN/features/featurestates/N/', { enabled: false }],
      ['PATCH', '/api/vN/features/featurestates/N/', { enabled: false }],
    ]);
    expect(await store.treatmentReach('new-checkout', 'Production')).toEqual({
      state: 'none',
      detail: 'Production: the environment default and every segment override are off',
    });
  });

  it('publishes ONE version with every override off in a v2 environment (all or nothing)', async () => {
    fake = await startFakeFlagsmith({ v2Environments: ['Production'] });
    const store = fsStore(fake);
    await store.rollback('legacy-search', 'Production', { comment: 'kill it', live: null });
    const posts = writes(fake).filter((r) => r.path.endsWith('/versions/'));
    expect(posts).toHaveLength(1);
    const body = posts[0].body as {
      description: string;
      feature_states_to_update: { enabled: boolean; feature_segment: unknown }[];
    };
    expect(body.description).toBe('kill it');
    expect(body.feature_states_to_update).toEqual([
      {
        enabled: false,
        feature_segment: { segment: segmentNamed(fake, 'beta-users').id },
        feature_state_value: expect.any(Object),
      },
    ]);
    expect((await store.treatmentReach('legacy-search', 'Production')).state).toBe('none');
  });

  it('reaches the treatment through a multivariate default with allocations, and not with all at 0 %', async () => {
    fake = await startFakeFlagsmith();
    const store = fsStore(fake);
    expect(await store.treatmentReach('pricing-page', 'Production')).toMatchObject({ state: 'some', share: 20 });
    await store.rollback('pricing-page', 'Production', { comment: 'stop the test', live: null });
    expect((await store.treatmentReach('pricing-page', 'Production')).state).toBe('none');
  });

  it('never calls an identity override that serves the flag "none", nor an override whose state it could not read', () => {
    const feature = { id: 1, name: 'f', type: 'STANDARD', multivariate_options: [] };
    const def = { id: 2, feature: 1, enabled: false, multivariate_feature_state_values: [] };
    expect(fsTreatmentReach({ feature, def, overrides: [], identityOverridesOn: 3 }, 'Production')).toMatchObject({
      state: 'some',
      detail: expect.stringMatching(/3 identity overrides/),
    });
    expect(
      fsTreatmentReach({ feature, def, overrides: [{ segmentId: 9, priority: 0, segmentName: 'vip' }] }, 'Production'),
    ).toMatchObject({ state: 'unknown' });
    expect(fsTreatmentReach({ feature, overrides: [] }, 'Production').state).toBe('unknown');
  });
});
