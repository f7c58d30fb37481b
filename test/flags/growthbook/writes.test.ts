import { afterEach, describe, expect, it } from 'vitest';
import { defaultHttpDeps } from '../../../main/net/http-client';
import { gbFaults, startFakeGrowthBook, type FakeGrowthBook } from '../../support/vendor-servers/fake-growthbook';
import { caught, gbStore, liveRule, writeCalls } from './helpers';

let fake: FakeGrowthBook;
afterEach(async () => fake?.stop());

const REV = '/api/v1/features/new-checkout/revisions';

describe('GrowthBook adapter: ramps as one published draft', () => {
  it('ramps 5% → 25%: draft, rule coverage, publish — each carrying the comment — and reads it back at the new revision', async () => {
    fake = await startFakeGrowthBook();
    const store = gbStore(fake);
    const live = (await store.getFlag('new-checkout')).envs.production;
    const before = fake.requests.length;
    expect(
      await store.setExposure('new-checkout', 'production', 25, { expected: 5, live, comment: 'ramp to 25' }),
    ).toEqual({});
    const sent = fake.requests.slice(before);
    expect(sent.filter((r) => r.method === 'GET')).toHaveLength(0); // the live read it was given is the basis
    expect(writeCalls(fake)).toEqual([`POST ${REV}`, `PUT ${REV}/2/rules/fr_ramp`, `POST ${REV}/2/publish`]);
    expect(sent[0].query.get('overrideDraftLimit')).toBe('true');
    expect(sent[0].body).toMatchObject({ comment: 'ramp to 25' });
    expect(sent[1].body).toEqual({
      environment: 'production',
      rule: { coverage: 0.25 },
      revisionComment: 'ramp to 25',
    });
    expect(sent[2].body).toEqual({ comment: 'ramp to 25' });
    expect((await store.getFlag('new-checkout')).envs.production).toMatchObject({ exposure: 25, version: 2 });
    expect(fake.state.revisions.find((r) => r.version === 2)).toMatchObject({
      status: 'published',
      comment: 'ramp to 25',
    });
  });

  it('writes the coverage at the 0.01 % step (12.34 % → 0.1234) and a ramp to 100 % that the server re-types force', async () => {
    fake = await startFakeGrowthBook();
    const store = gbStore(fake);
    await store.setExposure('new-checkout', 'production', 12.34, { expected: 5, comment: 'fine' });
    expect(liveRule(fake, 'new-checkout', 'production', 'fr_ramp')?.coverage).toBe(0.1234);
    await store.setExposure('new-checkout', 'production', 100, { expected: 12.34, comment: 'all' });
    expect(liveRule(fake, 'new-checkout', 'production', 'fr_ramp')).toMatchObject({ type: 'force', coverage: 1 });
    expect((await store.getFlag('new-checkout')).envs.production.exposure).toBe(100);
    // Back down from force: the view has no hash attribute, so Rampart names the default one.
    await store.setExposure('new-checkout', 'production', 50, { expected: 100, comment: 'half' });
    expect(liveRule(fake, 'new-checkout', 'production', 'fr_ramp')).toMatchObject({
      type: 'rollout',
      coverage: 0.5,
      hashAttribute: 'id',
    });
  });

  it('adds a rollout rule for a first ramp of a boolean feature; refuses one for a string feature it cannot know the treatment of', async () => {
    fake = await startFakeGrowthBook();
    const store = gbStore(fake);
    await store.setExposure('new-checkout', 'staging', 10, { expected: 0, comment: 'first ramp' });
    const added = fake.rules('new-checkout', 'staging').at(-1);
    expect(added).toMatchObject({ type: 'rollout', value: 'true', coverage: 0.1, hashAttribute: 'id', enabled: true });
    expect((await store.getFlag('new-checkout')).envs.staging.exposure).toBe(10);
    const writes = fake.writes().length;
    const e = await caught(store.setExposure('button-color', 'staging', 10, { expected: 0, comment: 'ramp' }));
    expect(e.code).toBe('blocked');
    expect(e.message).toMatch(/string feature with no rollout rule in staging.*add a rollout rule/);
    expect(fake.writes().length).toBe(writes);
  });

  it('refuses with a conflict when the draft branched from another revision than the live read, discarding it', async () => {
    fake = await startFakeGrowthBook();
    const store = gbStore(fake);
    const seen = (await store.getFlag('new-checkout')).envs.production;
    fake.edit('new-checkout', 'production', (rules) => (rules[0].coverage = 0.1));
    const e = await caught(
      store.setExposure('new-checkout', 'production', 25, { expected: 5, live: seen, comment: 'ramp' }),
    );
    expect(e.code).toBe('conflict');
    expect(e.message).toMatch(
      /changed since Rampart read it \(live revision 1 → 2\).*discarded its draft v3.*now on at 10%/,
    );
    expect((e.details as { live: { exposure: number } }).live.exposure).toBe(10);
    expect(fake.state.revisions.find((r) => r.version === 3)?.status).toBe('discarded');
    expect(liveRule(fake, 'new-checkout', 'production', 'fr_ramp')?.coverage).toBe(0.1);
  });

  it('turns a merge conflict on publish (the same rule edited meanwhile) into a conflict, nothing published', async () => {
    fake = await startFakeGrowthBook();
    fake.inject({
      method: 'POST',
      path: /\/publish$/,
      fault: {
        kind: 'mutate',
        apply: () => fake.edit('new-checkout', 'production', (r) => (r[0].coverage = 0.3), { comment: 'someone else' }),
      },
    });
    const e = await caught(
      gbStore(fake).setExposure('new-checkout', 'production', 25, { expected: 5, comment: 'ramp' }),
    );
    expect(e.code).toBe('conflict');
    expect(e.message).toMatch(/Merge conflict.*discarded its draft v2/);
    expect(fake.state.revisions.find((r) => r.version === 2)?.status).toBe('discarded');
    expect(liveRule(fake, 'new-checkout', 'production', 'fr_ramp')?.coverage).toBe(0.3);
  });

  it('merges when another environment changed meanwhile (GrowthBook’s own merge), keeping both changes', async () => {
    fake = await startFakeGrowthBook();
    fake.inject({
      method: 'POST',
      path: /\/publish$/,
      fault: { kind: 'mutate', apply: () => fake.edit('new-checkout', 'staging', (r) => (r[0].enabled = false)) },
    });
    await gbStore(fake).setExposure('new-checkout', 'production', 25, { expected: 5, comment: 'ramp' });
    expect(liveRule(fake, 'new-checkout', 'production', 'fr_ramp')?.coverage).toBe(0.25);
    expect(fake.rules('new-checkout', 'staging')[0].enabled).toBe(false);
  });

  it('reports a publish that needs an approval as approval_required, and leaves no draft behind', async () => {
    fake = await startFakeGrowthBook({ requireReviews: ['production'] });
    const e = await caught(
      gbStore(fake).setExposure('new-checkout', 'production', 25, { expected: 5, comment: 'ramp' }),
    );
    expect(e.code).toBe('approval_required');
    expect(e.message).toMatch(/requires approval before publishing.*discarded its draft v2/);
    expect(fake.state.revisions.filter((r) => r.status === 'draft')).toEqual([]);
    // The toggle's review gate answers 403 with its own wording: the same code, never retried.
    const t = await caught(gbStore(fake).setEnabled('new-checkout', 'production', false, { comment: 'pause' }));
    expect(t).toMatchObject({
      code: 'approval_required',
      message: expect.stringMatching(/HTTP 403 .*requires a review/),
    });
    expect(fake.requests.filter((r) => r.path.endsWith('/toggle'))).toHaveLength(1);
  });

  it('settles a publish that timed out by reading the draft back: published is success, a draft is discarded', async () => {
    fake = await startFakeGrowthBook();
    fake.inject({ method: 'POST', path: /\/publish$/, fault: { kind: 'apply-then-reset' } });
    await gbStore(fake).setExposure('new-checkout', 'production', 25, { expected: 5, comment: 'ramp' });
    expect(liveRule(fake, 'new-checkout', 'production', 'fr_ramp')?.coverage).toBe(0.25);
    expect(fake.requests.filter((r) => r.path.endsWith('/publish'))).toHaveLength(1); // never resent

    fake.inject({ method: 'POST', path: /\/publish$/, fault: { kind: 'reset' } });
    const e = await caught(
      gbStore(fake).setExposure('new-checkout', 'production', 50, { expected: 25, comment: 'ramp' }),
    );
    expect(e.code).toBe('unreachable');
    expect(e.message).toMatch(/discarded its draft v3/);
    expect(liveRule(fake, 'new-checkout', 'production', 'fr_ramp')?.coverage).toBe(0.25);
    expect(fake.state.revisions.filter((r) => r.status === 'draft')).toEqual([]);
  });

  it('discards the draft when a rule edit fails, and finds its own draft by title when the create’s answer was lost', async () => {
    fake = await startFakeGrowthBook();
    fake.inject({ method: 'PUT', fault: gbFaults.serverError(502) });
    const e = await caught(
      gbStore(fake).setExposure('new-checkout', 'production', 25, { expected: 5, comment: 'ramp' }),
    );
    expect(e.code).toBe('vendor_error');
    expect(e.message).toMatch(/HTTP 502.*discarded its draft v2/);
    fake.inject({ method: 'POST', path: REV, fault: { kind: 'apply-then-reset' } });
    const lost = await caught(
      gbStore(fake).setExposure('new-checkout', 'production', 25, { expected: 5, comment: 'ramp' }),
    );
    expect(lost.code).toBe('unreachable');
    expect(lost.message).toMatch(/discarded its draft v3/);
    expect(fake.state.revisions.filter((r) => r.status === 'draft')).toEqual([]);
    expect(liveRule(fake, 'new-checkout', 'production', 'fr_ramp')?.coverage).toBe(0.05);
  });

  it('sends a rate-limited write again only after RateLimit-Reset, applying it once; never resends after a 5xx', async () => {
    fake = await startFakeGrowthBook();
    fake.inject({ method: 'POST', path: '/api/v1/features/new-checkout/toggle', fault: gbFaults.rateLimited(1) });
    const t0 = Date.now();
    await gbStore(fake, { http: defaultHttpDeps }).setEnabled('new-checkout', 'production', false, {
      comment: 'pause',
    });
    const toggles = fake.requests.filter((r) => r.path.endsWith('/toggle'));
    expect(toggles.map((r) => r.status)).toEqual([429, 200]);
    expect(toggles[1].at - t0).toBeGreaterThanOrEqual(1000);
    expect(fake.state.features[0].enabled.production).toBe(false);
    fake.inject({ method: 'POST', path: '/api/v1/features/new-checkout/toggle', fault: gbFaults.serverError(503) });
    expect((await caught(gbStore(fake).setEnabled('new-checkout', 'production', true, { comment: 'on' }))).code).toBe(
      'vendor_error',
    );
    expect(fake.requests.filter((r) => r.path.endsWith('/toggle'))).toHaveLength(3);
  });

  it('toggles an environment with the comment as its reason; refuses a write without a comment before calling', async () => {
    fake = await startFakeGrowthBook();
    const store = gbStore(fake);
    await store.setEnabled('new-checkout', 'staging', false, { comment: 'pause staging' });
    expect(fake.requests.find((r) => r.path.endsWith('/toggle'))?.body).toEqual({
      reason: 'pause staging',
      environments: { staging: false },
    });
    expect((await store.getFlag('new-checkout')).envs.staging.enabled).toBe(false);
    const n = fake.requests.length;
    expect((await caught(store.setEnabled('new-checkout', 'staging', true, { comment: ' ' }))).code).toBe(
      'bad_request',
    );
    expect(fake.requests.length).toBe(n);
  });
});
