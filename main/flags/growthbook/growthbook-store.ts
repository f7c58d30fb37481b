import type { Environment, EnvState, FlagState, FlagStoreCapabilities } from '../../../shared/domain/flags';
import { formatPercent } from '../../../shared/domain/flags';
import { RampartError, isRampartError } from '../../../shared/errors';
import type { GrowthBookConnection } from '../../../shared/kinds/growthbook';
import type { HttpDeps } from '../../net/http-client';
import { pathOf, type VendorTimeouts } from '../../net/vendor-client';
import type { FlagStore, HistoryRange, WriteOptions } from '../flag-store';
import { createGbClient, VENDOR } from './gb-client';
import { gbHistory } from './gb-history';
import { gbTreatmentReach } from './gb-reach';
import { GbEnvironments, GbFeatureAnswer, GbFeaturesPage, Toggled, type GbFeature } from './gb-schemas';
import { envStateOf, EXPOSURE_STEP } from './gb-state';
import { rollBack, setEnabled, setExposure, type WriteCtx } from './gb-writes';

export interface GrowthBookStoreOptions {
  connection: GrowthBookConnection;
  token: string;
  http?: HttpDeps;
  timeouts?: Partial<VendorTimeouts>;
  /**
   * How rule edits are written. 'auto' (default): a draft published at once, falling back to the legacy feature
   * update on servers without the drafts API. 'direct': always the legacy update (no comment, no version check).
   */
  writes?: 'auto' | 'direct';
}

const FEATURE_PAGE = 100; // GrowthBook's maximum `limit`

