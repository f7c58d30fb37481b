import { describe, expect, it } from 'vitest';
import { FlagChange } from '../../../shared/domain/flags';
import { normalizeUnleashEvent, normalizeUnleashEvents } from '../../../main/flags/unleash/unleash-events';
import { UnleashEvent } from '../../../main/flags/unleash/unleash-schemas';
import * as fx from './fixtures';

const parse = (raw: unknown) => UnleashEvent.parse(raw);
const one = (raw: unknown) => normalizeUnleashEvent('unleash-prod', parse(raw));

describe('Unleash event normalization', () => {
  it('turns a rollout update into an exposure change with old → new and the actor', () => {
    const c = one(fx.eventRamp);
    expect(c).toEqual({
      id: 'unleash-prod:10',
      connectionId: 'unleash-prod',
      flagKey: 'checkout-v2',
      env: 'production',
      at: Date.parse('2026-03-02T10:00:00.000Z'),
      kind: 'exposure',
      from: { exposure: 5 },
      to: { exposure: 25 },
      label: 'rollout 5% → 25%',
      actor: 'release-captain',
      source: 'vendor',
    });
    expect(FlagChange.safeParse(c).success).toBe(true);
  });

  it('labels environment on/off, strategy add and remove', () => {
    expect(one(fx.eventEnabled)).toMatchObject({
      kind: 'enabled',
      label: 'off → on',
      from: { enabled: false },
      to: { enabled: true },
    });
    expect(one(fx.eventDisabled)).toMatchObject({ kind: 'enabled', label: 'on → off', actor: 'rampart-token' });
    expect(one(fx.eventStrategyAdd)).toMatchObject({
      kind: 'exposure',
      label: 'rollout 0% → 5%',
      from: null,
      to: { exposure: 5 },
    });
    expect(one(fx.eventStrategyRemove)).toMatchObject({
      kind: 'exposure',
      label: 'rollout 25% → 0%',
      from: { exposure: 25 },
      to: null,
    });
  });

  it('reports non-rollout edits as targeting changes, naming what changed', () => {
    expect(one(fx.eventConstraintsOnly)).toMatchObject({
      kind: 'targeting',
      label: 'targeting: flexibleRollout: constraints changed',
    });
    expect(one(fx.eventDefaultAdded)).toMatchObject({
      kind: 'targeting',
      env: 'development',
      label: 'targeting: added default strategy',
    });
  });

  it('does not call reordered fields a change', () => {
    const reordered = {
      ...fx.eventRamp,
      preData: {
        ...fx.rolloutStrategy('5'),
        constraints: [{ contextName: 'appName', values: ['web'], operator: 'IN' }],
      },
    };
    expect(one(reordered)).toMatchObject({ kind: 'exposure', to: { exposure: 25 } });
    expect(one(reordered)?.to).not.toHaveProperty('targeting');
  });

  it('treats pausing a rollout strategy as its exposure going to 0', () => {
    expect(one(fx.eventPaused)).toMatchObject({
      kind: 'exposure',
      label: 'rollout 25% → 0%',
      to: { exposure: 0, targeting: 'flexibleRollout: strategy paused' },
    });
  });

  it("puts flag-level events (created, archived) on every environment ('*')", () => {
    expect(one(fx.eventCreated)).toMatchObject({ kind: 'created', env: '*', label: 'created' });
    expect(one(fx.eventArchived)).toMatchObject({ kind: 'archived', env: '*', label: 'archived' });
  });

  it('skips events that do not change who gets the flag', () => {
    expect(one(fx.eventTagged)).toBeNull();
    expect(one({ ...fx.eventEnabled, featureName: null })).toBeNull();
  });

  it('sorts oldest first and keeps each event id once (pages may overlap)', () => {
    const events = [
      fx.eventDisabled,
      fx.eventRamp,
      fx.eventCreated,
      fx.eventEnabled,
      fx.eventRamp,
      fx.eventStrategyAdd,
      fx.eventTagged,
    ].map(parse);
    const changes = normalizeUnleashEvents('c', events);
    expect(changes.map((c) => c.id)).toEqual(['c:7', 'c:8', 'c:9', 'c:10', 'c:12']);
  });

  it('orders events with the same timestamp by id', () => {
    const at = '2026-03-02T10:00:00.000Z';
    const events = [
      { ...fx.eventDisabled, createdAt: at },
      { ...fx.eventEnabled, createdAt: at },
    ].map(parse);
    expect(normalizeUnleashEvents('c', events).map((c) => c.id)).toEqual(['c:9', 'c:12']);
  });

  it('rejects a strategy event whose strategy is malformed, naming the event and field', () => {
    const bad = { ...fx.eventRamp, data: { ...fx.rolloutStrategy('25'), name: 42 } };
    expect(() => one(bad)).toThrow(/Unleash: unexpected data in event 10 \(feature-strategy-update\): name: /);
    try {
      one(bad);
    } catch (e) {
      expect((e as { code?: string }).code).toBe('vendor_error');
    }
  });

  it('rejects an unreadable rollout and an environment event without an environment', () => {
    expect(() => one({ ...fx.eventRamp, data: fx.rolloutStrategy('lots') })).toThrow(/unexpected rollout "lots"/);
    expect(() => one({ ...fx.eventEnabled, environment: null })).toThrow(
      /event 9 \(feature-environment-enabled\) has no environment/,
    );
  });

  it('rejects events with a missing id or an unparseable date at the schema', () => {
    expect(UnleashEvent.safeParse({ ...fx.eventRamp, id: undefined }).success).toBe(false);
    expect(UnleashEvent.safeParse({ ...fx.eventRamp, createdAt: 'yesterday' }).success).toBe(false);
  });
});
