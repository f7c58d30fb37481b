import type { z } from 'zod';
import type { Environment, EnvState, FlagState, FlagStoreCapabilities } from '../../../shared/domain/flags';
import { formatPercent } from '../../../shared/domain/flags';
import type { LaunchDarklyConnection } from '../../../shared/domain/connections';
import { RampartError, isRampartError } from '../../../shared/errors';
import type { HttpDeps } from '../../net/http-client';
import type { FlagStore, HistoryRange, SetExposureOptions, WriteOptions } from '../flag-store';
import { createLdClient, SEMANTIC_PATCH, VENDOR, type LdTimeouts } from './ld-client';
import { checkVersionGap } from './ld-concurrent-edits';
import { ldHistory } from './ld-history';
import { ldTreatmentReach, offVariationFix } from './ld-reach';
import { LdEnvironmentsPage, LdFlag, LdFlagsPage, type LdFlagConfig } from './ld-schemas';
import { envStateOf, pointerToken, rolloutFor, weightsById, weightsFor, WEIGHT_SCALE } from './ld-state';

export interface LaunchDarklyStoreOptions {
  connection: z.infer<typeof LaunchDarklyConnection>;
  token: string;
  http?: HttpDeps;
  timeouts?: Partial<LdTimeouts>;
  /**
   * How an exposure change is sent. 'json-patch' (default): `{comment, patch:[test /version, replace fallthrough]}`,
   * so LaunchDarkly itself refuses (409) if the flag changed after Rampart read it — the documented optimistic check
   * (docs/integrations.md 3.4). 'semantic-patch': `updateFallthroughVariationOrRollout` with `rolloutWeights` keyed by
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
  /**
   * The vendor-level read behind each EnvState this adapter returned, so a write given that state as `opts.live`
   * (the rollout service's one read per ramp) needs no second read: the weights are computed from the same flag,
   * and `test /version` checks the version that read saw.
   */
  const readBehind = new WeakMap<EnvState, { flag: LdFlag; cfg: LdFlagConfig; readAt: number }>();
  const remember = (flag: LdFlag, cfg: LdFlagConfig): EnvState => {
    const state = envStateOf(flag, cfg);
    readBehind.set(state, { flag, cfg, readAt: Date.now() });
    return state;
  };

  async function environments(): Promise<Environment[]> {
    const items = await client.allPages(`/api/v2/projects/${project}/environments?limit=20`, LdEnvironmentsPage);
    return items.map((e) => ({ key: e.key, name: e.name }));
  }

