import type { TreatmentReach } from '../../../shared/domain/flags';
import { isRampartError } from '../../../shared/errors';
import type { RollbackOptions, WriteReport } from '../flag-store';
import { readSnapshot, type EnvSnapshot } from './unleash-snapshots';
import type { UnleashFeatureEnvironment, UnleashStoredStrategy, UnleashStrategy } from './unleash-schemas';
import { UNLEASH_ROLLOUT_STRATEGY, parseRollout, targetingSummary } from './unleash-state';
import { patchRollout, setUnleashEnabled, type UnleashWriteContext } from './unleash-writes';

/**
 * The Unleash kill switch and its read-back proof, by Unleash's own evaluation (unleash-client 6
 * `isFeatureEnabled`; docs/integrations.md §1.5): an environment that is off serves nobody; one that is on serves a
 * unit when ANY active strategy does, and everyone when it has no active strategy (the client API drops disabled
 * strategies, and an empty list means "on for all"); a flexibleRollout serves nobody at rollout 0
 * (`percentage > 0 && …`); every other strategy — `default`, userWithId, remoteAddress, custom ones — may serve
 * someone whatever its constraints say.
 */

/** The rollback pre-read sits on the kill switch's latency budget: one short attempt, then turn off without it. */
const ROLLBACK_READ = { timeoutMs: 2_000, attempts: 1 };
/** Strategies Rampart knows the semantics of; any other name is a custom strategy it cannot evaluate. */
const BUILT_IN = new Set(['default', UNLEASH_ROLLOUT_STRATEGY, 'userWithId', 'remoteAddress', 'applicationHostname']);

function isActive(s: UnleashStrategy): boolean {
  return s.disabled !== true;
}

function isUnconstrained(s: UnleashStrategy): boolean {
  return (s.constraints?.length ?? 0) === 0 && (s.segments?.length ?? 0) === 0;
}

/** A gradual rollout's percentage, or undefined when it is malformed (and so may serve anyone). */
function rolloutOf(s: UnleashStrategy): number | undefined {
  try {
    return parseRollout(s, 'the read-back');
  } catch {
    return undefined;
  }
}

function atZero(s: UnleashStrategy): boolean {
  return s.name === UNLEASH_ROLLOUT_STRATEGY && rolloutOf(s) === 0;
}

export function reachOf(env: UnleashFeatureEnvironment | undefined): TreatmentReach {
  if (!env) return { state: 'unknown', detail: 'the environment is missing from the read-back' };
  if (!env.enabled) return { state: 'none', detail: 'the environment is off' };
  const active = (env.strategies ?? []).filter(isActive);
  if (active.length === 0)
    return {
      state: 'some',
      share: 100,
      detail: 'the environment is on with no active strategy, so Unleash serves everyone',
    };
  const serving = active.filter((s) => !atZero(s));
  if (serving.length === 0)
    return { state: 'none', detail: `every active strategy is a gradual rollout at 0% (${active.length})` };
  const custom = serving.find((s) => !BUILT_IN.has(s.name));
  if (custom)
    return {
      state: 'unknown',
      detail: `the custom strategy "${custom.name}" is active and Rampart cannot evaluate it`,
    };
  const detail = `active: ${targetingSummary(serving)}`;
  const [only] = serving;
  if (serving.length === 1 && isUnconstrained(only) && only.name === 'default')
    return { state: 'some', share: 100, detail };
  if (serving.length === 1 && isUnconstrained(only) && only.name === UNLEASH_ROLLOUT_STRATEGY) {
    const share = rolloutOf(only);
    return share === undefined
      ? { state: 'unknown', detail: `unreadable rollout ${JSON.stringify(only.parameters?.rollout ?? null)}` }
      : { state: 'some', share, detail };
  }
  return { state: 'some', share: null, detail };
}

function describeStrategy(s: UnleashStrategy): string {
  const constrained = isUnconstrained(s) ? '' : ' with constraints';
  if (s.name === UNLEASH_ROLLOUT_STRATEGY) return `a gradual rollout${constrained}`;
  return `the ${s.name === 'default' ? 'standard ("default")' : s.name} strategy${constrained}`;
}

