import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FlagdCore } from '@openfeature/flagd-core';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createSimulatedProvider,
  DEMO_SERVICES,
  demoWorkspace,
  seedDemoHistory,
  type TimelineEntry,
} from '../../main/demo';
import { createAssignmentCache, USER_POOL_SIZE, userKey } from '../../main/demo/sim/assignment';
import { createFlagdStore } from '../../main/flags/flagd';
import { byVariant, HOUR, MIN, NOW, sum } from './fixtures';

let dataDir = '';
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

describe('demo: ramping the demo flag file changes the simulated traffic', () => {
  it('routes the same users to the treatment as flagd-core does with the file the adapter wrote', async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'rampart-demo-'));
    const ws = demoWorkspace(dataDir, path.join(__dirname, '../../resources'));
    const store = createFlagdStore({ connection: ws.connections[0] });
    await store.setExposure('checkout-v2', 'production', 50, { comment: 'ramp', expected: 25 });

    const core = new FlagdCore();
    core.setConfigurations(readFileSync(ws.flagsFile, 'utf8'));
    const model = DEMO_SERVICES.find((s) => s.flagKey === 'checkout-v2')!;
    const simulated = createAssignmentCache().get(model, { enabled: true, exposure: 50 });
    let same = 0;
    for (let i = 0; i < USER_POOL_SIZE; i++) {
      const fromFile =
        core.resolveBooleanEvaluation('checkout-v2', false, { targetingKey: userKey(i) }).variant === 'on';
      if (fromFile === (simulated.treated[i] === 1)) same++;
    }
    expect(same).toBe(USER_POOL_SIZE);
    expect(simulated.share).toBeGreaterThan(0.48);
    expect(simulated.share).toBeLessThan(0.52);
  });

  it('after a ramp through the adapter, the provider’s next steps carry the new traffic mix', async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'rampart-demo-'));
    const ws = demoWorkspace(dataDir, path.join(__dirname, '../../resources'));
    const store = createFlagdStore({ connection: ws.connections[0] });
    // The core's timeline: the seeded day, then what the store reads back after our write.
    const timeline: TimelineEntry[] = [];
    let state = { enabled: false, exposure: 0 as number | null };
    for (const c of seedDemoHistory(NOW - HOUR, 'demo-flags').filter((c) => c.flagKey === 'checkout-v2')) {
      state = { ...state, ...c.to };
      timeline.push({ at: c.at, ...state });
    }
    const rampAt = NOW - 30 * MIN;
    await store.setExposure('checkout-v2', 'production', 100, { comment: 'full', expected: 25 });
    const readBack = (await store.getFlag('checkout-v2')).envs.production;
    timeline.push({ at: rampAt, enabled: readBack.enabled, exposure: readBack.exposure });

    const provider = createSimulatedProvider({
      connectionId: ws.connections[1].id,
      timeline: () => timeline,
      now: () => NOW,
    });
    const split = await provider.range(
      'requests{service="checkout"} by (feature_flag_result_variant)',
      NOW - 2 * HOUR,
      NOW,
      MIN,
    );
    const shareOn = (from: number, to: number) =>
      sum(byVariant(split, 'on'), from, to) /
      (sum(byVariant(split, 'on'), from, to) + sum(byVariant(split, 'off'), from, to));
    expect(shareOn(NOW - 2 * HOUR, rampAt)).toBeGreaterThan(0.22);
    expect(shareOn(NOW - 2 * HOUR, rampAt)).toBeLessThan(0.28);
    expect(shareOn(rampAt + MIN, NOW + 1)).toBe(1);
  });
});
