import type { z } from 'zod';
import type { Environment, EnvState, FlagState, FlagStoreCapabilities } from '../../../shared/domain/flags';
import { formatPercent } from '../../../shared/domain/flags';
import type { LaunchDarklyConnection } from '../../../shared/domain/connections';
import { RampartError, isRampartError } from '../../../shared/errors';
import type { HttpDeps } from '../../net/http-client';
import type { FlagStore, HistoryRange, SetExposureOptions, WriteOptions } from '../flag-store';
import { createLdClient, SEMANTIC_PATCH, VENDOR, type LdTimeouts } from './ld-client';
import { ldHistory } from './ld-history';
import { LdEnvironmentsPage, LdFlag, LdFlagsPage } from './ld-schemas';
import { envStateOf, pointerToken, rolloutFor, weightsById, weightsFor, WEIGHT_SCALE } from './ld-state';

export interface LaunchDarklyStoreOptions {
  connection: z.infer<typeof LaunchDarklyConnection>;
  token: string;
  http?: HttpDeps;
  timeouts?: Partial<LdTimeouts>;
  /**
   * How an exposure change is sent. 'json-patch' (default): `{comment, patch:[test /version, replace fallthrough]}`,
   * so LaunchDarkly itself refuses (409) if the flag changed after Rampart read it — the documented optimistic check
   * (INTEGRATIONS.md 3.4). 'semantic-patch': `updateFallthroughVariationOrRollout` with `rolloutWeights` keyed by
   * variation `_id`; LaunchDarkly documents no version field for it, so only Rampart's read-compare guards it.
   */
  exposureWrites?: 'json-patch' | 'semantic-patch';
}

const FLAG_PAGE = 50;

