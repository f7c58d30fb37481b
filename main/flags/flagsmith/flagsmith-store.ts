import type { z } from 'zod';
import type { EnvState, FlagState, FlagStoreCapabilities } from '../../../shared/domain/flags';
import type { FlagsmithConnection } from '../../../shared/domain/connections';
import { RampartError } from '../../../shared/errors';
import type { HttpDeps } from '../../net/http-client';
import type { FlagStore, HistoryRange, WriteOptions, WriteReport } from '../flag-store';
import { createFsClient, VENDOR, type FsTimeouts } from './fs-client';
import { checkFlagsmithWrite, type FsWritten } from './fs-concurrent-edits';
import { fsHistory, type RampSegmentUse } from './fs-history';
import {
  findEnvironment,
  findFeature,
  listEnvironments,
  listFeatures,
  listSegments,
  readEnvironment,
  readLive,
  resolveProjectId,
  segmentCache,
} from './fs-read';
import type { FsEnvironment } from './fs-schemas';
import { fsTreatmentReach } from './fs-reach';
import { EXPOSURE_STEP, envStateOf, rampOf, variantsOf, type LiveFeature } from './fs-state';
import { rollBack, setEnabled, setExposure, type WriteCtx } from './fs-writes';

/** A read a write is based on: the configuration, and when the read began (for the check after the write). */
interface Basis {
  pid: number;
  env: FsEnvironment;
  live: LiveFeature;
  readStartedAt: number;
}

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

  /**
   * The live configuration behind each EnvState this adapter returned, so a write given that state as `opts.live`
   * (the rollout service's one read per ramp) acts on the very configuration the decision was made on, without a
   * second read. Flagsmith has no version check, so nothing narrower exists (docs/integrations.md 2.7).
   */
  const readBehind = new WeakMap<EnvState, Basis>();

  function flagStateOf(lives: { env: FsEnvironment; live: LiveFeature }[], pid?: number, readStartedAt = 0): FlagState {
    const first = lives[0].live;
    const envs: Record<string, EnvState> = {};
    for (const { env, live } of lives) {
      if (!live.def) continue;
      const state = envStateOf(live);
      if (pid !== undefined) readBehind.set(state, { pid, env, live, readStartedAt });
      envs[env.api_key] = state;
    }
    return {
      key: first.feature.name,
      name: first.feature.name,
      ...(first.feature.description ? { description: first.feature.description } : {}),
      variants: variantsOf(first.feature, lives.find((l) => l.live.def)?.live.def),
      envs,
    };
  }

  async function readOne(flagKey: string, envArg: string): Promise<Basis> {
    const readStartedAt = Date.now();
    const pid = await projectId();
    const env = findEnvironment(await listEnvironments(client, pid), envArg);
    const feature = await findFeature(client, pid, flagKey);
    const live = await readLive(client, env, feature, segmentCache(client, pid));
    return { pid, env, live, readStartedAt };
  }

  /**
   * One write on the configuration read, then the check for edits by others around it: a second read and the
   * audit log (fs-concurrent-edits.ts). The write's own error wins; a failed second read leaves only the audit.
   */
  async function writeAndCheck(
    flagKey: string,
    b: Basis,
    comment: string,
    write: (ctx: WriteCtx) => Promise<void>,
    again?: (after: LiveFeature) => boolean,
  ): Promise<WriteReport> {
    const written: FsWritten[] = [];
    await write({ client, projectId: b.pid, env: b.env, live: b.live, comment, written });
    if (written.length === 0) return {};
    // A whole fresh read (environments and feature too): re-reading only the states with the objects read before the
    // write reported a false concurrent edit on a v2-versioned environment (test/flags/flagsmith/concurrent-edits).
    const after = await readOne(flagKey, String(b.env.id)).then(
      (r) => r.live,
      () => undefined,
    );
    // A rollback computed from a read that someone changed meanwhile may leave a state serving the flag on: the
    // same write once more, computed from the read after it (the kill switch never depends on the first read).
    if (after && again?.(after)) await write({ client, projectId: b.pid, env: b.env, live: after, comment, written });
    return checkFlagsmithWrite({
      client,
      projectId: b.pid,
      env: b.env,
      before: b.live,
      after,
      written,
      readStartedAt: b.readStartedAt,
    });
  }

  /** The configuration behind `live` when this adapter produced it (and it is this environment's), else a fresh read. */
  async function basis(flagKey: string, envArg: string, live: EnvState | null | undefined) {
    const known = live ? readBehind.get(live) : undefined;
    if (
      known &&
      known.live.feature.name === flagKey &&
      (known.env.api_key === envArg || known.env.name === envArg || String(known.env.id) === envArg)
    )
      return known;
    return readOne(flagKey, envArg);
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
      return [...byFeature.values()].map((lives) => flagStateOf(lives));
    },

    async getFlag(flagKey) {
      const readStartedAt = Date.now();
      const pid = await projectId();
      const feature = await findFeature(client, pid, flagKey);
      const segment = segmentCache(client, pid);
      const envs = await listEnvironments(client, pid);
      const lives = await Promise.all(
        envs.map(async (env) => ({ env, live: await readLive(client, env, feature, segment) })),
      );
      return flagStateOf(
        lives.length ? lives : [{ env: envs[0], live: { feature, overrides: [] } }],
        pid,
        readStartedAt,
      );
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
      return fsHistory(
        { client, connectionId: connection.id, projectId: pid, envs, features, rampSegments, segment },
        range,
        onlyEnv,
      );
    },

    /** Range, rounding and the compare with what the user saw belong to the rollout service (issue 13). */
    async setExposure(flagKey, env, percent, opts) {
      const comment = requireComment(opts);
      const b = await basis(flagKey, env, opts.live);
      return writeAndCheck(flagKey, b, comment, (ctx) => setExposure(ctx, percent));
    },

    /** The kill switch: the default and every segment override of the environment off (fs-writes.ts rollBack). */
    async rollback(flagKey, env, opts) {
      const comment = requireComment(opts);
      const servesOn = (l: LiveFeature) => !!l.def?.enabled || l.overrides.some((o) => o.state?.enabled);
      return writeAndCheck(flagKey, await basis(flagKey, env, opts.live), comment, rollBack, servesOn);
    },

    /** Read fresh, identity overrides included: the proof a rollback is confirmed by. */
    async treatmentReach(flagKey, env) {
      const { env: environment, live } = await readOne(flagKey, env);
      return fsTreatmentReach(live, environment.name);
    },

    async setEnabled(flagKey, env, on, opts) {
      const comment = requireComment(opts);
      return writeAndCheck(flagKey, await readOne(flagKey, env), comment, (ctx) => setEnabled(ctx, on));
    },
  };
}
