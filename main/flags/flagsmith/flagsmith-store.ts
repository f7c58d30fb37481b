import type { z } from 'zod';
import type { EnvState, FlagState, FlagStoreCapabilities } from '../../../shared/domain/flags';
import type { FlagsmithConnection } from '../../../shared/domain/connections';
import { RampartError } from '../../../shared/errors';
import type { HttpDeps } from '../../net/http-client';
import type { FlagStore, HistoryRange, WriteOptions } from '../flag-store';
import { createFsClient, VENDOR, type FsTimeouts } from './fs-client';
import { fsHistory, type RampSegmentUse } from './fs-history';
import { findEnvironment, findFeature, listEnvironments, listFeatures, listSegments, readEnvironment, readLive, resolveProjectId, segmentCache } from './fs-read';
import type { FsEnvironment } from './fs-schemas';
import { EXPOSURE_STEP, envStateOf, rampOf, variantsOf, type LiveFeature } from './fs-state';
import { setEnabled, setExposure } from './fs-writes';

export interface FlagsmithStoreOptions {
  connection: z.infer<typeof FlagsmithConnection>;
  token: string;
  http?: HttpDeps;
  timeouts?: Partial<FsTimeouts>;
}

/**
 * Flagsmith behind the FlagStore interface. Environments are keyed by their client-side `api_key` (unique and what
 * the legacy routes use); an `env` argument may also be the environment's name or numeric id.
 */
export function createFlagsmithStore(o: FlagsmithStoreOptions): FlagStore {
  const { connection } = o;
  const client = createFsClient({ baseUrl: connection.url, token: o.token, http: o.http, timeouts: o.timeouts });
  let projectIdOnce: Promise<number> | undefined;
  const projectId = () => {
    projectIdOnce ??= resolveProjectId(client, connection.project).catch((e) => {
      projectIdOnce = undefined; // a failed lookup (network) is tried again next time
      throw e;
    });
    return projectIdOnce;
  };

  function flagStateOf(lives: { env: FsEnvironment; live: LiveFeature }[]): FlagState {
    const first = lives[0].live;
    const envs: Record<string, EnvState> = {};
    for (const { env, live } of lives) if (live.def) envs[env.api_key] = envStateOf(live);
    return {
      key: first.feature.name,
      name: first.feature.name,
      ...(first.feature.description ? { description: first.feature.description } : {}),
      variants: variantsOf(first.feature, lives.find((l) => l.live.def)?.live.def),
      envs,
    };
  }

  async function readOne(flagKey: string, envArg: string) {
    const pid = await projectId();
    const env = findEnvironment(await listEnvironments(client, pid), envArg);
    const feature = await findFeature(client, pid, flagKey);
    const live = await readLive(client, env, feature, segmentCache(client, pid));
    return { pid, env, live };
  }

  function requireComment(opts: WriteOptions): string {
    const comment = opts.comment?.trim();
    if (!comment) throw new RampartError('bad_request', `${VENDOR}: every write needs a comment`);
    return comment;
  }

  return {
    connectionId: connection.id,

    capabilities(): FlagStoreCapabilities {
      // Audit entries carry `author` for dashboard users (null for Admin API key writes); no version check exists.
      return { exposureStep: EXPOSURE_STEP, historyHasActors: true, writesHaveVersionCheck: false, canWatch: false };
    },

    async environments() {
      const envs = await listEnvironments(client, await projectId());
      return envs.map((e) => ({ key: e.api_key, name: e.name }));
    },

    async listFlags() {
      const pid = await projectId();
      const envs = await listEnvironments(client, pid);
      const segment = segmentCache(client, pid, await listSegments(client, pid));
      const byFeature = new Map<number, { env: FsEnvironment; live: LiveFeature }[]>();
      for (const env of envs) {
        for (const live of await readEnvironment(client, pid, env, segment)) {
          const list = byFeature.get(live.feature.id) ?? [];
          list.push({ env, live });
          byFeature.set(live.feature.id, list);
        }
      }
      return [...byFeature.values()].map(flagStateOf);
    },

    async getFlag(flagKey) {
      const pid = await projectId();
      const feature = await findFeature(client, pid, flagKey);
      const segment = segmentCache(client, pid);
      const envs = await listEnvironments(client, pid);
      const lives = await Promise.all(envs.map(async (env) => ({ env, live: await readLive(client, env, feature, segment) })));
      return flagStateOf(lives.length ? lives : [{ env: envs[0], live: { feature, overrides: [] } }]);
    },

    async history(range: HistoryRange) {
      const pid = await projectId();
      const envs = await listEnvironments(client, pid);
      const onlyEnv = range.env ? findEnvironment(envs, range.env) : undefined;
      const features = (await listFeatures(client, pid)).filter((f) => !range.flagKey || f.name === range.flagKey);
      const segment = segmentCache(client, pid, await listSegments(client, pid));
      // Which segments currently ramp which flag where: a "Segment updated" entry is attributed through this.
      const rampSegments = new Map<number, RampSegmentUse[]>();
      for (const env of onlyEnv ? [onlyEnv] : envs) {
        for (const live of await readEnvironment(client, pid, env, segment)) {
          if (range.flagKey && live.feature.name !== range.flagKey) continue;
          const ramp = rampOf(live);
          if (!ramp) continue;
          const uses = rampSegments.get(ramp.override.segment.id) ?? [];
          uses.push({ flagKey: live.feature.name, env, split: ramp.split });
          rampSegments.set(ramp.override.segment.id, uses);
        }
      }
      return fsHistory({ client, connectionId: connection.id, projectId: pid, envs, features, rampSegments, segment }, range, onlyEnv);
    },

    async setExposure(flagKey, env, percent, opts) {
      const comment = requireComment(opts);
      if (!Number.isFinite(percent) || percent < 0 || percent > 100) {
        throw new RampartError('bad_request', `${VENDOR}: exposure must be between 0 and 100 percent, not ${percent}`);
      }
      const { pid, env: environment, live } = await readOne(flagKey, env);
      await setExposure({ client, projectId: pid, env: environment, live, comment }, percent, opts.expected);
    },

    async setEnabled(flagKey, env, on, opts) {
      const comment = requireComment(opts);
      const { pid, env: environment, live } = await readOne(flagKey, env);
      await setEnabled({ client, projectId: pid, env: environment, live, comment }, on);
    },
  };
}
