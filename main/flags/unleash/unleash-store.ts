import type { z } from 'zod';
import type { UnleashConnection } from '../../../shared/domain/connections';
import type { Environment, FlagState, FlagStoreCapabilities } from '../../../shared/domain/flags';
import { isRampartError } from '../../../shared/errors';
import type { HttpDeps } from '../../net/http-client';
import type { FlagStore } from '../flag-store';
import { createUnleashApi, type UnleashApi } from './unleash-api';
import { unleashHistory } from './unleash-history';
import { reachOf, rollbackUnleash } from './unleash-kill-switch';
import { UnleashFeatureSearch, UnleashProjectEnvironments, UnleashProjectFeatures } from './unleash-schemas';
import { createSnapshotCache, readFlag } from './unleash-snapshots';
import { toFlagState } from './unleash-state';
import { setUnleashEnabled, setUnleashExposure, type UnleashWriteContext } from './unleash-writes';

/**
 * Unleash OSS 6.x through its admin API (an admin API token or a personal access token, sent raw in
 * `Authorization`). What maps to what (exposure, variants, targeting) is in unleash-state.ts; the event log →
 * chart markers in unleash-events.ts; the write rules in unleash-writes.ts, the concurrent-edit check after them in
 * unleash-write-check.ts; the kill switch and its read-back proof in unleash-kill-switch.ts.
 */
export interface UnleashStoreOptions {
  connection: z.infer<typeof UnleashConnection>;
  token: string;
  http?: HttpDeps;
}

const CAPABILITIES: FlagStoreCapabilities = {
  exposureStep: 1, // rollout is a whole percentage
  historyHasActors: true, // every event has createdBy
  writesHaveVersionCheck: false, // OSS admin API: none (see unleash-writes.ts)
  canWatch: false, // polled; Unleash has no push for admin state
};

/** listFlags fetches each flag in full (strategies live only there): a few at a time, not a burst. */
const FLAG_FETCH_CONCURRENCY = 4;
/** feature search: limit max 100 (feature-search-controller). */
const FEATURE_PAGE = 100;

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

async function flagNames(api: UnleashApi, project: string): Promise<string[]> {
  try {
    const names: string[] = [];
    for (let offset = 0; ; offset += FEATURE_PAGE) {
      const page = await api.get('/api/admin/search/features', UnleashFeatureSearch, {
        project: `IS:${project}`,
        offset,
        limit: FEATURE_PAGE,
      });
      names.push(...page.features.map((f) => f.name));
      if (page.features.length < FEATURE_PAGE || names.length >= (page.total ?? Infinity)) return names;
    }
  } catch (e) {
    if (!isRampartError(e) || e.code !== 'not_found') throw e;
    // Before feature search existed: the project's feature list (deprecated in 6.x, still served).
    const list = await api.get(`/api/admin/projects/${encodeURIComponent(project)}/features`, UnleashProjectFeatures);
    return list.features.filter((f) => !f.archived).map((f) => f.name);
  }
}

export function createUnleashStore(opts: UnleashStoreOptions): FlagStore {
  const { connection } = opts;
  const project = connection.project;
  const api = createUnleashApi({ url: connection.url, token: opts.token, http: opts.http });
  // Every read is remembered by version, so a write handed the rollout service's read need not read again.
  const snapshots = createSnapshotCache();
  const ctx: UnleashWriteContext = { api, project, snapshots };

  /** The project's environments; Unleash also returns ones not enabled for the project (e.g. the hidden `default`). */
  async function environments(): Promise<Environment[]> {
    const body = await api.get(
      `/api/admin/environments/project/${encodeURIComponent(project)}`,
      UnleashProjectEnvironments,
    );
    return body.environments
      .filter((e) => e.enabled !== false)
      .sort((a, b) => (a.sortOrder ?? 0) - (b.sortOrder ?? 0))
      .map((e) => ({ key: e.name, name: e.name }));
  }

  /** A flag archived or deleted between the listing and its fetch is left out, not an error for the whole list. */
  async function listedFlag(flagKey: string, envKeys: ReadonlySet<string>): Promise<FlagState | undefined> {
    try {
      const { feature } = await readFlag(api, project, snapshots, flagKey);
      return toFlagState(feature, envKeys);
    } catch (e) {
      if (isRampartError(e) && e.code === 'not_found') return undefined;
      throw e;
    }
  }

  return {
    connectionId: connection.id,
    capabilities: () => ({ ...CAPABILITIES }),
    environments,

    async listFlags() {
      const [envs, names] = await Promise.all([environments(), flagNames(api, project)]);
      const envKeys = new Set(envs.map((e) => e.key));
      const flags = await mapLimit(names, FLAG_FETCH_CONCURRENCY, (name) => listedFlag(name, envKeys));
      return flags.filter((f): f is FlagState => f !== undefined);
    },

    // One request: the per-flag endpoint lists only the environments enabled for the project (a read-back after
    // a rollback is on the latency budget).
    getFlag: async (flagKey) => (await readFlag(api, project, snapshots, flagKey)).flag,

    history: (range) => unleashHistory(api, connection.id, project, range),

    setExposure: (flagKey, env, percent, writeOpts) => setUnleashExposure(ctx, flagKey, env, percent, writeOpts),

    setEnabled: (flagKey, env, on) => setUnleashEnabled(api, project, flagKey, env, on),

    rollback: (flagKey, env, rollbackOpts) => rollbackUnleash(ctx, connection.rollbackMode, flagKey, env, rollbackOpts),

    async treatmentReach(flagKey, env) {
      const { feature } = await readFlag(api, project, snapshots, flagKey);
      return reachOf(feature.environments.find((e) => e.name === env));
    },
  };
}
