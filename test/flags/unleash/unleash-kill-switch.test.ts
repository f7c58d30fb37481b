import { describe, expect, it } from 'vitest';
import { createUnleashStore } from '../../../main/flags/unleash';
import { reachOf } from '../../../main/flags/unleash/unleash-kill-switch';
import { UnleashFeatureEnvironment } from '../../../main/flags/unleash/unleash-schemas';
import { UnleashConnection } from '../../../shared/domain/connections';
import { TOKEN, connection } from '../../support/vendor-servers/fake-unleash';
import { ENV, FEATURE, fakeUnleashEnv } from '../../support/vendor-servers/fake-unleash-env';
import { rolloutStrategy } from './fixtures';

const zeroMode = UnleashConnection.parse({ ...connection, rollbackMode: 'zero' });
const offMode = UnleashConnection.parse({ ...connection, rollbackMode: 'off' });

type S = ReturnType<typeof rolloutStrategy>;
const flex = (id: string, rollout: string, extra: Partial<S> = {}) =>
  ({ ...rolloutStrategy(rollout), id, constraints: [], ...extra }) as S;
const std = (id: string, extra: Record<string, unknown> = {}) =>
  ({ ...rolloutStrategy('0'), id, name: 'default', parameters: {}, constraints: [], ...extra }) as unknown as S;
const envOf = (enabled: boolean, strategies: unknown[]) =>
  UnleashFeatureEnvironment.parse({ name: 'production', enabled, strategies });

function setup(strategies: S[], mode = zeroMode, enabled = true) {
  const env = fakeUnleashEnv({ strategies, enabled });
  const store = createUnleashStore({ connection: mode, token: TOKEN, http: env.fake.http });
  const routes = () => env.fake.calls.map((c) => `${c.method} ${c.path.replace(`${ENV}/strategies/`, 'strategy ')}`);
  const rollBack = async (live?: null) => {
    const seen = live === null ? null : (await store.getFlag('checkout-v2')).envs.production;
    env.fake.calls.length = 0;
    return store.rollback('checkout-v2', 'production', { comment: 'p99 up', live: seen });
  };
  return { ...env, store, routes, rollBack };
}

describe('Unleash treatmentReach (Unleash SDK semantics)', () => {
  it.each([
    ['off, whatever the strategies', envOf(false, [std('a')]), { state: 'none' }],
    ['on with no strategy: everyone', envOf(true, []), { state: 'some', share: 100 }],
    [
      'on with only disabled strategies: the client API drops them, so everyone',
      envOf(true, [flex('a', '0', { disabled: true })]),
      { state: 'some', share: 100 },
    ],
    [
      'every active strategy a gradual rollout at 0%',
      envOf(true, [
        flex('a', '0'),
        flex('b', '0', { constraints: [{ contextName: 'appName', operator: 'IN', values: ['web'] }] }),
        std('c', { disabled: true }),
      ]),
      { state: 'none' },
    ],
    ['one unconstrained gradual rollout: its share', envOf(true, [flex('a', '30')]), { state: 'some', share: 30 }],
    [
      'an unconstrained standard strategy: everyone',
      envOf(true, [flex('a', '0'), std('b')]),
      { state: 'some', share: 100 },
    ],
    [
      'a constrained 100% rollout: some, share unknown',
      envOf(true, [flex('a', '100', { constraints: [{ contextName: 'appName', operator: 'IN', values: ['web'] }] })]),
      { state: 'some', share: null },
    ],
    [
      'two rollouts: some, share unknown',
      envOf(true, [flex('a', '10'), flex('b', '20')]),
      { state: 'some', share: null },
    ],
    [
      'a custom strategy: unknown',
      envOf(true, [flex('a', '0'), { ...std('b'), name: 'canaryHosts' }]),
      { state: 'unknown' },
    ],
    ['a malformed rollout is not 0', envOf(true, [flex('a', 'lots')]), { state: 'unknown' }],
  ])('%s', (_, env, expected) => {
    expect(reachOf(env)).toMatchObject(expected);
  });

  it('is unknown, never none, for an environment the read-back lacks', () => {
    expect(reachOf(undefined)).toEqual({ state: 'unknown', detail: 'the environment is missing from the read-back' });
  });
});

