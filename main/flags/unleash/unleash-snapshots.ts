import { RampartError } from '../../../shared/errors';
import type { EnvState, FlagState } from '../../../shared/domain/flags';
import { featurePath, type ReadLimits, type UnleashApi } from './unleash-api';
import { UnleashFeature, type UnleashFeatureEnvironment } from './unleash-schemas';
import { toFlagState } from './unleash-state';
import { setBounded } from '../../../shared/bounded-map';

/**
 * What the adapter last read of each environment, keyed by the `version` it reported (versionOf: chosen strategy id,
 * rollout and a hash of everything that shapes who gets the flag). A write handed `opts.live` finds the exact
 * strategies the rollout service's read saw, and when that read was sent, without reading again: the strategies
 * to change, and the start of the window in which someone else's edit counts as concurrent (docs/integrations.md
 * §1.8: Unleash OSS has no compare-and-set, so Rampart narrows the window and checks the event log afterwards).
 */
export interface EnvSnapshot {
  flagKey: string;
  env: UnleashFeatureEnvironment;
  /** Local clock when the GET that returned this state was sent, and when its answer arrived: Unleash read the state between the two. */
  readAt: number;
  readDoneAt: number;
}

/** Enough for every flag × environment a Rampart window shows; the oldest entries go first. */
const MAX_SNAPSHOTS = 1024;

function keyOf(flagKey: string, env: string, version: EnvState['version']): string {
  return `${flagKey}\u0000${env}\u0000${String(version)}`;
}

export function createSnapshotCache() {
  const byVersion = new Map<string, EnvSnapshot>();

  return {
    /** Records every environment of one read; a later read of the same state moves its time forward. */
    remember(
      flagKey: string,
      flag: FlagState,
      envs: readonly UnleashFeatureEnvironment[],
      readAt: number,
      readDoneAt: number,
    ): void {
      for (const env of envs) {
        const version = flag.envs[env.name]?.version;
        if (version === undefined) continue;
        const key = keyOf(flagKey, env.name, version);
        setBounded(byVersion, key, { flagKey, env, readAt, readDoneAt }, MAX_SNAPSHOTS);
      }
    },

    /** The raw state behind `live`, when this adapter is the one that read it. */
    find(flagKey: string, env: string, live: EnvState | null | undefined): EnvSnapshot | undefined {
      if (!live || live.version === undefined) return undefined;
      return byVersion.get(keyOf(flagKey, env, live.version));
    },
  };
}

export type SnapshotCache = ReturnType<typeof createSnapshotCache>;

/**
 * One flag read (the per-flag endpoint lists every environment with strategies and their segments, which the
 * per-environment endpoint leaves out), normalized and remembered.
 */
export async function readFlag(
  api: UnleashApi,
  project: string,
  snapshots: SnapshotCache,
  flagKey: string,
  limits?: ReadLimits,
): Promise<{ feature: UnleashFeature; flag: FlagState; readAt: number; readDoneAt: number }> {
  const readAt = api.now();
  const feature = await api.get(featurePath(project, flagKey), UnleashFeature, undefined, limits);
  const readDoneAt = api.now();
  const flag = toFlagState(feature);
  snapshots.remember(flagKey, flag, feature.environments, readAt, readDoneAt);
  return { feature, flag, readAt, readDoneAt };
}

/** A fresh snapshot of one environment, or not_found naming it. */
export async function readSnapshot(
  api: UnleashApi,
  project: string,
  snapshots: SnapshotCache,
  flagKey: string,
  env: string,
  limits?: ReadLimits,
): Promise<EnvSnapshot> {
  const { feature, readAt, readDoneAt } = await readFlag(api, project, snapshots, flagKey, limits);
  const found = feature.environments.find((e) => e.name === env);
  if (!found)
    throw new RampartError(
      'not_found',
      `Unleash: flag '${flagKey}' has no environment '${env}' in project '${project}'`,
    );
  return { flagKey, env: found, readAt, readDoneAt };
}