/** Why rollout 0 on every gradual rollout cannot stop the environment serving the flag, or undefined when it can. */
function whyZeroIsNotEnough(env: UnleashFeatureEnvironment): string | undefined {
  const active = (env.strategies ?? []).filter(isActive);
  if (env.enabled && active.length === 0) return 'it is on with no active strategy, which Unleash serves to everyone';
  const other = active.find((s) => s.name !== UNLEASH_ROLLOUT_STRATEGY);
  if (other && env.enabled) return `${describeStrategy(other)} is active and rollout 0 cannot narrow it`;
  return undefined;
}

async function turnOff(ctx: UnleashWriteContext, flagKey: string, env: string, because: string): Promise<WriteReport> {
  await setUnleashEnabled(ctx.api, ctx.project, flagKey, env, false);
  return { note: `Rampart turned ${env} off instead of setting rollout 0%: ${because}.` };
}

function reason(e: unknown): string {
  return isRampartError(e) ? e.message : String(e);
}

/** Rollout 0 on every active gradual rollout, all at once; the first failure makes the caller turn off. */
async function zeroEveryRollout(
  ctx: UnleashWriteContext,
  flagKey: string,
  env: string,
  strategies: readonly UnleashStoredStrategy[],
): Promise<number> {
  const toZero = strategies.filter((s) => isActive(s) && s.name === UNLEASH_ROLLOUT_STRATEGY && !atZero(s));
  await Promise.all(toZero.map((s) => patchRollout(ctx, flagKey, env, s, 0)));
  return toZero.length;
}

/**
 * rollbackMode 'off': the environment off (needs no read). 'zero': rollout 0 on EVERY active flexibleRollout, then
 * a read-back; the environment is turned off instead whenever that cannot make reach `none` — another strategy is
 * active, the pre-read failed, a PATCH failed, or the read-back still shows a way to the treatment.
 */
export async function rollbackUnleash(
  ctx: UnleashWriteContext,
  mode: 'off' | 'zero',
  flagKey: string,
  env: string,
  opts: RollbackOptions,
): Promise<WriteReport> {
  if (mode === 'off') {
    await setUnleashEnabled(ctx.api, ctx.project, flagKey, env, false);
    return {};
  }
  if (opts.live === null)
    return turnOff(
      ctx,
      flagKey,
      env,
      'the flag could not be read before the rollback, and rollout 0 needs its strategies',
    );
  let snapshot: EnvSnapshot;
  try {
    snapshot =
      ctx.snapshots.find(flagKey, env, opts.live) ??
      (await readSnapshot(ctx.api, ctx.project, ctx.snapshots, flagKey, env, ROLLBACK_READ));
  } catch (e) {
    if (isRampartError(e) && e.code === 'not_found') throw e;
    return turnOff(ctx, flagKey, env, `its strategies could not be read (${reason(e)})`);
  }
  const notEnough = whyZeroIsNotEnough(snapshot.env);
  if (notEnough) return turnOff(ctx, flagKey, env, notEnough);
  let zeroed: number;
  try {
    zeroed = await zeroEveryRollout(ctx, flagKey, env, snapshot.env.strategies ?? []);
  } catch (e) {
    return turnOff(ctx, flagKey, env, `setting a rollout to 0% failed (${reason(e)})`);
  }
  let after: EnvSnapshot;
  try {
    after = await readSnapshot(ctx.api, ctx.project, ctx.snapshots, flagKey, env, ROLLBACK_READ);
  } catch (e) {
    return turnOff(ctx, flagKey, env, `the rollouts were set to 0% but the read-back failed (${reason(e)})`);
  }
  const reach = reachOf(after.env);
  if (reach.state !== 'none') {
    const report = await turnOff(
      ctx,
      flagKey,
      env,
      `after rollout 0% the read-back still shows a way to the treatment (${reach.detail}): someone changed the strategies meanwhile`,
    );
    return {
      ...report,
      concurrentEdit: {
        at: ctx.api.now(),
        summary: `Concurrent edit in Unleash: the strategies of ${env} changed while Rampart rolled back (${reach.detail}); Rampart turned ${env} off.`,
      },
    };
  }
  const plural = zeroed === 1 ? 'strategy' : 'strategies';
  if (!snapshot.env.enabled)
    return {
      note: `${env} was already off${zeroed ? `; Rampart also set rollout 0% on ${zeroed} gradual rollout ${plural}` : ''}.`,
    };
  return zeroed > 1 ? { note: `Rampart set rollout 0% on ${zeroed} gradual rollout ${plural}.` } : {};
}