/** GrowthBook behind the FlagStore interface. Environments are GrowthBook environment ids; flags are feature ids. */
export function createGrowthBookStore(o: GrowthBookStoreOptions): FlagStore {
  const { connection } = o;
  const client = createGbClient({ baseUrl: connection.url, token: o.token, http: o.http, timeouts: o.timeouts });
  const mode: WriteCtx['mode'] = { writes: o.writes === 'direct' ? 'direct' : 'auto' };
  /** The feature read behind each EnvState returned, so a write given it as `opts.live` needs no second read. */
  const readBehind = new WeakMap<EnvState, GbFeature>();

  async function environments(): Promise<Environment[]> {
    const { environments: all } = await client.read('/api/v1/environments', GbEnvironments);
    const project = connection.project;
    const scoped = all.filter((e) => !project || !e.projects?.length || e.projects.includes(project));
    const wanted = connection.environments ? scoped.filter((e) => connection.environments?.includes(e.id)) : scoped;
    return wanted.map((e) => ({ key: e.id, name: e.description?.trim() || e.id }));
  }

  function toFlagState(feature: GbFeature, envKeys: string[]): FlagState {
    const envs: Record<string, EnvState> = {};
    for (const key of envKeys) {
      const state = envStateOf(feature, key);
      if (!state) continue;
      readBehind.set(state, feature);
      envs[key] = state;
    }
    const variants = [
      ...new Set(
        Object.values(envs)
          .flatMap((s) => [s.control, s.treatment])
          .filter((v): v is string => v !== undefined),
      ),
    ];
    return {
      key: feature.id,
      name: feature.id,
      ...(feature.description ? { description: feature.description } : {}),
      variants,
      envs,
    };
  }

  async function listFeatures(): Promise<GbFeature[]> {
    const features = await client.all(
      '/api/v1/features',
      GbFeaturesPage,
      {
        kind: 'offset',
        limit: FEATURE_PAGE,
        items: (p) => p.features,
        nextOffset: (p) => (p.hasMore ? p.nextOffset : null),
      },
      { query: { projectId: connection.project } },
    );
    return features.filter((f) => !f.archived);
  }

  async function readFeature(flagKey: string): Promise<GbFeature> {
    try {
      const { feature } = await client.read(pathOf`/api/v1/features/${flagKey}`, GbFeatureAnswer);
      if (connection.project && feature.project !== connection.project)
        throw new RampartError('not_found', `not in project ${connection.project}`);
      return feature;
    } catch (e) {
      if (isRampartError(e) && e.code === 'not_found') {
        throw new RampartError(
          'not_found',
          `${VENDOR}: feature '${flagKey}' not found${connection.project ? ` in project '${connection.project}'` : ''}`,
          { flagKey },
        );
      }
      throw e;
    }
  }

  /** Read failures after which a rollback still sends its write (not: a missing flag, a bad token). */
  const UNREAD = new Set(['timeout', 'unreachable', 'rate_limited', 'vendor_error']);

  async function envKeys(): Promise<string[]> {
    return (await environments()).map((e) => e.key);
  }

  /** The feature behind `live` when this adapter produced it for this flag, else a fresh read. */
  async function basis(
    flagKey: string,
    live: EnvState | null | undefined,
  ): Promise<{ feature: GbFeature; version: number }> {
    const known = live ? readBehind.get(live) : undefined;
    const feature = known && known.id === flagKey ? known : await readFeature(flagKey);
    const version = typeof live?.version === 'number' ? live.version : feature.revision.version;
    return { feature, version };
  }

  function requireComment(opts: WriteOptions): string {
    const comment = opts.comment?.trim();
    if (!comment) throw new RampartError('bad_request', `${VENDOR}: every write needs a comment`);
    return comment;
  }

  /** A conflict reported with the state GrowthBook has now: nothing was written. */
  async function conflictWithLive(flagKey: string, env: string, cause: RampartError): Promise<never> {
    const live = envStateOf(await readFeature(flagKey), env);
    const now = live ? `In ${env} it is now ${live.enabled ? 'on' : 'off'} at ${formatPercent(live.exposure)}.` : '';
    throw new RampartError('conflict', `${cause.message}. ${now}`.trim(), {
      ...(cause.details as object),
      flagKey,
      env,
      live,
    });
  }

  /**
   * One write: the comment required, the environment one this connection manages, the basis read (or the read
   * behind `live`), and a conflict reported with the state GrowthBook has now. `unread` acts when the basis cannot
   * be read (a rollback must still send its write).
   */
  async function write<R>(
    flagKey: string,
    env: string,
    live: EnvState | null | undefined,
    opts: WriteOptions,
    act: (ctx: WriteCtx) => Promise<R>,
    unread?: (comment: string) => Promise<R>,
  ): Promise<R> {
    const comment = requireComment(opts);
    if (connection.environments && !connection.environments.includes(env)) {
      throw new RampartError(
        'not_found',
        `${VENDOR}: environment '${env}' is not one this connection manages (${connection.environments.join(', ')})`,
        { env },
      );
    }
    let b: { feature: GbFeature; version: number };
    try {
      b = await basis(flagKey, live);
    } catch (e) {
      if (unread && isRampartError(e) && UNREAD.has(e.code)) return unread(comment);
      throw e;
    }
    try {
      return await act({ client, feature: b.feature, env, comment, basisVersion: b.version, mode });
    } catch (e) {
      if (isRampartError(e) && e.code === 'conflict') return conflictWithLive(flagKey, env, e);
      throw e;
    }
  }

  /** A rollback whose basis read failed: the environment off, the one write that needs no read. */
  async function blindOff(flagKey: string, env: string, comment: string) {
    await client.write(
      'POST',
      pathOf`/api/v1/features/${flagKey}/toggle`,
      { reason: comment, environments: { [env]: false } },
      Toggled,
    );
    return {
      note: `GrowthBook could not be read, so Rampart turned ${env} off without choosing by the feature's type: SDKs now evaluate it to null (off, or their in-code fallback); the read-back tells whether that is the control`,
    };
  }

  return {
    connectionId: connection.id,

    capabilities(): FlagStoreCapabilities {
      // Revisions name who published them; drafts branch from a known revision (none on the legacy update).
      return {
        exposureStep: EXPOSURE_STEP,
        historyHasActors: true,
        writesHaveVersionCheck: mode.writes !== 'direct',
        canWatch: false,
      };
    },

    environments,

    async listFlags() {
      const [keys, features] = await Promise.all([envKeys(), listFeatures()]);
      return features.map((f) => toFlagState(f, keys));
    },

    async getFlag(flagKey) {
      const [keys, feature] = await Promise.all([envKeys(), readFeature(flagKey)]);
      return toFlagState(feature, keys);
    },

    async history(range: HistoryRange) {
      const features = range.flagKey ? [await readFeature(range.flagKey)] : await listFeatures();
      return gbHistory(client, connection.id, features, range);
    },

    setExposure(flagKey, env, percent, opts) {
      return write(flagKey, env, opts.live, opts, (ctx) => setExposure(ctx, percent));
    },

    setEnabled(flagKey, env, on, opts) {
      return write(flagKey, env, undefined, opts, (ctx) => setEnabled(ctx, on));
    },

    /** Sends its write whatever the pre-read did: the target never depends on it (gb-writes.ts rollBack). */
    rollback(flagKey, env, opts) {
      return write(
        flagKey,
        env,
        opts.live,
        opts,
        (ctx) => rollBack(ctx),
        (comment) => blindOff(flagKey, env, comment),
      );
    },

    /** Read fresh (never from a cache): the proof a rollback is confirmed by. */
    async treatmentReach(flagKey, env) {
      return gbTreatmentReach(await readFeature(flagKey), env);
    },
  };
}
