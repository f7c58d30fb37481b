import { FlagdCore } from '@openfeature/flagd-core';
import type { TreatmentReach } from '../../../shared/domain/flags';
import { interpretFlag } from './flagd-model';
import { describePaths, treatmentPaths } from './flagd-outputs';
import { sampleContexts } from './flagd-samples';
import { isRecord, nodeText } from './json-node';
import { setBounded } from '../../../shared/bounded-map';

/**
 * The read-back proof of a flagd rollback (docs/security.md: "confirmed by read-back means the read-back shows
 * 0 % treatment — for flagd, by evaluating the written file with @openfeature/flagd-core"). The caller reads the
 * file from disk each time; only a proof of a byte-identical definition is remembered (`evaluateReach`).
 *
 * - DISABLED → `none` when flagd-core, loading the flag, answers DISABLED (the code default) for 10,000 keys.
 * - Otherwise flagd-core (4.x, the evaluator of the in-process provider; docs/integrations.md §4.3) evaluates the
 *   flag for 10,000 targeting keys and for contexts built from the targeting's own literals (flagd-samples.ts).
 *   Any non-control variant served → `some` (share over the 10,000 keys; null when only a derived context got it).
 * - `none` only when no sampled evaluation served a non-control variant or failed AND the static analysis
 *   (flagd-outputs.ts) finds no path to one; anything else is `unknown`, never 0.
 */

const SILENT = { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined };

type ValueType = 'boolean' | 'string' | 'number' | 'object';
const DEFAULTS: Record<ValueType, unknown> = { boolean: false, string: '', number: 0, object: {} };

function valueType(def: Record<string, unknown>): ValueType {
  const first = isRecord(def.variants) ? Object.values(def.variants)[0] : undefined;
  if (typeof first === 'boolean') return 'boolean';
  if (typeof first === 'string') return 'string';
  return typeof first === 'number' ? 'number' : 'object';
}

interface Tally {
  evaluated: number;
  hits: number;
  errors: number;
  firstError: string | null;
  firstHit: { ctx: Record<string, unknown>; variant: string } | null;
}

function evaluateAll(
  core: FlagdCore,
  type: ValueType,
  flagKey: string,
  control: string | undefined,
  contexts: Array<Record<string, unknown>>,
): Tally {
  const t: Tally = { evaluated: 0, hits: 0, errors: 0, firstError: null, firstHit: null };
  for (const ctx of contexts) {
    t.evaluated++;
    let r: { variant?: string; reason?: string; errorMessage?: string };
    try {
      r = core.resolve(type, flagKey, DEFAULTS[type] as never, ctx as never, SILENT);
    } catch (e) {
      r = { reason: 'ERROR', errorMessage: e instanceof Error ? e.message : 'evaluation threw' };
    }
    if (r.reason === 'ERROR') {
      t.errors++;
      t.firstError ??= r.errorMessage ?? 'evaluation error';
    } else if (r.variant !== undefined && r.variant !== control) {
      t.hits++;
      t.firstHit ??= { ctx, variant: r.variant };
    }
  }
  return t;
}

function contextText(ctx: Record<string, unknown>): string {
  const { targetingKey, ...rest } = ctx;
  const attrs = Object.keys(rest).length > 0 ? nodeText(rest, 120) : 'no attributes';
  return targetingKey === undefined ? `${attrs}, no targetingKey` : attrs;
}

/** flagd-core holding only this flag (and the shared evaluators its $refs expand from); a string says why not. */
function loadFlag(
  file: string,
  doc: Record<string, unknown>,
  flagKey: string,
  def: Record<string, unknown>,
): FlagdCore | string {
  const core = new FlagdCore(undefined, SILENT);
  try {
    core.setConfigurations(
      JSON.stringify({
        ...(isRecord(doc.$evaluators) ? { $evaluators: doc.$evaluators } : {}),
        flags: Object.fromEntries([[flagKey, def]]),
      }),
    );
    return core;
  } catch (e) {
    return `flagd-core could not load flag "${flagKey}" from ${file} (${e instanceof Error ? e.message : 'load failed'})`;
  }
}

/**
 * A flag that is not ENABLED: flagd-core must load it and answer DISABLED — the code default, no variant — for
 * every sampled key. A definition flagd-core rejects (a state other than ENABLED/DISABLED, a default that is not a
 * variant) is `unknown`: flagd would refuse the file, not serve it off.
 */
