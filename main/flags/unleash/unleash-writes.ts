import { formatPercent } from '../../../shared/domain/flags';
import { RampartError, isRampartError } from '../../../shared/errors';
import type { SetExposureOptions } from '../flag-store';
import { featurePath, type UnleashApi } from './unleash-api';
import { UnleashFeatureEnvironment, UnleashStoredStrategy, parseUnleash } from './unleash-schemas';
import { UNLEASH_ROLLOUT_STRATEGY, exposureOf, parseRollout, pickRollout, servesEveryone } from './unleash-state';

/**
 * The two write primitives. Rollback policy (turn off vs rollout 0) lives in the rollout service.
 *
 * Comments: Unleash OSS has no comment or reason field on these endpoints (its event log records who, when and
 * the before/after state), so the mandatory comment lives in Rampart's own audit log, written around this call.
 *
 * Concurrency: the OSS admin API has no version check (no ETag/If-Match, and its JSON Patch schema rejects the
 * RFC 6902 `test` op with 400), so a ramp reads the environment immediately before writing and refuses when the
 * exposure differs from what the user saw. The remaining window is the few milliseconds between our read and
 * Unleash's own read inside the PATCH handler.
 */

/** Exposure comparisons at half of Unleash's 1% step (the rollout service uses the same tolerance; null ≙ 0). */
function sameExposure(a: number | null, b: number | null): boolean {
  return Math.abs((a ?? 0) - (b ?? 0)) < 0.5;
}

async function readEnvironment(api: UnleashApi, project: string, flagKey: string, env: string) {
  return api.get(featurePath(project, flagKey, env), UnleashFeatureEnvironment);
}

/** Failures after which a PATCH may not have reached Unleash (or its answer got lost): settle by re-reading. */
function outcomeUnknown(e: unknown): boolean {
  if (!isRampartError(e)) return false;
  if (e.code === 'timeout' || e.code === 'unreachable') return true;
  const status = (e.details as { status?: number } | undefined)?.status;
  return e.code === 'vendor_error' && (status === 502 || status === 503 || status === 504);
}

export async function setUnleashExposure(
  api: UnleashApi,
  project: string,
  flagKey: string,
  env: string,
  percent: number,
  opts: SetExposureOptions,
): Promise<void> {
  if (typeof percent !== 'number' || !Number.isFinite(percent) || percent < 0 || percent > 100) {
    throw new RampartError('bad_request', `Unleash: exposure must be a number from 0 to 100 (got ${String(percent)})`);
  }
  // Unleash's rollout slider and its evaluation work in whole percent.
  const target = Math.round(percent);
  const where = `'${flagKey}' in ${env}`;

  const live = await readEnvironment(api, project, flagKey, env);
  const strategies = live.strategies ?? [];
  const liveExposure = exposureOf(strategies, where);
  if (!sameExposure(liveExposure, opts.expected)) {
    throw new RampartError(
      'conflict',
      `Unleash: ${where} changed since you looked: the rollout is now ${formatPercent(liveExposure)}, not ${formatPercent(opts.expected)}. Nothing was written; review the new state and try again.`,
      { live: { enabled: live.enabled, exposure: liveExposure }, expected: opts.expected },
    );
  }
  const chosen = pickRollout(strategies);
  if (!chosen && servesEveryone(strategies)) {
    throw new RampartError(
      'bad_request',
      `Unleash: ${where} has an active "standard" strategy that serves everyone, so a rollout percentage cannot narrow it. Replace it with a gradual rollout in Unleash, or turn the environment off.`,
    );
  }
  if (chosen && parseRollout(chosen, where) === target) return; // already there: no write, no event

  const strategiesPath = `${featurePath(project, flagKey, env)}/strategies`;
  if (!chosen) {
    // Sent once: a repeated POST would add a second strategy.
    const created = await api.write('POST', strategiesPath, {
      name: UNLEASH_ROLLOUT_STRATEGY,
      parameters: { rollout: String(target), stickiness: 'default', groupId: flagKey },
      constraints: [],
      segments: [],
      variants: [],
      disabled: false,
    });
    parseUnleash(UnleashStoredStrategy, created, `POST ${strategiesPath}`);
    return;
  }

  // JSON Patch, never PUT: a PUT without constraints and variants wipes them (feature-toggle-strategies-store
  // mapStrategyUpdate). Replacing one absolute value is idempotent, and Unleash stores no event when a patch
  // changes nothing, so ONE retry is safe — but only after a re-read shows the first attempt did not land and
  // nobody else moved the rollout meanwhile.
  const strategyPath = `${strategiesPath}/${encodeURIComponent(chosen.id)}`;
  const patch = [{ op: 'replace', path: '/parameters/rollout', value: String(target) }];
  const confirm = (body: unknown): void => {
    const updated = parseUnleash(UnleashStoredStrategy, body, `PATCH ${strategyPath}`);
    if (parseRollout(updated, where) !== target) {
      throw new RampartError('vendor_error', `Unleash: PATCH of ${where} answered rollout ${String(updated.parameters?.rollout)}, not ${target}`);
    }
  };
  try {
    confirm(await api.write('PATCH', strategyPath, patch));
  } catch (first) {
    if (!outcomeUnknown(first)) throw first;
    const again = pickRollout((await readEnvironment(api, project, flagKey, env)).strategies ?? []);
    const now = again && again.id === chosen.id ? parseRollout(again, where) : undefined;
    if (now === target) return;
    if (now !== parseRollout(chosen, where)) throw first; // someone else changed it: report the original failure
    confirm(await api.write('PATCH', strategyPath, patch));
  }
}

/**
 * `POST …/environments/:env/on|off` answers 200 with an empty body. Retried (3 attempts): the state it sets is
 * absolute, Unleash stores an event only when the state actually changes, and a rollback must land.
 */
export async function setUnleashEnabled(api: UnleashApi, project: string, flagKey: string, env: string, on: boolean): Promise<void> {
  await api.write('POST', `${featurePath(project, flagKey, env)}/${on ? 'on' : 'off'}`, undefined, 3);
}