describe('Unleash rollback', () => {
  it("zero mode: rollout 0 on every active gradual rollout from the rollout service's read, then one read-back", async () => {
    const u = setup([
      flex('a', '40'),
      flex('b', '100', { constraints: [{ contextName: 'appName', operator: 'IN', values: ['web'] }] as never }),
      flex('c', '0'),
      flex('d', '70', { disabled: true }),
    ]);
    const report = await u.rollBack();
    expect(u.routes().sort()).toEqual([`GET ${FEATURE}`, 'PATCH strategy a', 'PATCH strategy b']);
    expect(u.state.strategies.map((s) => s.parameters.rollout)).toEqual(['0', '0', '0', '70']);
    expect(u.state.enabled).toBe(true);
    expect(report).toEqual({ note: 'Rampart set rollout 0% on 2 gradual rollout strategies.' });
    expect(await u.store.treatmentReach('checkout-v2', 'production')).toMatchObject({ state: 'none' });
  });

  it('zero mode turns the environment off when another strategy is active, and says which', async () => {
    const u = setup([
      flex('a', '40'),
      std('b', { constraints: [{ contextName: 'appName', operator: 'IN', values: ['web'] }] }),
    ]);
    const report = await u.rollBack();
    expect(u.routes()).toEqual([`POST ${ENV}/off`]);
    expect(report.note).toBe(
      'Rampart turned production off instead of setting rollout 0%: the standard ("default") strategy with constraints is active and rollout 0 cannot narrow it.',
    );
  });

  it('zero mode turns off when there is no active strategy (Unleash would serve everyone)', async () => {
    const u = setup([flex('a', '40', { disabled: true })]);
    const report = await u.rollBack();
    expect(u.state.enabled).toBe(false);
    expect(report.note).toMatch(/it is on with no active strategy, which Unleash serves to everyone\.$/);
  });

  it('zero mode turns off when a PATCH fails', async () => {
    const u = setup([flex('a', '40'), flex('b', '20')]);
    u.fake.on('PATCH', `${ENV}/strategies/b`, { status: 500, body: { message: 'db down' } });
    const report = await u.rollBack();
    expect(u.state.enabled).toBe(false);
    expect(report.note).toMatch(
      /^Rampart turned production off instead of setting rollout 0%: setting a rollout to 0% failed \(Unleash: server error \(HTTP 500 .*\): db down\)\.$/,
    );
  });

  it('zero mode turns off, and reports it, when the read-back shows a strategy someone added meanwhile', async () => {
    const u = setup([flex('a', '40')]);
    u.fake.on('PATCH', `${ENV}/strategies/a`, (c) => {
      u.someone.add(flex('late', '100'));
      return { body: u.someone.patch('a', c.body as never, 'rampart-token') };
    });
    const report = await u.rollBack();
    expect(u.state.enabled).toBe(false);
    expect(report.note).toMatch(
      /after rollout 0% the read-back still shows a way to the treatment \(active: .*\): someone changed the strategies meanwhile\.$/,
    );
    expect(report.concurrentEdit?.summary).toMatch(
      /^Concurrent edit in Unleash: the strategies of production changed while Rampart rolled back/,
    );
  });

  it('zero mode turns off when the read-back fails', async () => {
    const u = setup([flex('a', '40')]);
    const live = (await u.store.getFlag('checkout-v2')).envs.production;
    u.fake.on('GET', FEATURE, { status: 502 });
    const report = await u.store.rollback('checkout-v2', 'production', { comment: 'p99 up', live });
    expect(u.state.strategies[0].parameters.rollout).toBe('0');
    expect(u.state.enabled).toBe(false);
    expect(report.note).toMatch(
      /the rollouts were set to 0% but the read-back failed \(Unleash: server error \(HTTP 502/,
    );
  });

  it('zero mode without a pre-read sends off at once, with no read', async () => {
    const u = setup([flex('a', '40')]);
    const report = await u.rollBack(null);
    expect(u.routes()).toEqual([`POST ${ENV}/off`]);
    expect(report.note).toBe(
      'Rampart turned production off instead of setting rollout 0%: the flag could not be read before the rollback, and rollout 0 needs its strategies.',
    );
  });

  it('zero mode with a read it did not make reads once, on a short budget, and turns off if that fails', async () => {
    const u = setup([flex('a', '40')]);
    const other = createUnleashStore({ connection: zeroMode, token: TOKEN, http: u.fake.http });
    const live = (await other.getFlag('checkout-v2')).envs.production;
    u.fake.on('GET', FEATURE, 'reset');
    const report = await u.store.rollback('checkout-v2', 'production', { comment: 'p99 up', live });
    expect(u.fake.calls.filter((c) => c.method === 'GET' && c.path === FEATURE)).toHaveLength(2); // other's read + ONE attempt
    expect(report.note).toMatch(/its strategies could not be read \(Unleash: unreachable/);
    expect(u.state.enabled).toBe(false);
  });

  it('off mode: the environment off, no read, nothing else', async () => {
    const u = setup([flex('a', '40')], offMode);
    expect(await u.rollBack(null)).toEqual({});
    expect(u.routes()).toEqual([`POST ${ENV}/off`]);
  });

  it('an environment already off: zero mode still sets its gradual rollouts to 0% and says it was off', async () => {
    const u = setup([flex('a', '40'), std('b')], zeroMode, false);
    const report = await u.rollBack();
    expect(report.note).toBe('production was already off; Rampart also set rollout 0% on 1 gradual rollout strategy.');
    expect(u.state.strategies[0].parameters.rollout).toBe('0');
  });
});
