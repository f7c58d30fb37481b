import { afterEach, describe, expect, it } from 'vitest';
import { startFakeGrowthBook, type FakeGrowthBook } from '../../support/vendor-servers/fake-growthbook';
import type { FeatureSeed } from '../../support/vendor-servers/fake-growthbook-state';
import { caught, gbStore } from './helpers';

let fake: FakeGrowthBook;
afterEach(async () => fake?.stop());

describe('GrowthBook adapter: reads against the documented REST v1 shapes', () => {
  it('lists environments with the bearer key on every call, scoped to the project and to the connection’s list', async () => {
    fake = await startFakeGrowthBook({
      environments: [
        { id: 'production', description: 'Production' },
        { id: 'staging' },
        { id: 'mobile-prod', projects: ['prj_mobile'] },
      ],
    });
    expect(await gbStore(fake).environments()).toEqual([
      { key: 'production', name: 'Production' },
      { key: 'staging', name: 'staging' },
      { key: 'mobile-prod', name: 'mobile-prod' },
    ]);
    expect((await gbStore(fake, { connection: { project: 'prj_web' } }).environments()).map((e) => e.key)).toEqual([
      'production',
      'staging',
    ]);
    expect(
      (await gbStore(fake, { connection: { environments: ['staging'] } }).environments()).map((e) => e.key),
    ).toEqual(['staging']);
    expect(fake.requests.every((r) => r.headers.authorization === `Bearer ${fake.token}`)).toBe(true);
  });

  it('maps the ramp’s coverage to exposure, the default value to the control, other rules to targeting, the revision to version', async () => {
    fake = await startFakeGrowthBook();
    const flags = await gbStore(fake).listFlags();
    const checkout = flags.find((f) => f.key === 'new-checkout');
    expect(checkout?.description).toBe('The new checkout flow');
    expect(checkout?.envs.production).toEqual({
      enabled: true,
      exposure: 5,
      control: 'false',
      treatment: 'true',
      version: 1,
    });
    // staging: a targeted force rule is not a ramp; the QA audience is summarized instead.
    expect(checkout?.envs.staging).toMatchObject({ enabled: true, exposure: 0, targeting: '1 targeting rule' });
    const color = flags.find((f) => f.key === 'button-color');
    expect(color?.envs.production).toMatchObject({ exposure: 20, control: 'blue', treatment: 'green' });
    expect(color?.variants).toEqual(['blue', 'green']);
    expect(color?.envs.staging).toMatchObject({ enabled: false, exposure: 0 });
    expect(color?.envs.staging.treatment).toBeUndefined(); // a string feature with no rule: no known treatment
  });

  it('reads a rollout ramped to 100 % (re-typed force by the server, without coverage in its view) as exposure 100', async () => {
    fake = await startFakeGrowthBook({
      features: [
        {
          id: 'full',
          envs: {
            production: { enabled: true, rules: [{ type: 'force', value: 'true', hashAttribute: 'id', coverage: 1 }] },
          },
        },
      ],
    });
    expect((await gbStore(fake).getFlag('full')).envs.production).toMatchObject({ exposure: 100, treatment: 'true' });
  });

  it('keeps a coverage at the store’s 0.01 % step without binary noise, and says so in its capabilities', async () => {
    fake = await startFakeGrowthBook({
      features: [
        {
          id: 'fine',
          envs: {
            production: {
              enabled: true,
              rules: [{ type: 'rollout', value: 'true', coverage: 0.0707, hashAttribute: 'id' }],
            },
          },
        },
      ],
    });
    const store = gbStore(fake);
    expect((await store.getFlag('fine')).envs.production.exposure).toBe(7.07);
    expect(store.capabilities()).toEqual({
      exposureStep: 0.01,
      historyHasActors: true,
      writesHaveVersionCheck: true,
      canWatch: false,
    });
  });

  it('pages features with limit/offset until hasMore is false, filtered by the project', async () => {
    const seeds: FeatureSeed[] = Array.from({ length: 230 }, (_, i) => ({
      id: `flag-${String(i).padStart(3, '0')}`,
      project: i % 2 ? 'prj_a' : 'prj_b',
    }));
    fake = await startFakeGrowthBook({ features: seeds });
    const all = await gbStore(fake).listFlags();
    expect(all.map((f) => f.key)).toEqual(seeds.map((s) => s.id));
    const lists = fake.requests.filter((r) => r.path === '/api/v1/features');
    expect(lists.map((r) => [r.query.get('offset'), r.query.get('limit')])).toEqual([
      ['0', '100'],
      ['100', '100'],
      ['200', '100'],
    ]);
    const onlyA = await gbStore(fake, { connection: { project: 'prj_a' } }).listFlags();
    expect(onlyA).toHaveLength(115);
    expect(
      fake.requests
        .filter((r) => r.path === '/api/v1/features')
        .at(-1)
        ?.query.get('projectId'),
    ).toBe('prj_a');
  });

  it('says which feature is missing (GrowthBook answers 400 for it) and refuses one of another project', async () => {
    fake = await startFakeGrowthBook({ features: [{ id: 'other', project: 'prj_x' }] });
    const e = await caught(gbStore(fake).getFlag('nope'));
    expect(e.code).toBe('not_found');
    expect(e.message).toBe("GrowthBook: feature 'nope' not found");
    const e2 = await caught(gbStore(fake, { connection: { project: 'prj_y' } }).getFlag('other'));
    expect(e2).toMatchObject({
      code: 'not_found',
      message: "GrowthBook: feature 'other' not found in project 'prj_y'",
    });
  });

  it('reports a bad key as unauthorized without echoing it, and a path segment never changes the route', async () => {
    fake = await startFakeGrowthBook();
    const wrong = 'secret_wrongKey0123456789abc';
    const e = await caught(gbStore({ ...fake, token: wrong }).listFlags());
    expect(e.code).toBe('unauthorized');
    expect(JSON.stringify({ m: e.message, d: e.details })).not.toContain(wrong);
    await caught(gbStore(fake).getFlag('../environments'));
    expect(fake.requests.at(-1)?.path).toBe('/api/v1/features/..%2Fenvironments');
  });

  it('retries a read after a 503 and a reset, then succeeds', async () => {
    fake = await startFakeGrowthBook();
    fake.inject({
      method: 'GET',
      path: '/api/v1/features/new-checkout',
      fault: { kind: 'status', status: 503, body: { message: 'busy' } },
    });
    fake.inject({ method: 'GET', path: '/api/v1/features/new-checkout', fault: { kind: 'reset' } });
    expect((await gbStore(fake).getFlag('new-checkout')).envs.production.exposure).toBe(5);
    expect(fake.requests.filter((r) => r.path === '/api/v1/features/new-checkout')).toHaveLength(3);
  });
});