export function createLaunchDarklyStore(o: LaunchDarklyStoreOptions): FlagStore {
  const { connection } = o;
  const project = encodeURIComponent(connection.project);
  const client = createLdClient({ baseUrl: connection.url, token: o.token, http: o.http, timeouts: o.timeouts });
  const exposureWrites = o.exposureWrites ?? 'json-patch';

  async function environments(): Promise<Environment[]> {
    const items = await client.allPages(`/api/v2/projects/${project}/environments?limit=20`, LdEnvironmentsPage);
    return items.map((e) => ({ key: e.key, name: e.name }));
  }

  function toFlagState(flag: LdFlag): FlagState {
    const envs: Record<string, EnvState> = {};
    for (const [key, cfg] of Object.entries(flag.environments ?? {})) envs[key] = envStateOf(flag, cfg);
    return {
      key: flag.key,
      name: flag.name || flag.key,
      ...(flag.description ? { description: flag.description } : {}),
      variants: flag.variations.map((v) => v.name ?? (typeof v.value === 'string' ? v.value : JSON.stringify(v.value))),
      envs,
    };
  }

  async function readFlag(flagKey: string, env?: string): Promise<LdFlag> {
    const q = env ? `?env=${encodeURIComponent(env)}` : '';
    try {
      return await client.get(`/api/v2/flags/${project}/${encodeURIComponent(flagKey)}${q}`, LdFlag);
    } catch (e) {
      if (isRampartError(e) && e.code === 'not_found') {
        throw new RampartError('not_found', `${VENDOR}: flag '${flagKey}'${env ? ` or environment '${env}'` : ''} not found in project '${connection.project}'`, { flagKey, env });
      }
      throw e;
    }
  }

  /** The flag with its config in `env`, read fresh (never from a cache): the basis of every write. */
  async function readEnv(flagKey: string, env: string) {
    const flag = await readFlag(flagKey, env);
    const cfg = flag.environments?.[env];
    if (!cfg) throw new RampartError('not_found', `${VENDOR}: flag '${flagKey}' has no environment '${env}'`, { flagKey, env });
    return { flag, cfg, state: envStateOf(flag, cfg) };
  }

  function requireComment(opts: WriteOptions): string {
    const comment = opts.comment?.trim();
    if (!comment) throw new RampartError('bad_request', `${VENDOR}: every write needs a comment`);
    return comment;
  }

  /** After a 409, read again and report what the flag looks like now; nothing was written. */
  async function conflictAfterRead(flagKey: string, env: string, sentVersion: number, cause: unknown): Promise<never> {
    const live = (await readEnv(flagKey, env)).state;
    throw new RampartError(
      'conflict',
      `${VENDOR}: '${flagKey}' changed while Rampart was writing (version ${sentVersion} → ${String(live.version)}); nothing was written. ` +
        `In ${env} it is now ${live.enabled ? 'on' : 'off'} at ${formatPercent(live.exposure)}.`,
      { flagKey, env, live, vendorMessage: isRampartError(cause) ? cause.message : undefined },
    );
  }

  return {
    connectionId: connection.id,

    capabilities(): FlagStoreCapabilities {
      return { exposureStep: 1 / WEIGHT_SCALE, historyHasActors: true, writesHaveVersionCheck: exposureWrites === 'json-patch', canWatch: false };
    },

    environments,

    async listFlags() {
      const envs = await environments();
      const byKey = new Map<string, FlagState>();
      const order: string[] = [];
      for (const env of envs) {
        const q = new URLSearchParams({ env: env.key, summary: '0', limit: String(FLAG_PAGE) });
        const flags = await client.allPages(`/api/v2/flags/${project}?${q}`, LdFlagsPage);
        for (const flag of flags) {
          const state = toFlagState(flag);
          const known = byKey.get(flag.key);
          if (known) Object.assign(known.envs, state.envs);
          else {
            byKey.set(flag.key, state);
            order.push(flag.key);
          }
        }
      }
      return order.map((k) => byKey.get(k) as FlagState);
    },

    async getFlag(flagKey) {
      const flag = await readFlag(flagKey);
      if (flag.environments) return toFlagState(flag);
      // API versions that omit `environments` unless filtered: read each environment's config.
      const state = toFlagState(flag);
      for (const env of await environments()) {
        const { cfg } = await readEnv(flagKey, env.key);
        state.envs[env.key] = envStateOf(flag, cfg);
      }
      return state;
    },

    history(range: HistoryRange) {
      return ldHistory(client, connection.id, connection.project, range);
    },

    async setExposure(flagKey, env, percent, opts: SetExposureOptions) {
      const comment = requireComment(opts);
      if (!Number.isFinite(percent) || percent < 0 || percent > 100) {
        throw new RampartError('bad_request', `${VENDOR}: exposure must be between 0 and 100 percent, not ${percent}`);
      }
      const { flag, cfg, state } = await readEnv(flagKey, env);
      // Rampart's own check: the state the user decided on must still be the live one ("no ramp" ≈ 0%).
      if (Math.abs((state.exposure ?? 0) - (opts.expected ?? 0)) > 1 / WEIGHT_SCALE / 2) {
        throw new RampartError(
          'conflict',
          `${VENDOR}: '${flagKey}' in ${env} is now at ${formatPercent(state.exposure)}, not ${formatPercent(opts.expected)} as you saw it; nothing was written.`,
          { flagKey, env, live: state },
        );
      }
      const weights = weightsFor(flag, cfg, percent);
      const path = `/api/v2/flags/${project}/${encodeURIComponent(flagKey)}`;
      try {
        if (exposureWrites === 'semantic-patch') {
          const existing = cfg.fallthrough?.rollout;
          const instruction = {
            kind: 'updateFallthroughVariationOrRollout',
            rolloutWeights: weightsById(flag, weights),
            rolloutContextKind: existing?.contextKind ?? 'user',
            ...(existing?.bucketBy ? { rolloutBucketBy: existing.bucketBy } : {}),
          };
          await client.patch(path, { comment, environmentKey: env, instructions: [instruction] }, SEMANTIC_PATCH, LdFlag);
        } else {
          const patch = [
            { op: 'test', path: '/version', value: flag._version },
            { op: 'replace', path: `/environments/${pointerToken(env)}/fallthrough`, value: { rollout: rolloutFor(cfg, weights) } },
          ];
          await client.patch(path, { comment, patch }, 'application/json', LdFlag);
        }
      } catch (e) {
        if (isRampartError(e) && e.code === 'conflict') return conflictAfterRead(flagKey, env, flag._version, e);
        throw e;
      }
    },

    async setEnabled(flagKey, env, on, opts) {
      const comment = requireComment(opts);
      const path = `/api/v2/flags/${project}/${encodeURIComponent(flagKey)}`;
      const body = { comment, environmentKey: env, instructions: [{ kind: on ? 'turnFlagOn' : 'turnFlagOff' }] };
      // turnFlagOn/Off sets an absolute state and is not tied to a version: a rollback is never refused because
      // someone edited the flag meanwhile. A 409 means "a concurrent request collided; not applied": re-read, and
      // send once more only if the flag is still not in the wanted state.
      try {
        await client.patch(path, body, SEMANTIC_PATCH, LdFlag);
      } catch (e) {
        if (!isRampartError(e) || e.code !== 'conflict') throw e;
        const { state, flag } = await readEnv(flagKey, env);
        if (state.enabled === on) return;
        try {
          await client.patch(path, body, SEMANTIC_PATCH, LdFlag);
        } catch (again) {
          if (isRampartError(again) && again.code === 'conflict') return conflictAfterRead(flagKey, env, flag._version, again);
          throw again;
        }
      }
    },
  };
}
