import { formatPercent, type EnvState } from '../../../shared/domain/flags';
import { RampartError, isRampartError } from '../../../shared/errors';
import type { SetExposureOptions, WriteReport } from '../flag-store';
import { featurePath, type UnleashApi } from './unleash-api';
import { UnleashFeatureEnvironment, UnleashStoredStrategy, parseUnleash } from './unleash-schemas';
import { readSnapshot, type EnvSnapshot, type SnapshotCache } from './unleash-snapshots';
import { UNLEASH_ROLLOUT_STRATEGY, exposureOf, parseRollout, pickRollout, servesEveryone } from './unleash-state';
import { checkForConcurrentEdits } from './unleash-write-check';
import { roundToStep, sameExposure } from '../../rollout/exposure-rules';

/**
 * The write primitives. Rollback policy lives in unleash-kill-switch.ts.
 *
 * Comments: Unleash OSS has no comment or reason field on these endpoints (its event log records who, when and
 * the before/after state), so the mandatory comment lives in Rampart's own audit log, written around this call.
 *
 * Concurrency (docs/integrations.md §1.8): the OSS admin API has no version check (no ETag/If-Match, and its JSON
 * Patch schema rejects the RFC 6902 `test` op with 400). So a ramp
 * 1. writes from the state the rollout service just read (`opts.live`, found in the snapshot cache by its version),
 *    without reading again: the window between that read and the write is as short as the caller makes it;
 * 2. writes one JSON Patch `replace /parameters/rollout`, so edits of other fields made meanwhile survive (mostly:
 *    Unleash applies the patch to a copy it read a moment before and writes the whole strategy back);
 * 3. then reads the flag's event log and reports every edit by someone else between the read and the write, or
 *    just after it, and whether one write replaced the other (unleash-write-check.ts).
 */

/** Unleash's rollout slider and its evaluation work in whole percent. */
const STEP = 1;

export interface UnleashWriteContext {
  api: UnleashApi;
  project: string;
  snapshots: SnapshotCache;
}

async function readEnvironment(api: UnleashApi, project: string, flagKey: string, env: string) {
  return api.get(featurePath(project, flagKey, env), UnleashFeatureEnvironment);
}

/** Failures after which a write may have reached Unleash (or its answer got lost): settle by re-reading. */
export function outcomeUnknown(e: unknown): boolean {
  if (!isRampartError(e)) return false;
  if (e.code === 'timeout' || e.code === 'unreachable') return true;
  const status = (e.details as { status?: number } | undefined)?.status;
  return e.code === 'vendor_error' && (status === 502 || status === 503 || status === 504);
}

/** The strategy id a `versionOf` string names ("<id>:<rollout>:<hash>"), or undefined. */
function chosenIdOf(version: EnvState['version']): string | undefined {
  if (typeof version !== 'string') return undefined;
  const id = version.split(':')[0];
  return id && id !== 'none' ? id : undefined;
}

/**
 * The state to write from: the snapshot behind `opts.live` when this adapter read it, else a fresh read (and then
 * `opts.live` must still name the same rollout strategy and rollout, or nothing is written).
 */
async function startingPoint(
  ctx: UnleashWriteContext,
  flagKey: string,
  env: string,
  opts: SetExposureOptions,
  where: string,
): Promise<EnvSnapshot> {
  const cached = ctx.snapshots.find(flagKey, env, opts.live);
  if (cached) return cached;
  const fresh = await readSnapshot(ctx.api, ctx.project, ctx.snapshots, flagKey, env);
  if (opts.live) {
    const strategies = fresh.env.strategies ?? [];
    const liveId = chosenIdOf(opts.live.version);
    const freshId = pickRollout(strategies)?.id;
    const exposure = exposureOf(strategies, where);
    if ((liveId !== undefined && liveId !== freshId) || !sameExposure(exposure, opts.live.exposure, STEP)) {
      throw new RampartError(
        'conflict',
        `Unleash: ${where} changed since it was read: the rollout is now ${formatPercent(exposure)}${liveId !== freshId ? ' on a different strategy' : ''}. Nothing was written; review the new state and try again.`,
        { live: { enabled: fresh.env.enabled, exposure }, expected: opts.live.exposure },
      );
    }
  }
  return fresh;
}

