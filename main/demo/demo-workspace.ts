import { constants as fsConstants, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Connection } from '../../shared/domain/connections';
import { Watch } from '../../shared/domain/metrics';
import { RampartError } from '../../shared/errors';
import { flagEntries, parseFlagdText } from '../flags/flagd/flagd-schema';
import { DEMO_ENVIRONMENT } from './demo-history';
import { serviceModel } from './sim/services';
import { simulatedMetricSpecs, simulatedUnitsQuery } from './simulated-query';

export const DEMO_FLAG_CONNECTION_ID = 'demo-flags';
export const DEMO_METRICS_CONNECTION_ID = 'demo-metrics';

type FlagdConnection = Extract<Connection, { kind: 'flagd' }>;
type SimulatedConnection = Extract<Connection, { kind: 'simulated' }>;

export interface DemoWorkspace {
  /** `<dataDir>/demo/flags.json`: the user's own copy, free to ramp and edit. */
  flagsFile: string;
  /** Whether this call created the copy (first run). */
  created: boolean;
  /** The flag store first, then the metrics provider. */
  connections: [FlagdConnection, SimulatedConnection];
  /** One watch per demo flag whose `metadata.service` names a simulated service. */
  watches: Watch[];
}

/**
 * The embedded default workspace. Copies `<resourcesDir>/demo/flags.json` to `<dataDir>/demo/flags.json` on first
 * run only — an existing copy is never overwritten — and returns what to register. `resourcesDir` is
 * `<repo>/resources` in dev and tests, and the packaged app's resources folder otherwise; the caller knows which.
 */
export function demoWorkspace(dataDir: string, resourcesDir: string): DemoWorkspace {
  const source = path.join(resourcesDir, 'demo', 'flags.json');
  // An in-memory workspace (tests, `--data-dir :memory:`) gets its own throwaway copy: never a ':memory:' folder in
  // the working directory that every such run would share.
  const home = dataDir === ':memory:' ? mkdtempSync(path.join(tmpdir(), 'rampart-demo-')) : dataDir;
  const flagsFile = path.join(home, 'demo', 'flags.json');
  let created = false;
  if (!existsSync(flagsFile)) {
    if (!existsSync(source)) throw new RampartError('internal', `The demo flag file is missing: ${source}`);
    mkdirSync(path.dirname(flagsFile), { recursive: true });
    try {
      copyFileSync(source, flagsFile, fsConstants.COPYFILE_EXCL); // EXCL: even a racing first run never clobbers
      created = true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }

  const flagConnection: FlagdConnection = {
    id: DEMO_FLAG_CONNECTION_ID,
    kind: 'flagd',
    name: 'Demo flags (flagd file)',
    file: flagsFile,
    environment: DEMO_ENVIRONMENT,
    demo: true,
  };
  const metricsConnection: SimulatedConnection = {
    id: DEMO_METRICS_CONNECTION_ID,
    kind: 'simulated',
    name: 'Demo service (simulated)',
    flagConnectionId: DEMO_FLAG_CONNECTION_ID,
    demo: true,
  };
  return {
    flagsFile,
    created,
    connections: [flagConnection, metricsConnection],
    watches: demoWatches(flagsFile, source),
  };
}

/** Watches for the flags of the user's copy; falls back to the shipped file if the copy no longer parses. */
function demoWatches(flagsFile: string, shippedFile: string): Watch[] {
  let doc: Record<string, unknown>;
  try {
    doc = parseFlagdText(flagsFile, readFileSync(flagsFile, 'utf8')).raw;
  } catch {
    doc = parseFlagdText(shippedFile, readFileSync(shippedFile, 'utf8')).raw;
  }
  const watches: Watch[] = [];
  for (const [flagKey, def] of flagEntries(doc as { flags: unknown })) {
    const metadata = (def.metadata ?? {}) as Record<string, unknown>;
    const service = typeof metadata.service === 'string' ? metadata.service : undefined;
    if (!service || serviceModel(service)?.flagKey !== flagKey) continue;
    watches.push(
      Watch.parse({
        id: `demo-${flagKey}`,
        flagConnectionId: DEMO_FLAG_CONNECTION_ID,
        flagKey,
        env: DEMO_ENVIRONMENT,
        metricsConnectionId: DEMO_METRICS_CONNECTION_ID,
        selector: `service="${service}"`,
        metrics: simulatedMetricSpecs(),
        stepSec: 60,
        // Distinct users per variant: the sample-ratio check counts units, not requests (docs/statistics.md).
        units: { query: simulatedUnitsQuery() },
      }),
    );
  }
  return watches;
}
