import { afterEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_LD_FLAGS,
  startFakeLaunchDarkly,
  type FakeLaunchDarkly,
} from '../../support/vendor-servers/fake-launchdarkly';
import { ldStore, patches } from './helpers';

let fake: FakeLaunchDarkly;
afterEach(async () => fake?.stop());

const bool = [{ value: false }, { value: true }];
const tenPercentOn = {
  rollout: {
    variations: [
      { variation: 0, weight: 90_000 },
      { variation: 1, weight: 10_000 },
    ],
    contextKind: 'user',
  },
};
/** A boolean flag whose off variation is the TREATMENT: turning it off alone would serve `true` to everyone. */
const offServesTreatment = {
  key: 'off-serves-on',
  variations: bool,
  envs: { production: { on: true, offVariation: 1, fallthrough: tenPercentOn } },
};
/** No off variation at all: SDKs serve their in-code fallback when it is off. */
const noOffVariation = {
  key: 'no-off',
  variations: bool,
  envs: { production: { on: true, offVariation: undefined, fallthrough: tenPercentOn } },
};
/** On, 0 % in the fallthrough, but a targeting rule serves the treatment. */
const ruleServesOn = {
  key: 'rule-on',
  variations: bool,
  envs: {
    production: {
      on: true,
      offVariation: 0,
      fallthrough: { variation: 0 },
      rules: [{ _id: 'r1', clauses: [], variation: 1 }],
    },
  },
};

describe('LaunchDarkly kill switch: off serves the off variation, which must be the control', () => {
  it('turns the flag off with one semantic patch when the off variation is the control; the reach says none', async () => {
    fake = await startFakeLaunchDarkly();
    const store = ldStore(fake);
    expect(await store.treatmentReach('new-checkout', 'production')).toMatchObject({ state: 'some', share: 5 });
    await store.rollback('new-checkout', 'production', { comment: 'errors up', live: null });
    expect(patches(fake).map((r) => r.body)).toEqual([
      { comment: 'errors up', environmentKey: 'production', instructions: [{ kind: 'turnFlagOff' }] },
    ]);
    expect(await store.treatmentReach('new-checkout', 'production')).toEqual({
      state: 'none',
      detail: "off in production: every context gets the off variation 'false' (the control)",
    });
  });

  it('sets the off variation to the control in the same all-or-nothing patch when it was the treatment', async () => {
    fake = await startFakeLaunchDarkly({ flags: [...DEFAULT_LD_FLAGS, offServesTreatment] });
    const store = ldStore(fake);
    const falseId = fake.state.flags.find((f) => f.key === 'off-serves-on')?.variations[0]._id;
    await store.rollback('off-serves-on', 'production', { comment: 'errors up', live: null });
    const [w] = patches(fake);
    expect(w.body).toEqual({
      comment: "errors up (Rampart set the off variation to the control; it was 'true')",
      environmentKey: 'production',
      instructions: [{ kind: 'updateOffVariation', variationId: falseId }, { kind: 'turnFlagOff' }],
    });
    expect(fake.writes()).toHaveLength(1);
    expect((await store.treatmentReach('off-serves-on', 'production')).state).toBe('none');
  });

  it('never calls "off" none when the off variation is the treatment or missing', async () => {
    fake = await startFakeLaunchDarkly({ flags: [...DEFAULT_LD_FLAGS, offServesTreatment, noOffVariation] });
    fake.edit('off-serves-on', 'production', (c) => (c.on = false));
    fake.edit('no-off', 'production', (c) => (c.on = false));
    const store = ldStore(fake);
    expect(await store.treatmentReach('off-serves-on', 'production')).toMatchObject({ state: 'some', share: 100 });
    expect(await store.treatmentReach('no-off', 'production')).toMatchObject({
      state: 'unknown',
      detail: expect.stringMatching(/in-code fallback/),
    });
    await store.rollback('no-off', 'production', { comment: 'kill', live: null });
    expect((patches(fake)[0].body as { instructions: { kind: string }[] }).instructions.map((i) => i.kind)).toEqual([
      'updateOffVariation',
      'turnFlagOff',
    ]);
    expect((await store.treatmentReach('no-off', 'production')).state).toBe('none');
  });

  it('sees the treatment behind a targeting rule of a flag at 0 % in its fallthrough', async () => {
    fake = await startFakeLaunchDarkly({ flags: [...DEFAULT_LD_FLAGS, ruleServesOn] });
    const store = ldStore(fake);
    expect((await store.getFlag('rule-on')).envs.production.exposure).toBe(0);
    expect(await store.treatmentReach('rule-on', 'production')).toMatchObject({
      state: 'some',
      share: null,
      detail: expect.stringMatching(/1 targeting rule/),
    });
  });
});