export async function setUnleashExposure(
  ctx: UnleashWriteContext,
  flagKey: string,
  env: string,
  percent: number,
  opts: SetExposureOptions,
): Promise<WriteReport> {
  // Range, rounding and the compare with what the user saw are the rollout service's (main/rollout/exposure-rules.ts);
  // the percent is put on Unleash's whole-percent grid with the same rounding rule.
  const { api, project } = ctx;
  const target = roundToStep(percent, STEP);
  const where = `'${flagKey}' in ${env}`;

  const snapshot = await startingPoint(ctx, flagKey, env, opts, where);
  const strategies = snapshot.env.strategies ?? [];
  const chosen = pickRollout(strategies);
  if (!chosen && servesEveryone(strategies)) {
    throw new RampartError(
      'bad_request',
      `Unleash: ${where} has an active "standard" strategy that serves everyone, so a rollout percentage cannot narrow it. Replace it with a gradual rollout in Unleash, or turn the environment off.`,
    );
  }
  if (chosen && parseRollout(chosen, where) === target) return {}; // already there: no write, no event

  const strategiesPath = `${featurePath(project, flagKey, env)}/strategies`;
  if (!chosen) {
    // Sent once: a repeated POST would add a second strategy.
    const writeSentAt = api.now();
    const created = await api.write('POST', strategiesPath, {
      name: UNLEASH_ROLLOUT_STRATEGY,
      parameters: { rollout: String(target), stickiness: 'default', groupId: flagKey },
      constraints: [],
      segments: [],
      variants: [],
      disabled: false,
    });
    const written = parseUnleash(UnleashStoredStrategy, created, `POST ${strategiesPath}`);
    return checkForConcurrentEdits(api, project, flagKey, {
      env,
      snapshot,
      written,
      kind: 'add',
      target,
      writeSentAt,
      wroteAt: api.now(),
    });
  }
  const writeSentAt = api.now();
  const written = await patchRollout(ctx, flagKey, env, chosen, target);
  return checkForConcurrentEdits(api, project, flagKey, {
    env,
    snapshot,
    written,
    kind: 'update',
    target,
    writeSentAt,
    wroteAt: api.now(),
  });
}

/**
 * JSON Patch, never PUT: a PUT without constraints and variants wipes them (feature-toggle-strategies-store
 * mapStrategyUpdate). Replacing one absolute value is idempotent, and Unleash stores no event when a patch changes
 * nothing, so ONE retry is safe — but only after a re-read shows the first attempt did not land and nobody else
 * moved the rollout meanwhile. Returns the strategy as Unleash stored it.
 */
export async function patchRollout(
  ctx: UnleashWriteContext,
  flagKey: string,
  env: string,
  chosen: UnleashStoredStrategy,
  target: number,
): Promise<UnleashStoredStrategy> {
  const { api, project } = ctx;
  const where = `'${flagKey}' in ${env}`;
  const strategyPath = `${featurePath(project, flagKey, env)}/strategies/${encodeURIComponent(chosen.id)}`;
  const patch = [{ op: 'replace', path: '/parameters/rollout', value: String(target) }];
  const confirm = (body: unknown): UnleashStoredStrategy => {
    const updated = parseUnleash(UnleashStoredStrategy, body, `PATCH ${strategyPath}`);
    if (parseRollout(updated, where) !== target) {
      throw new RampartError(
        'vendor_error',
        `Unleash: PATCH of ${where} answered rollout ${String(updated.parameters?.rollout)}, not ${target}`,
      );
    }
    return updated;
  };
  try {
    return confirm(await api.write('PATCH', strategyPath, patch));
  } catch (first) {
    if (!outcomeUnknown(first)) throw first;
    const again = (await readEnvironment(api, project, flagKey, env)).strategies?.find((s) => s.id === chosen.id);
    const now = again ? parseRollout(again, where) : undefined;
    if (again && now === target) return again;
    if (now !== parseRollout(chosen, where)) throw first; // someone else changed or removed it: report the original failure
    return confirm(await api.write('PATCH', strategyPath, patch));
  }
}

/**
 * `POST …/environments/:env/on|off` answers 200 with an empty body. Retried (3 attempts): the state it sets is
 * absolute, Unleash stores an event only when the state actually changes, and a rollback must land.
 */
export async function setUnleashEnabled(
  api: UnleashApi,
  project: string,
  flagKey: string,
  env: string,
  on: boolean,
): Promise<void> {
  await api.write('POST', `${featurePath(project, flagKey, env)}/${on ? 'on' : 'off'}`, undefined, 3);
}
