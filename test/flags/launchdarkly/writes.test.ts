import { afterEach, describe, expect, it } from 'vitest';
import { defaultHttpDeps } from '../../../main/net/http-client';
import {
  DEFAULT_LD_FLAGS,
  ldFaults,
  startFakeLaunchDarkly,
  type FakeLaunchDarkly,
} from '../../support/vendor-servers/fake-launchdarkly';
import { caught, ldStore, patches } from './helpers';

let fake: FakeLaunchDarkly;
afterEach(async () => fake?.stop());

const inverted = {
  key: 'inverted',
  variations: [{ value: false }, { value: true }],
  envs: { production: { on: true, offVariation: 0, fallthrough: { variation: 0 } } },
};

describe('LaunchDarkly adapter: ramp and rollback', () => {
  it('ramps 5% → 25% with one JSON Patch guarded by test /version, carrying the comment, and reads it back', async () => {
    fake = await startFakeLaunchDarkly();
    const store = ldStore(fake);
    await store.setExposure('new-checkout', 'production', 25, { expected: 5, comment: 'ramp to 25' });
    expect((await store.getFlag('new-checkout')).envs.production).toMatchObject({
      exposure: 25,
      enabled: true,
      version: 2,
    });
    const [w] = patches(fake);
    expect(patches(fake)).toHaveLength(1);
    expect(w.headers['content-type']).toBe('application/json');
    expect(w.body).toEqual({
      comment: 'ramp to 25',
      patch: [
        { op: 'test', path: '/version', value: 1 },
        {
          op: 'replace',
          path: '/environments/production/fallthrough',
          value: {
            rollout: {
              variations: [
                { variation: 0, weight: 25000 },
                { variation: 1, weight: 75000 },
              ],
              contextKind: 'user',
            },
          },
        },
      ],
    });
    expect(fake.state.audit.at(-1)?.comment).toBe('ramp to 25');
    const history = await store.history({
      from: Date.now() - 60_000,
      to: Date.now() + 1,
      flagKey: 'new-checkout',
      env: 'production',
    });
    expect(history.at(-1)).toMatchObject({
      kind: 'exposure',
      label: 'rollout 5% → 25%',
      comment: 'ramp to 25',
      actor: 'token rampart-ci',
      source: 'vendor',
    });
  });

  it('ramps with a semantic patch whose rolloutWeights are keyed by variation _id, not index', async () => {
    fake = await startFakeLaunchDarkly({ flags: [...DEFAULT_LD_FLAGS, inverted] });
    const store = ldStore(fake, { exposureWrites: 'semantic-patch' });
    await store.setExposure('inverted', 'production', 30.125, { expected: 0, comment: 'first ramp' });
    const flag = fake.state.flags.find((f) => f.key === 'inverted');
    const [falseVar, trueVar] = flag?.variations ?? [];
    const [w] = patches(fake);
    expect(w.headers['content-type']).toBe('application/json; domain-model=launchdarkly.semanticpatch');
    expect(w.body).toEqual({
      comment: 'first ramp',
      environmentKey: 'production',
      instructions: [
        {
          kind: 'updateFallthroughVariationOrRollout',
          rolloutWeights: { [falseVar._id]: 69875, [trueVar._id]: 30125 },
          rolloutContextKind: 'user',
        },
      ],
    });
    expect((await store.getFlag('inverted')).envs.production).toMatchObject({
      exposure: 30.125,
      treatment: 'true',
      control: 'false',
    });
    expect(store.capabilities()).toMatchObject({
      exposureStep: 0.001,
      historyHasActors: true,
      writesHaveVersionCheck: false,
    });
  });

  it('keeps the proportions of several treatment variations when ramping a multivariate flag', async () => {
    fake = await startFakeLaunchDarkly();
    await ldStore(fake).setExposure('search-ranker', 'production', 50, { expected: 20, comment: 'more' });
    const rollout = fake.state.flags.find((f) => f.key === 'search-ranker')?.environments.production.fallthrough
      .rollout;
    expect(rollout?.variations).toEqual([
      { variation: 0, weight: 50000 },
      { variation: 1, weight: 25000 },
      { variation: 2, weight: 25000 },
    ]);
  });

  it('rolls back with turnFlagOff (and back on with turnFlagOn), one write each, confirmed by read-back', async () => {
    fake = await startFakeLaunchDarkly();
    const store = ldStore(fake);
    await store.setEnabled('new-checkout', 'production', false, { comment: 'errors up' });
    expect((await store.getFlag('new-checkout')).envs.production.enabled).toBe(false);
    await store.setEnabled('new-checkout', 'production', true, { comment: 'fixed' });
    expect((await store.getFlag('new-checkout')).envs.production).toMatchObject({ enabled: true, exposure: 5 });
    expect(patches(fake).map((r) => r.body)).toEqual([
      { comment: 'errors up', environmentKey: 'production', instructions: [{ kind: 'turnFlagOff' }] },
      { comment: 'fixed', environmentKey: 'production', instructions: [{ kind: 'turnFlagOn' }] },
    ]);
    expect(
      patches(fake).every(
        (r) => r.headers['content-type'] === 'application/json; domain-model=launchdarkly.semanticpatch',
      ),
    ).toBe(true);
  });

  it('refuses a write without a comment before calling LaunchDarkly', async () => {
    fake = await startFakeLaunchDarkly();
    const e = await caught(ldStore(fake).setEnabled('new-checkout', 'production', false, { comment: '  ' }));
    expect(e.code).toBe('bad_request');
    expect(fake.requests).toHaveLength(0);
  });
});