function disabledReach(
  file: string,
  doc: Record<string, unknown>,
  flagKey: string,
  def: Record<string, unknown>,
  paths: ReturnType<typeof treatmentPaths>,
): TreatmentReach {
  const core = loadFlag(file, doc, flagKey, def);
  if (typeof core === 'string') return { state: 'unknown', detail: core };
  const type = valueType(def);
  let served = 0;
  for (const ctx of sampleContexts(null, {}).keyed) {
    let r: { reason?: string; variant?: string };
    try {
      r = core.resolve(type, flagKey, DEFAULTS[type] as never, ctx as never, SILENT);
    } catch {
      r = { reason: 'ERROR' };
    }
    if (r.reason !== 'DISABLED' || r.variant !== undefined) served++;
  }
  if (served > 0) {
    return {
      state: 'unknown',
      detail: `flag "${flagKey}" is not ENABLED in ${file}, but flagd-core did not answer "disabled" for ${served} sampled keys`,
    };
  }
  const later =
    paths.length > 0 ? `; turning it back on would serve other variants again (${describePaths(paths, 2)})` : '';
  return {
    state: 'none',
    detail: `flag "${flagKey}" is off (state DISABLED) in ${file}: flagd-core serves the application's code default to every unit${later}`,
  };
}

/**
 * Treatment reach of one flag of a parsed document (see the header). `file` names it in the details.
 *
 * The answer is a pure function of the flag's definition and the shared `$evaluators` (flagd-core evaluates nothing
 * else, and the sampled keys are fixed), so it is remembered by their exact JSON: a kill switch proves its rewritten
 * definition before writing it, and the read-back, which reads and parses the file from disk again, finds the same
 * definition there and so the same proof — 10,000 evaluations once, not twice. A definition that differs in any byte
 * of its JSON is evaluated afresh, and so is every one that reads `$flagd.timestamp`: its answer depends on the clock.
 */
export function evaluateReach(
  file: string,
  doc: Record<string, unknown>,
  flagKey: string,
  def: Record<string, unknown>,
): TreatmentReach {
  const key = JSON.stringify([file, flagKey, def, isRecord(doc.$evaluators) ? doc.$evaluators : null]);
  const known = proofs.get(key);
  if (known) return { ...known };
  const reach = evaluateReachUncached(file, doc, flagKey, def);
  if (key.includes('timestamp')) return reach;
  setBounded(proofs, key, { ...reach }, PROOFS_KEPT);
  return reach;
}
const proofs = new Map<string, TreatmentReach>();
const PROOFS_KEPT = 64;

function evaluateReachUncached(
  file: string,
  doc: Record<string, unknown>,
  flagKey: string,
  def: Record<string, unknown>,
): TreatmentReach {
  const evaluators = isRecord(doc.$evaluators) ? doc.$evaluators : {};
  const { control } = interpretFlag(flagKey, def, evaluators);
  const paths = treatmentPaths(def, evaluators, control);
  if (def.state !== 'ENABLED') return disabledReach(file, doc, flagKey, def, paths);
  const core = loadFlag(file, doc, flagKey, def);
  if (typeof core === 'string') return { state: 'unknown', detail: core };
  const type = valueType(def);
  const { keyed, derived } = sampleContexts(def.targeting, evaluators);
  const k = evaluateAll(core, type, flagKey, control, keyed);
  const d = evaluateAll(core, type, flagKey, control, derived);
  const sampled = `${k.evaluated} targeting keys and ${d.evaluated} contexts built from the targeting's own values`;
  if (k.hits > 0) {
    const share = Math.round((10_000 * k.hits) / k.evaluated) / 100;
    return {
      state: 'some',
      share,
      detail: `flagd-core served a non-control variant to ${share}% of ${k.evaluated} sampled targeting keys (e.g. "${k.firstHit!.variant}")`,
    };
  }
  if (d.hits > 0) {
    return {
      state: 'some',
      share: null,
      detail: `flagd-core served "${d.firstHit!.variant}" to a unit with ${contextText(d.firstHit!.ctx)}`,
    };
  }
  const errors = k.errors + d.errors;
  if (errors > 0) {
    return {
      state: 'unknown',
      detail: `flagd-core could not evaluate flag "${flagKey}" for ${errors} of ${k.evaluated + d.evaluated} sampled units (${k.firstError ?? d.firstError})`,
    };
  }
  if (paths.length > 0) {
    return {
      state: 'unknown',
      detail: `no sampled unit got another variant, but the targeting still has a way to one: ${describePaths(paths)}`,
    };
  }
  const served = control === undefined ? 'the code default' : `"${control}"`;
  return {
    state: 'none',
    detail: `flagd-core served ${served} (or the code default) to all ${sampled}, and no rule can serve another variant`,
  };
}