  function toFlagState(flag: LdFlag): FlagState {
    const envs: Record<string, EnvState> = {};
    for (const [key, cfg] of Object.entries(flag.environments ?? {})) envs[key] = remember(flag, cfg);
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
        throw new RampartError(
          'not_found',
          `${VENDOR}: flag '${flagKey}'${env ? ` or environment '${env}'` : ''} not found in project '${connection.project}'`,
          { flagKey, env },
        );
      }
      throw e;
    }
  }

  /** The flag with its config in `env`, read fresh (never from a cache): the basis of every write. */
  async function readEnv(flagKey: string, env: string) {
    const flag = await readFlag(flagKey, env);
    const cfg = flag.environments?.[env];
    if (!cfg)
      throw new RampartError('not_found', `${VENDOR}: flag '${flagKey}' has no environment '${env}'`, { flagKey, env });
    const state = remember(flag, cfg);
    return { flag, cfg, state, readAt: Date.now() };
  }

  /** The flag behind `live` when this adapter produced it, else a fresh read. */
  async function basis(flagKey: string, env: string, live: EnvState | null | undefined) {
    const known = live ? readBehind.get(live) : undefined;
    return known ? { ...known, state: live as EnvState } : readEnv(flagKey, env);
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

  /**
   * A semantic patch that sets an absolute state (on/off, the off variation), not tied to a version: a rollback is
   * never refused because someone edited the flag meanwhile. A 409 means "a concurrent request collided; not
   * applied": re-read, and send once more only if the flag is still not in the wanted state. Answers the flag as it
   * now is, and whether that is the answer to Rampart's own write (for the version check after it).
   */
  async function sendAbsolute(
    flagKey: string,
    env: string,
    body: unknown,
    reached: (cfg: LdFlagConfig) => boolean,
  ): Promise<{ answer: LdFlag; ownVersions: number[] }> {
    const path = `/api/v2/flags/${project}/${encodeURIComponent(flagKey)}`;
    const sent = async () => {
      const answer = await client.patch(path, body, SEMANTIC_PATCH, LdFlag);
      return { answer, ownVersions: [answer._version] };
    };
    try {
      return await sent();
    } catch (e) {
      if (!isRampartError(e) || e.code !== 'conflict') throw e;
      const { cfg, flag } = await readEnv(flagKey, env);
      if (reached(cfg)) return { answer: flag, ownVersions: [] };
      try {
        return await sent();
      } catch (again) {
        if (isRampartError(again) && again.code === 'conflict')
          return conflictAfterRead(flagKey, env, flag._version, again);
        throw again;
      }
    }
  }

  return {
    connectionId: connection.id,

    capabilities(): FlagStoreCapabilities {
      return {
        exposureStep: 1 / WEIGHT_SCALE,
        historyHasActors: true,
        writesHaveVersionCheck: exposureWrites === 'json-patch',
        canWatch: false,
      };
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
        state.envs[env.key] = remember(flag, cfg);
      }
      return state;
    },

    history(range: HistoryRange) {
      return ldHistory(client, connection.id, connection.project, range);
    },

    /**
     * Range, rounding and the compare with what the user saw belong to the rollout service; this adapter keeps
     * LaunchDarkly's own check: `test /version` against the version of the live read it was given.
     */
    async setExposure(flagKey, env, percent, opts: SetExposureOptions) {
      const comment = requireComment(opts);
      const { flag, cfg, readAt } = await basis(flagKey, env, opts.live);
      const version = typeof opts.live?.version === 'number' ? opts.live.version : flag._version;
      const weights = weightsFor(flag, cfg, percent);
      const path = `/api/v2/flags/${project}/${encodeURIComponent(flagKey)}`;
      let answer: LdFlag;
      try {
        if (exposureWrites === 'semantic-patch') {
          const existing = cfg.fallthrough?.rollout;
          const instruction = {
            kind: 'updateFallthroughVariationOrRollout',
            rolloutWeights: weightsById(flag, weights),
            rolloutContextKind: existing?.contextKind ?? 'user',
            ...(existing?.bucketBy ? { rolloutBucketBy: existing.bucketBy } : {}),
          };
          answer = await client.patch(
            path,
            { comment, environmentKey: env, instructions: [instruction] },
            SEMANTIC_PATCH,
            LdFlag,
          );
        } else {
          const patch = [
            { op: 'test', path: '/version', value: version },
            {
              op: 'replace',
              path: `/environments/${pointerToken(env)}/fallthrough`,
              value: { rollout: rolloutFor(cfg, weights) },
            },
          ];
          answer = await client.patch(path, { comment, patch }, 'application/json', LdFlag);
        }
      } catch (e) {
        if (isRampartError(e) && e.code === 'conflict') return conflictAfterRead(flagKey, env, version, e);
        throw e;
      }
      // `test /version` makes a gap impossible for a JSON Patch; the check costs nothing when the versions add up.
      const gap = {
        flagKey,
        env,
        readVersion: version,
        readAt,
        answer,
        ownVersions: [answer._version],
        write: 'ramp' as const,
      };
      return checkVersionGap(client, connection.project, gap);
    },

    /**
     * Off serves the off variation to every context (ld-reach.ts). When that is not the control, the same
     * all-or-nothing semantic patch sets it to the control first, so "off" can never serve the treatment to all.
     */
    async rollback(flagKey, env, opts) {
      const comment = requireComment(opts);
      const { flag, cfg, readAt } = await basis(flagKey, env, opts.live);
      const fix = offVariationFix(flag, cfg);
      const instructions = fix
        ? [{ kind: 'updateOffVariation', variationId: fix.variationId }, { kind: 'turnFlagOff' }]
        : [{ kind: 'turnFlagOff' }];
      const note = fix ? `${comment} (Rampart set the off variation to the control; it was ${fix.was})` : comment;
      const offIsControl = (f: LdFlag) => (c: LdFlagConfig) => !c.on && offVariationFix(f, c) === null;
      const sent = await sendAbsolute(
        flagKey,
        env,
        { comment: note, environmentKey: env, instructions },
        offIsControl(flag),
      );
      // A change that landed between the read and the write can leave "off" serving the treatment (someone moved
      // the off variation): one more all-or-nothing patch, computed from the flag LaunchDarkly answered.
      const after = sent.answer.environments?.[env];
      const late = after && !offIsControl(sent.answer)(after) ? offVariationFix(sent.answer, after) : null;
      if (late) {
        const again = await sendAbsolute(
          flagKey,
          env,
          {
            comment: `${comment} (Rampart set the off variation to the control; it had become ${late.was})`,
            environmentKey: env,
            instructions: [{ kind: 'updateOffVariation', variationId: late.variationId }, { kind: 'turnFlagOff' }],
          },
          offIsControl(sent.answer),
        );
        sent.answer = again.answer;
        sent.ownVersions.push(...again.ownVersions);
      }
      const undid = late
        ? `set the off variation back to the control in a second patch (it had become ${late.was})`
        : undefined;
      const gap = { flagKey, env, readVersion: flag._version, readAt, ...sent, write: 'rollback' as const };
      const report = await checkVersionGap(client, connection.project, { ...gap, ...(undid ? { undid } : {}) });
      // Whatever the audit log tells, a second patch is said (its comment in LaunchDarkly says it too).
      return undid && !report.concurrentEdit ? { ...report, note: `Rampart ${undid}.` } : report;
    },

    async treatmentReach(flagKey, env) {
      const { flag, cfg } = await readEnv(flagKey, env);
      return ldTreatmentReach(flag, cfg, env);
    },

    async setEnabled(flagKey, env, on, opts) {
      const comment = requireComment(opts);
      const body = { comment, environmentKey: env, instructions: [{ kind: on ? 'turnFlagOn' : 'turnFlagOff' }] };
      // No read before this absolute switch, so no version to compare with: nothing to report.
      await sendAbsolute(flagKey, env, body, (c) => c.on === on);
    },
  };
}
