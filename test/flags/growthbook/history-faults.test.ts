import { afterEach, describe, expect, it } from 'vitest';
import { startFakeGrowthBook, type FakeGrowthBook } from '../../support/vendor-servers/fake-growthbook';
import { caught, gbStore } from './helpers';

let fake: FakeGrowthBook;
afterEach(async () => fake?.stop());

const range = () => ({ from: Date.now() - 60_000, to: Date.now() + 60_000 });

describe('GrowthBook adapter: history from published revisions', () => {
  it('gives old → new for ramps and toggles, with the comment, actor and stable ids; drafts and discarded ones are not changes', async () => {
    fake = await startFakeGrowthBook({
      features: [
        {
          id: 'new-checkout',
          created: new Date(Date.now() - 3_600_000).toISOString(),
          envs: {
            production: {
              enabled: true,
              rules: [{ id: 'fr_ramp', type: 'rollout', value: 'true', coverage: 0.05, hashAttribute: 'id' }],
            },
            staging: { enabled: true },
          },
        },
      ],
    });
    const store = gbStore(fake);
    await store.setExposure('new-checkout', 'production', 25, { expected: 5, comment: 'ramp to 25' });
    fake.edit('new-checkout', 'production', (r) => (r[0].condition = '{"country":"US"}'), { comment: 'US only' });
    await store.setEnabled('new-checkout', 'production', false, { comment: 'pause' });
    fake.inject({
      method: 'POST',
      path: /\/publish$/,
      fault: { kind: 'status', status: 400, body: { message: 'This revision requires approval before publishing' } },
    });
    await caught(store.setExposure('new-checkout', 'production', 50, { expected: 25, comment: 'refused' }));

    const h = await store.history({ ...range(), flagKey: 'new-checkout', env: 'production' });
    expect(h.map((c) => [c.kind, c.label, c.comment, c.actor])).toEqual([
      ['exposure', 'rollout 5% → 25%', 'ramp to 25', 'API'],
      ['targeting', 'targeting: US only', 'US only', 'Alice Ng'],
      ['enabled', 'on → off', 'Created via REST API', 'API'],
    ]);
    expect(h[0]).toMatchObject({
      id: 'gb-test:new-checkout:v2:production:exposure',
      from: { exposure: 5 },
      to: { exposure: 25 },
      source: 'vendor',
      connectionId: 'gb-test',
    });
    expect((await store.history({ ...range(), flagKey: 'new-checkout', env: 'production' })).map((c) => c.id)).toEqual(
      h.map((c) => c.id),
    );
    // Every environment when none is named: staging had no change.
    expect((await store.history({ ...range(), flagKey: 'new-checkout' })).map((c) => c.env)).toEqual([
      'production',
      'production',
      'production',
    ]);
  });

  it('pages revisions back only as far as the range needs, and skips features not updated since it began', async () => {
    const old = new Date(Date.now() - 86_400_000).toISOString();
    fake = await startFakeGrowthBook({
      features: [
        {
          id: 'busy',
          created: old,
          envs: {
            production: {
              enabled: true,
              rules: [{ id: 'r', type: 'rollout', value: 'true', coverage: 0, hashAttribute: 'id' }],
            },
          },
        },
        { id: 'quiet', created: old },
      ],
    });
    for (let i = 1; i <= 120; i++)
      fake.edit('busy', 'production', (r) => (r[0].coverage = i / 1000), { at: Date.now() - 120_000 + i * 1000 });
    const h = await gbStore(fake).history({ from: Date.now() - 30_000, to: Date.now() + 1, env: 'production' });
    expect(h.length).toBeGreaterThanOrEqual(29);
    expect(h.every((c) => c.flagKey === 'busy' && c.kind === 'exposure')).toBe(true);
    expect(h.at(-1)?.label).toBe('rollout 11.9% → 12%');
    const pages = fake.requests.filter((r) => r.path === '/api/v1/features/busy/revisions');
    expect(pages.map((r) => r.query.get('offset'))).toEqual(['0']); // the first page already reaches before the range
    expect(fake.requests.some((r) => r.path === '/api/v1/features/quiet/revisions')).toBe(false);
  });

  it('says so when the server has no revisions endpoint instead of returning an empty history', async () => {
    fake = await startFakeGrowthBook();
    fake.inject({
      path: '/api/v1/features/new-checkout/revisions',
      fault: { kind: 'status', status: 404, body: { message: 'Unknown API endpoint' } },
    });
    const e = await caught(gbStore(fake).history({ ...range(), flagKey: 'new-checkout' }));
    expect(e).toMatchObject({
      code: 'vendor_error',
      message: expect.stringMatching(/no revisions endpoint.*upgrade GrowthBook/),
    });
  });
});

describe('GrowthBook adapter: malformed answers and secrets', () => {
  it('names the request and the first problem of a malformed answer', async () => {
    fake = await startFakeGrowthBook();
    fake.inject({ path: '/api/v1/features/new-checkout', fault: { kind: 'malformed', body: '{"feature": ' } });
    const e = await caught(gbStore(fake).getFlag('new-checkout'));
    expect(e).toMatchObject({
      code: 'vendor_error',
      message: `GrowthBook: malformed response from GET ${fake.url}/api/v1/features/new-checkout: a body that is not JSON`,
    });
    fake.inject({
      path: '/api/v1/features',
      fault: {
        kind: 'malformed',
        body: JSON.stringify({
          features: [
            {
              id: 'x',
              valueType: 'boolean',
              defaultValue: 'false',
              environments: { production: { enabled: 'yes', rules: [] } },
              revision: { version: 1 },
            },
          ],
          hasMore: false,
          nextOffset: null,
        }),
      },
    });
    const e2 = await caught(gbStore(fake).listFlags());
    expect(e2.message).toMatch(
      /^GrowthBook: malformed response from GET http:\/\/127\.0\.0\.1:\d+\/api\/v1\/features: unexpected JSON \(features\.0\.environments\.production\.enabled: /,
    );
    fake.inject({
      path: '/api/v1/features/new-checkout',
      fault: {
        kind: 'malformed',
        body: JSON.stringify({
          feature: {
            id: 'new-checkout',
            valueType: 'boolean',
            defaultValue: 'false',
            revision: { version: 1 },
            environments: { production: { enabled: true, rules: [{ id: 'r', type: 'rollout', value: 'true' }] } },
          },
        }),
      },
    });
    expect((await caught(gbStore(fake).getFlag('new-checkout'))).code).toBe('vendor_error'); // a known rule type missing its coverage
  });

  it('never lets the key out in an error, whatever the server echoes, on reads and writes', async () => {
    fake = await startFakeGrowthBook();
    const echo = {
      kind: 'status' as const,
      status: 400,
      body: { message: `bad request from Bearer ${fake.token} (${encodeURIComponent(fake.token)})` },
    };
    fake.inject({ method: 'GET', path: '/api/v1/features/new-checkout', fault: echo });
    fake.inject({ method: 'POST', fault: echo });
    const store = gbStore(fake);
    const errors = [
      await caught(store.getFlag('new-checkout')),
      await caught(store.setEnabled('new-checkout', 'production', false, { comment: 'x' })),
    ];
    for (const e of errors) {
      expect(e.message).toContain('[redacted]');
      expect(JSON.stringify({ m: e.message, d: e.details })).not.toContain(fake.token);
      expect(JSON.stringify({ m: e.message, d: e.details })).not.toContain(encodeURIComponent(fake.token));
    }
  });
});
