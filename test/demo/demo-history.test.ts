import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { seedDemoHistory } from '../../main/demo';
import { createFlagdStore } from '../../main/flags/flagd';
import { FlagChange } from '../../shared/domain/flags';

const NOW = Date.UTC(2025, 5, 10, 16, 0, 0);

describe('demo history', () => {
  const changes = seedDemoHistory(NOW, 'demo-flags');

  it('is a day of valid, oldest-first changes with stable ids, demo actors and comments', () => {
    expect(changes.length).toBeGreaterThanOrEqual(10);
    for (const c of changes) {
      expect(FlagChange.parse(c)).toEqual(c);
      expect(c).toMatchObject({ connectionId: 'demo-flags', env: 'production', source: 'vendor' });
      expect(c.actor).toMatch(/ \(demo\)$/);
      expect(c.comment?.length).toBeGreaterThan(3);
      expect(c.at).toBeLessThan(NOW);
      expect(c.at).toBeGreaterThanOrEqual(NOW - 24 * 3_600_000);
    }
    expect(changes.map((c) => c.at)).toEqual([...changes.map((c) => c.at)].sort((a, b) => a - b));
    expect(new Set(changes.map((c) => c.id)).size).toBe(changes.length);
    expect(seedDemoHistory(NOW + 5000, 'demo-flags').map((c) => c.id)).toEqual(changes.map((c) => c.id));
  });

  it('tells the checkout-v2 story: created off, 1 % canary, 5 %, then 25 % four hours ago', () => {
    const checkout = changes.filter((c) => c.flagKey === 'checkout-v2');
    expect(checkout.map((c) => [(c.at - NOW) / 60_000, c.label])).toEqual([
      [-1380, 'created'],
      [-1205, 'rollout 0% → 1%'],
      [-1200, 'off → on'],
      [-900, 'rollout 1% → 5%'],
      [-240, 'rollout 5% → 25%'],
    ]);
    expect(changes.filter((c) => c.flagKey === 'search-ranker').map((c) => c.label)).toEqual([
      'created',
      'rollout 0% → 1%',
      'off → on',
      'rollout 1% → 5%',
      'rollout 5% → 25%',
      'rollout 25% → 50%',
    ]);
  });

  it('ends, for every flag, in the state of the shipped flag file', async () => {
    const file = path.join(__dirname, '../../resources/demo/flags.json');
    const flags = await createFlagdStore({
      connection: { id: 'demo-flags', kind: 'flagd', name: 'Demo', file },
    }).listFlags();
    for (const flag of flags) {
      const mine = changes.filter((c) => c.flagKey === flag.key);
      expect(mine.length, flag.key).toBeGreaterThan(0);
      let state = { enabled: false, exposure: 0 as number | null };
      for (const c of mine) {
        // Each change starts where the previous one ended.
        if (c.from) expect(c.from, `${flag.key} at ${c.label}`).toEqual(state);
        state = { ...state, ...c.to };
      }
      expect(state).toEqual({ enabled: flag.envs.production.enabled, exposure: flag.envs.production.exposure });
    }
  });
});