describe('LaunchDarkly adapter: conflicts, approvals and failures on writes', () => {
  it('checks test /version against the live read it is given, without reading again', async () => {
    fake = await startFakeLaunchDarkly();
    const store = ldStore(fake);
    const seen = (await store.getFlag('new-checkout')).envs.production;
    fake.edit(
      'new-checkout',
      'production',
      (c) =>
        (c.fallthrough = {
          rollout: {
            variations: [
              { variation: 0, weight: 10000 },
              { variation: 1, weight: 90000 },
            ],
          },
        }),
    );
    const before = fake.requests.length;
    const e = await caught(
      store.setExposure('new-checkout', 'production', 25, { expected: 5, live: seen, comment: 'ramp' }),
    );
    expect(e.code).toBe('conflict');
    expect(fake.requests.slice(before).map((r) => r.method)).toEqual(['PATCH', 'GET']); // the write, then the re-read for the message
    expect((patches(fake)[0].body as { patch: { op: string; value: unknown }[] }).patch[0]).toEqual({
      op: 'test',
      path: '/version',
      value: 1,
    });
    expect((e.details as { live: { exposure: number } }).live.exposure).toBe(10);
    expect(fake.writes()).toHaveLength(0);
  });

  it('turns a 409 from test /version (an edit between read and write) into a conflict carrying the re-read live state', async () => {
    fake = await startFakeLaunchDarkly();
    fake.inject({
      method: 'PATCH',
      fault: {
        kind: 'mutate',
        apply: () => fake.edit('new-checkout', 'production', (c) => (c.on = false), { comment: 'someone else' }),
      },
    });
    const e = await caught(
      ldStore(fake).setExposure('new-checkout', 'production', 25, { expected: 5, comment: 'ramp' }),
    );
    expect(e.code).toBe('conflict');
    expect(e.message).toMatch(/version 1 → 2.*nothing was written.*now off at 5%/);
    expect((e.details as { live: { enabled: boolean; version: number } }).live).toMatchObject({
      enabled: false,
      version: 2,
    });
    expect(patches(fake).map((r) => r.status)).toEqual([409]);
    expect(fake.writes()).toHaveLength(0);
  });

  it('reports 405 as approval required and never retries it', async () => {
    fake = await startFakeLaunchDarkly({ approvalRequired: ['production'] });
    const store = ldStore(fake);
    const e = await caught(store.setEnabled('new-checkout', 'production', false, { comment: 'rollback' }));
    expect(e.code).toBe('approval_required');
    expect(e.message).toMatch(/^LaunchDarkly: approval required \(HTTP 405 on PATCH /);
    const e2 = await caught(store.setExposure('new-checkout', 'production', 25, { expected: 5, comment: 'ramp' }));
    expect(e2.code).toBe('approval_required');
    expect(patches(fake)).toHaveLength(2); // one per call
  });

  it('sends a rate-limited write again only after X-Ratelimit-Reset, applying it exactly once', async () => {
    fake = await startFakeLaunchDarkly();
    const resetAt = Date.now() + 300;
    fake.inject({ method: 'PATCH', fault: ldFaults.rateLimited(resetAt) });
    await ldStore(fake, { http: defaultHttpDeps }).setEnabled('new-checkout', 'production', false, {
      comment: 'rollback',
    });
    const sent = patches(fake);
    expect(sent.map((r) => r.status)).toEqual([429, 200]);
    expect(sent[1].at).toBeGreaterThanOrEqual(resetAt);
    expect(fake.writes()).toHaveLength(1);
  });

  it('sends turnFlagOff again after a 409 "concurrent request" (not applied), once, after re-reading', async () => {
    fake = await startFakeLaunchDarkly();
    fake.inject({ method: 'PATCH', fault: ldFaults.conflict() });
    await ldStore(fake).setEnabled('new-checkout', 'production', false, { comment: 'rollback' });
    expect(patches(fake).map((r) => r.status)).toEqual([409, 200]);
    expect(fake.writes()).toHaveLength(1);
    expect(fake.state.flags[0].environments.production.on).toBe(false);
  });

  it('does not retry a write that got a 5xx: exactly one request, nothing applied', async () => {
    fake = await startFakeLaunchDarkly();
    fake.inject({ method: 'PATCH', fault: { kind: 'status', status: 502, body: { message: 'bad gateway' } } });
    const e = await caught(
      ldStore(fake).setExposure('new-checkout', 'production', 25, { expected: 5, comment: 'ramp' }),
    );
    expect(e.code).toBe('vendor_error');
    expect(e.message).toMatch(/^LaunchDarkly: server error \(HTTP 502 on PATCH /);
    expect(patches(fake)).toHaveLength(1);
    expect(fake.state.flags[0]._version).toBe(1);
  });

  it('does not retry a write that timed out (it may still land): exactly one side effect', async () => {
    fake = await startFakeLaunchDarkly();
    fake.inject({ method: 'PATCH', fault: { kind: 'delay', ms: 400 } });
    const e = await caught(
      ldStore(fake, { timeouts: { writeMs: 100 } }).setEnabled('new-checkout', 'production', false, {
        comment: 'rollback',
      }),
    );
    expect(e.code).toBe('timeout');
    expect(e.message).toMatch(/^LaunchDarkly: timed out after 100 ms \(PATCH /);
    await new Promise((r) => setTimeout(r, 500));
    expect(patches(fake)).toHaveLength(1);
    expect(fake.state.audit.filter((a) => a.token)).toHaveLength(1); // the slow write landed once
  });

  it('names PATCH and the problem when the answer to a write is malformed, and does not resend it', async () => {
    fake = await startFakeLaunchDarkly();
    fake.inject({ method: 'PATCH', fault: { kind: 'malformed', body: '{"key": "new-checkout"' } });
    const e = await caught(ldStore(fake).setEnabled('new-checkout', 'production', false, { comment: 'rollback' }));
    expect(e.code).toBe('vendor_error');
    expect(e.message).toBe(
      `LaunchDarkly: malformed response from PATCH ${fake.url}/api/v2/flags/default/new-checkout: a body that is not JSON`,
    );
    expect(patches(fake)).toHaveLength(1);
  });

  it('reports a connection reset on a write as unreachable, without resending it', async () => {
    fake = await startFakeLaunchDarkly();
    fake.inject({ method: 'PATCH', fault: { kind: 'reset' } });
    const e = await caught(ldStore(fake).setEnabled('new-checkout', 'production', false, { comment: 'rollback' }));
    expect(e.code).toBe('unreachable');
    expect(e.message).toMatch(/^LaunchDarkly: unreachable \(PATCH /);
    expect(patches(fake)).toHaveLength(1);
    expect(fake.writes()).toHaveLength(0);
  });
});
