import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_SERVICES, demoWorkspace } from '../../main/demo';
import { createFlagdStore } from '../../main/flags/flagd';
import { Connection } from '../../shared/domain/connections';
import { Watch } from '../../shared/domain/metrics';

const RESOURCES = path.join(__dirname, '../../resources');
const SHIPPED = path.join(RESOURCES, 'demo', 'flags.json');
let dataDir = '';
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));
const freshDataDir = () => (dataDir = mkdtempSync(path.join(tmpdir(), 'rampart-demo-')));

describe('demo workspace', () => {
  it('copies the demo flag file on first run only, never clobbering the user’s copy', () => {
    freshDataDir();
    const first = demoWorkspace(dataDir, RESOURCES);
    expect(first.created).toBe(true);
    expect(first.flagsFile).toBe(path.join(dataDir, 'demo', 'flags.json'));
    expect(readFileSync(first.flagsFile, 'utf8')).toBe(readFileSync(SHIPPED, 'utf8'));
    const edited = readFileSync(first.flagsFile, 'utf8').replace('"ENABLED"', '"DISABLED"');
    writeFileSync(first.flagsFile, edited);
    const second = demoWorkspace(dataDir, RESOURCES);
    expect(second.created).toBe(false);
    expect(readFileSync(second.flagsFile, 'utf8')).toBe(edited);
  });

  it('returns the two demo connections and one watch per demo flag, all valid', () => {
    freshDataDir();
    const ws = demoWorkspace(dataDir, RESOURCES);
    expect(ws.connections.map((c) => Connection.parse(c))).toEqual([
      {
        id: 'demo-flags',
        kind: 'flagd',
        name: 'Demo flags (flagd file)',
        file: ws.flagsFile,
        environment: 'production',
        demo: true,
      },
      {
        id: 'demo-metrics',
        kind: 'simulated',
        name: 'Demo service (simulated)',
        flagConnectionId: 'demo-flags',
        demo: true,
      },
    ]);
    expect(ws.watches.map((w) => [w.flagKey, w.selector])).toEqual([
      ['checkout-v2', 'service="checkout"'],
      ['search-ranker', 'service="search"'],
      ['dark-mode', 'service="web"'],
    ]);
    for (const w of ws.watches) {
      expect(Watch.parse(w)).toEqual(w);
      expect(w).toMatchObject({
        flagConnectionId: 'demo-flags',
        metricsConnectionId: 'demo-metrics',
        env: 'production',
      });
      expect(w.metrics.map((m) => m.name)).toEqual(['request_rate', 'error_ratio', 'p50', 'p95', 'p99']);
    }
  });

  it('fails clearly when the resources folder has no demo file', () => {
    freshDataDir();
    expect(() => demoWorkspace(dataDir, path.join(dataDir, 'nowhere'))).toThrow(
      /The demo flag file is missing: .*nowhere/,
    );
    expect(existsSync(path.join(dataDir, 'demo', 'flags.json'))).toBe(false);
  });

  it('ships a flag file whose flags match the simulated services and read as described', async () => {
    const store = createFlagdStore({ connection: { id: 'demo-flags', kind: 'flagd', name: 'Demo', file: SHIPPED } });
    const flags = await store.listFlags();
    const raw = JSON.parse(readFileSync(SHIPPED, 'utf8')) as {
      flags: Record<string, { variants: unknown; defaultVariant: string; metadata: { service: string } }>;
    };
    for (const model of DEMO_SERVICES) {
      const def = raw.flags[model.flagKey];
      expect(def.metadata.service).toBe(model.service);
      expect(def.variants).toEqual(model.variants);
      expect(def.defaultVariant).toBe(model.defaultVariant);
      const env = flags.find((f) => f.key === model.flagKey)!.envs.production;
      expect([env.treatment, env.control]).toEqual([model.treatment, model.control]);
    }
    const state = Object.fromEntries(
      flags.map((f) => [f.key, [f.envs.production.enabled, f.envs.production.exposure]]),
    );
    expect(state).toEqual({ 'checkout-v2': [true, 25], 'search-ranker': [true, 50], 'dark-mode': [true, 100] });
  });
});
