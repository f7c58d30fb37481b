import { afterEach, describe, expect, it } from 'vitest';
import { startFakeGrowthBook, type FakeGrowthBook } from '../../support/vendor-servers/fake-growthbook';
import type { FeatureSeed } from '../../support/vendor-servers/fake-growthbook-state';
import { caught, gbStore, writeCalls } from './helpers';

let fake: FakeGrowthBook;
afterEach(async () => fake?.stop());

const QA = '{"email":{"$regex":"@example.com$"}}';
/** Every rule shape GrowthBook's v1 API can express, on a boolean and on a string feature. */
const everyShape = (id: string, valueType: 'boolean' | 'string', control: string, other: string): FeatureSeed => ({
  id,
  valueType,
  defaultValue: control,
  envs: {
    production: {
      enabled: true,
      rules: [
        { id: `${id}-qa`, type: 'force', value: other, condition: QA },
        { id: `${id}-ramp`, type: 'rollout', value: other, coverage: 0.3, hashAttribute: 'id' },
        {
          id: `${id}-exp`,
          type: 'experiment',
          coverage: 1,
          value: [
            { value: control, weight: 0.5 },
            { value: other, weight: 0.5 },
          ],
        },
        {
          id: `${id}-ref`,
          type: 'experiment-ref',
          experimentId: 'exp_1',
          variations: [
            { value: control, variationId: 'v0' },
            { value: other, variationId: 'v1' },
          ],
        },
        {
          id: `${id}-safe`,
          type: 'safe-rollout',
          controlValue: control,
          variationValue: other,
          hashAttribute: 'id',
          status: 'running',
        },
        { id: `${id}-same`, type: 'force', value: control, condition: QA },
      ],
    },
  },
});

describe('GrowthBook adapter: the kill switch for every rule shape, proven by read-back', () => {
  it('turns the environment off for a boolean feature whose control is false: null is off, the control', async () => {
    fake = await startFakeGrowthBook({ features: [everyShape('bool', 'boolean', 'false', 'true')] });
    const store = gbStore(fake);
    expect((await store.treatmentReach('bool', 'production')).state).toBe('some');
    const report = await store.rollback('bool', 'production', { comment: 'errors up', live: null });
    expect(report).toEqual({});
    expect(writeCalls(fake)).toEqual(['POST /api/v1/features/bool/toggle']);
    expect(fake.requests.find((r) => r.method === 'POST')?.body).toEqual({
      reason: 'errors up',
      environments: { production: false },
    });
    expect(await store.treatmentReach('bool', 'production')).toEqual({
      state: 'none',
      detail: "off in production: left out of the SDK payload, it evaluates to null — off, the control 'false'",
    });
  });

  it('for a string feature keeps the environment on and makes every rule serve the control, in one published revision', async () => {
    fake = await startFakeGrowthBook({ features: [everyShape('color', 'string', 'blue', 'green')] });
    const store = gbStore(fake);
    const report = await store.rollback('color', 'production', { comment: 'errors up', live: null });
    expect(report.note).toMatch(
      /kept production on and set the ramp to 0% and disabled 4 other rules serving another value, since it is a string feature, so off \(null\) would not serve the control/,
    );
    expect(writeCalls(fake).filter((c) => c.endsWith('/publish'))).toHaveLength(1);
    const rules = Object.fromEntries(fake.rules('color', 'production').map((r) => [r.id, r]));
    expect(rules['color-ramp']).toMatchObject({ enabled: true, coverage: 0 }); // still the ramp, at 0
    for (const id of ['color-qa', 'color-exp', 'color-ref', 'color-safe']) expect(rules[id].enabled, id).toBe(false);
    expect(rules['color-same'].enabled).toBe(true); // serves the control: left alone
    expect(fake.state.features[0].enabled.production).toBe(true);
    expect(await store.treatmentReach('color', 'production')).toEqual({
      state: 'none',
      detail: "on in production, but every rule serves the control 'blue' (the default value)",
    });
  });

  it('does the same for an inverted boolean (control true), where off would serve the treatment', async () => {
    fake = await startFakeGrowthBook({ features: [everyShape('inv', 'boolean', 'true', 'false')] });
    const store = gbStore(fake);
    await store.setEnabled('inv', 'production', false, { comment: 'off' });
    expect(await store.treatmentReach('inv', 'production')).toMatchObject({ state: 'some', share: 100 });
    await store.setEnabled('inv', 'production', true, { comment: 'on' });
    await store.rollback('inv', 'production', { comment: 'kill', live: null });
    expect((await store.treatmentReach('inv', 'production')).state).toBe('none');
  });

  it('reports what no rule edit can close (a holdout, prerequisites) and refuses when nothing can be done', async () => {
    fake = await startFakeGrowthBook({
      features: [
        {
          id: 'held',
          valueType: 'string',
          defaultValue: 'a',
          holdout: { id: 'hld_1', value: 'b' },
          envs: {
            production: {
              enabled: true,
              rules: [{ id: 'r1', type: 'rollout', value: 'b', coverage: 0.5, hashAttribute: 'id' }],
            },
          },
        },
        {
          id: 'only-held',
          valueType: 'string',
          defaultValue: 'a',
          holdout: { id: 'hld_2', value: 'b' },
          envs: { production: { enabled: true } },
        },
        {
          id: 'gated',
          valueType: 'json',
          defaultValue: '{}',
          prerequisites: ['parent'],
          envs: { production: { enabled: true } },
        },
      ],
    });
    const store = gbStore(fake);
    const report = await store.rollback('held', 'production', { comment: 'kill', live: null });
    expect(report.note).toMatch(/still not the control: holdout 'hld_1' serving b/);
    expect(await store.treatmentReach('held', 'production')).toMatchObject({ state: 'some', share: null });
    const writes = fake.writes().length;
    const e = await caught(store.rollback('only-held', 'production', { comment: 'kill', live: null }));
    expect(e).toMatchObject({ code: 'blocked' });
    expect(e.message).toMatch(/no rule edit can serve the control 'a' to holdout 'hld_2'/);
    expect(fake.writes().length).toBe(writes);
    expect(await store.treatmentReach('gated', 'production')).toMatchObject({ state: 'unknown' });
  });

  it('never calls an exposure it cannot read none: a rule type it does not know, a non-boolean feature turned off', async () => {
    fake = await startFakeGrowthBook({
      features: [
        { id: 'future', envs: { production: { enabled: true, rules: [{ id: 'x1', type: 'bandit-2030', arms: 3 }] } } },
        { id: 'color-off', valueType: 'string', defaultValue: 'blue', envs: { production: { enabled: false } } },
      ],
    });
    const store = gbStore(fake);
    expect(await store.treatmentReach('future', 'production')).toMatchObject({
      state: 'unknown',
      detail: expect.stringMatching(/a 'bandit-2030' rule/),
    });
    expect((await store.getFlag('future')).envs.production.targeting).toBe('1 rule of a type Rampart does not know');
    expect(await store.treatmentReach('color-off', 'production')).toMatchObject({
      state: 'unknown',
      detail: expect.stringMatching(/in-code fallback/),
    });
    expect((await store.treatmentReach('future', 'nowhere')).state).toBe('unknown');
  });

  it('still sends a rollback when GrowthBook cannot be read first: the environment off, said in the report', async () => {
    fake = await startFakeGrowthBook();
    for (let i = 0; i < 4; i++)
      fake.inject({
        method: 'GET',
        path: '/api/v1/features/button-color',
        fault: { kind: 'status', status: 503, body: { message: 'down' } },
      });
    const report = await gbStore(fake).rollback('button-color', 'production', { comment: 'kill', live: null });
    expect(report.note).toMatch(/could not be read, so Rampart turned production off/);
    expect(fake.state.features[1].enabled.production).toBe(false);
    expect((await gbStore(fake).treatmentReach('button-color', 'production')).state).toBe('unknown');
  });

  it('reads back after a rollback whose answer was lost: the write landed once, the read-back proves it', async () => {
    fake = await startFakeGrowthBook();
    fake.inject({ method: 'POST', path: '/api/v1/features/new-checkout/toggle', fault: { kind: 'apply-then-reset' } });
    const store = gbStore(fake);
    expect((await caught(store.rollback('new-checkout', 'production', { comment: 'kill', live: null }))).code).toBe(
      'unreachable',
    );
    expect(fake.requests.filter((r) => r.path.endsWith('/toggle'))).toHaveLength(1);
    expect((await store.treatmentReach('new-checkout', 'production')).state).toBe('none');
  });
});

