import { describe, expect, it } from 'vitest';
import { FlagState } from '../../../shared/domain/flags';
import {
  exposureOf,
  pickRollout,
  targetingSummary,
  toEnvState,
  toFlagState,
} from '../../../main/flags/unleash/unleash-state';
import {
  UnleashFeature,
  UnleashFeatureEnvironment,
  type UnleashStrategy,
} from '../../../main/flags/unleash/unleash-schemas';
import { featureBody, rolloutStrategy } from './fixtures';

const s = (name: string, extra: Partial<UnleashStrategy> = {}): UnleashStrategy & { id: string } => ({
  id: `${name}-${Math.random().toString(16).slice(2, 8)}`,
  name,
  parameters: {},
  constraints: [],
  segments: [],
  variants: [],
  disabled: false,
  ...extra,
});
const rollout = (r: string, extra: Partial<UnleashStrategy> = {}) =>
  s('flexibleRollout', { parameters: { rollout: r, stickiness: 'default', groupId: 'f' }, ...extra });
const constraint = { contextName: 'country', operator: 'IN', values: ['NO', 'SE'] };

describe('Unleash exposure', () => {
  it('is the rollout of the flexibleRollout strategy, parsed from its string', () => {
    expect(exposureOf([rollout('25')], 'f')).toBe(25);
    expect(exposureOf([rollout('0')], 'f')).toBe(0);
    expect(exposureOf([s('flexibleRollout', { parameters: { rollout: 40 } })], 'f')).toBe(40);
  });

  it('prefers the first unconstrained rollout (by sortOrder) over constrained and later ones', () => {
    const cohort = rollout('50', { constraints: [constraint], sortOrder: 0 });
    const everyone = rollout('10', { sortOrder: 1 });
    const later = rollout('90', { sortOrder: 2 });
    expect(pickRollout([later, cohort, everyone])).toBe(everyone);
    expect(exposureOf([later, cohort, everyone], 'f')).toBe(10);
    const segmented = rollout('30', { segments: [3], sortOrder: 0 });
    expect(exposureOf([segmented], 'f')).toBe(30); // only constrained ones: the first of those
  });

  it('ignores paused (disabled) strategies', () => {
    expect(exposureOf([rollout('70', { disabled: true }), rollout('20', { sortOrder: 5 })], 'f')).toBe(20);
    expect(exposureOf([rollout('70', { disabled: true })], 'f')).toBeNull();
  });

  it('is 100 with no strategies or an unconstrained standard strategy, null with only targeted ones', () => {
    expect(exposureOf([], 'f')).toBe(100);
    expect(exposureOf([s('default')], 'f')).toBe(100);
    expect(exposureOf([s('default'), rollout('5')], 'f')).toBe(100);
    expect(exposureOf([s('default', { constraints: [constraint] })], 'f')).toBeNull();
    expect(exposureOf([s('userWithId', { parameters: { userIds: 'a,b' } })], 'f')).toBeNull();
  });

  it('rejects rollouts that are not a percentage', () => {
    for (const bad of ['', 'abc', '101', '-1']) {
      expect(() => exposureOf([rollout(bad)], "'f' in production")).toThrow(
        /Unleash: unexpected rollout .* in the flexibleRollout strategy of 'f' in production/,
      );
    }
    expect(() => exposureOf([s('flexibleRollout', { parameters: {} })], 'f')).toThrow(/unexpected rollout null/);
  });
});

describe('Unleash targeting summary', () => {
  it('describes constraints, segments, stickiness and the other strategies', () => {
    expect(targetingSummary([])).toBe('everyone (no strategies)');
    expect(targetingSummary([rollout('5')])).toBe('everyone');
    expect(
      targetingSummary([
        rollout('5', {
          constraints: [
            constraint,
            { contextName: 'userId', operator: 'IN', values: ['1', '2', '3', '4'], inverted: true },
          ],
          segments: [1, 2],
          parameters: { rollout: '5', stickiness: 'userId' },
        }),
        s('userWithId'),
      ]),
    ).toBe('country IN [NO, SE]; NOT userId IN 4 values; 2 segments; sticky on userId; +1 other strategy (userWithId)');
    expect(targetingSummary([rollout('5', { disabled: true })])).toBe('no active strategies');
  });
});

describe('Unleash flag state', () => {
  const feature = (production: { enabled: boolean; strategies: unknown[] }) =>
    UnleashFeature.parse(featureBody(production));

  it('normalizes a flag: enabled, exposure, treatment/control from variants, targeting, version', () => {
    const flag = toFlagState(feature({ enabled: true, strategies: [rolloutStrategy('25')] }));
    expect(FlagState.safeParse(flag).success).toBe(true);
    expect(flag).toMatchObject({
      key: 'checkout-v2',
      name: 'checkout-v2',
      description: 'new checkout',
      variants: ['new'],
    });
    expect(flag.envs.production).toMatchObject({
      enabled: true,
      exposure: 25,
      treatment: 'new',
      control: 'disabled',
      targeting: 'appName IN [web]',
    });
    expect(flag.envs.development).toMatchObject({
      enabled: false,
      exposure: 100,
      targeting: 'everyone (no strategies)',
    });
    expect(flag.envs.development.treatment).toBeUndefined();
  });

  it('keeps only the given environments', () => {
    const flag = toFlagState(feature({ enabled: true, strategies: [] }), new Set(['production']));
    expect(Object.keys(flag.envs)).toEqual(['production']);
  });

  it('picks the heaviest variant as the treatment, falling back to environment variants', () => {
    const env = UnleashFeatureEnvironment.parse({
      name: 'production',
      enabled: true,
      strategies: [rolloutStrategy('10', { variants: [] })],
      variants: [
        { name: 'blue', weight: 300 },
        { name: 'green', weight: 700 },
      ],
    });
    expect(toEnvState('f', env)).toMatchObject({ treatment: 'green', control: 'disabled' });
  });

  it('changes version when the rollout, constraints, variants or on/off change, and not otherwise', () => {
    const env = (strategy: unknown, enabled = true) =>
      UnleashFeatureEnvironment.parse({ name: 'production', enabled, strategies: [strategy] });
    const v = (e: ReturnType<typeof env>) => toEnvState('f', e).version;
    const base = v(env(rolloutStrategy('25')));
    expect(v(env(rolloutStrategy('25')))).toBe(base);
    expect(base).toMatch(/^008374c1-a911-4f63-a622-4df33d5056f3:25:[0-9a-f]{12}$/);
    expect(v(env(rolloutStrategy('30')))).not.toBe(base);
    expect(v(env(rolloutStrategy('25', { constraints: [] })))).not.toBe(base);
    expect(v(env(rolloutStrategy('25', { variants: [] })))).not.toBe(base);
    expect(v(env(rolloutStrategy('25'), false))).not.toBe(base);
  });
});