describe('GrowthBook adapter: a server without the drafts API', () => {
  it('falls back to the legacy update (read-only fields stripped), says so, and stops claiming a version check', async () => {
    fake = await startFakeGrowthBook({
      noDraftsApi: true,
      features: [
        {
          id: 'f',
          envs: {
            production: {
              enabled: true,
              rules: [
                { id: 'r', type: 'rollout', value: 'true', coverage: 0.05, hashAttribute: 'id', scheduleType: 'none' },
              ],
            },
          },
        },
      ],
    });
    const store = gbStore(fake);
    expect(store.capabilities().writesHaveVersionCheck).toBe(true);
    const report = await store.setExposure('f', 'production', 25, { expected: 5, comment: 'ramp' });
    expect(report).toMatchObject({
      note: expect.stringMatching(/no drafts API.*records no comment and checks no version/),
    });
    expect(writeCalls(fake)).toEqual(['POST /api/v1/features/f/revisions', 'POST /api/v1/features/f']);
    expect(fake.rules('f', 'production')[0]).toMatchObject({ coverage: 0.25 });
    expect(store.capabilities().writesHaveVersionCheck).toBe(false);
    await store.setExposure('f', 'production', 50, { expected: 25, comment: 'more' });
    expect(writeCalls(fake).slice(2)).toEqual(['POST /api/v1/features/f']); // remembered: no second probe
  });

  it('refuses up front where the legacy update cannot carry a rule (a safe rollout)', async () => {
    fake = await startFakeGrowthBook({ noDraftsApi: true, features: [everyShape('color', 'string', 'blue', 'green')] });
    const e = await caught(
      gbStore(fake, { writes: 'direct' }).rollback('color', 'production', { comment: 'kill', live: null }),
    );
    expect(e.code).toBe('blocked');
    expect(e.message).toMatch(/cannot carry a safe-rollout rule/);
    expect(fake.writes()).toHaveLength(0);
  });
});
