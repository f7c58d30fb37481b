import { RampartError } from '../../../shared/errors';
import { findFlagDef } from './flagd-edit';
import { interpretFlag } from './flagd-model';
import { evaluateReach } from './flagd-reach';
import { describePaths, outputFractionals, treatmentPaths, type TreatmentPath } from './flagd-outputs';
import type { FlagEntry } from './flagd-schema';
import { isRecord, isScalar, type JsonPathPart } from './json-node';

/**
 * The flagd kill switch, as a pure edit of a parsed document (docs/security.md: "the kill switch is never wrong").
 *
 * Policy:
 * 1. Zero the treatment: every fractional rule whose result is the targeting's result (the root or an if-branch
 *    of the flag's OWN targeting) and whose buckets are all literal — `[variant, weight]` with a scalar variant
 *    and a number (or no) weight — gets weight 0 on every non-control bucket and 100 on the control (a control
 *    bucket is appended if the rule has none). Non-integer and zero-sum weights are literal, so they are fixed
 *    too; buckets, bucketing expression and everything else stay in place.
 * 2. Left alone, on purpose: a rule in a shared `$evaluators` entry (other flags use it), a rule inside a
 *    condition or an `or` (rewriting it could widen the exposure), and computed weights or variant names
 *    (someone's JsonLogic; replacing it would destroy it).
 * 3. Then prove it: if any path to a non-control variant remains (flagd-outputs.ts: variant literals in output
 *    positions, a defaultVariant that is not the control, shared evaluators, computed weights/variant names,
 *    bucketing expressions that may yield a list, no control variant at all), or flagd-core, evaluating the
 *    rewritten flag exactly as the read-back will (flagd-reach.ts), does not prove `none`, turn the flag off —
 *    `state: DISABLED` — and say plainly that flagd then serves the application's CODE DEFAULT to every unit.
 *    Turning a flag off is always possible for a file Rampart can parse, so this never refuses; a file it cannot
 *    parse is refused before this runs (nothing written).
 */

export interface RollbackPlan {
  /** Fractional rules rewritten to 0 % treatment. */
  zeroed: number;
  /** Whether this rollback set `state: DISABLED` (false when it was already off). */
  disabled: boolean;
  /** Paths that made the flag be turned off (empty when zeroing sufficed). */
  paths: TreatmentPath[];
  /** One sentence for the audit: what was done and what flagd now serves. */
  note: string;
}

function getAt(root: unknown, path: JsonPathPart[]): unknown {
  let node = root;
  for (const part of path)
    node = isRecord(node) || Array.isArray(node) ? (node as Record<string | number, unknown>)[part] : undefined;
  return node;
}

/** The bucket entries of a fractional argument list, when every one is a literal `[variant, weight?]`. */
function literalEntries(args: unknown[]): { head: unknown[]; entries: unknown[][] } | null {
  const head = args.length > 0 && !Array.isArray(args[0]) ? [args[0]] : [];
  const entries = args.slice(head.length);
  const literal = entries.every(
    (e) =>
      Array.isArray(e) &&
      e.length >= 1 &&
      e.length <= 2 &&
      (isScalar(e[0]) || e[0] === null) &&
      (e.length === 1 || typeof e[1] === 'number'),
  );
  return literal ? { head, entries: entries as unknown[][] } : null;
}

/** Rewrite one rule's buckets to serve only `control`. Returns false when the rule is not all literal. */
function zeroRule(node: Record<string, unknown>, control: string): boolean {
  if (!Array.isArray(node.fractional)) return false;
  const parsed = literalEntries(node.fractional);
  if (!parsed) return false;
  let controlSeen = false;
  const entries = parsed.entries.map((e) => {
    const isControl = e[0] !== null && String(e[0]) === control;
    const weight = isControl && !controlSeen ? 100 : 0;
    if (isControl) controlSeen = true;
    return [e[0], weight];
  });
  if (!controlSeen) entries.push([control, 100]);
  node.fractional = [...parsed.head, ...entries];
  return true;
}

function noteFor(
  flagKey: string,
  control: string | undefined,
  plan: Omit<RollbackPlan, 'note'>,
  wasEnabled: boolean,
): string {
  const zeroed =
    plan.zeroed > 0
      ? `set the treatment weight to 0 in ${plan.zeroed} fractional rule${plan.zeroed === 1 ? '' : 's'}`
      : '';
  if (plan.paths.length === 0) {
    const state = wasEnabled
      ? `flagd serves "${control}" to every unit`
      : 'the flag stays off (flagd serves the code default)';
    return `flag "${flagKey}": ${zeroed || 'no treatment weight left to zero'}; ${state}.`;
  }
  const off = plan.disabled ? 'turned the flag OFF (state DISABLED)' : 'the flag was already OFF (state DISABLED)';
  return (
    `flag "${flagKey}": ${zeroed ? `${zeroed} and ` : ''}${off}: flagd now serves the application's CODE DEFAULT to every unit, ` +
    `not a variant from the file — make sure the code default is the control. Why off: ${describePaths(plan.paths)}.`
  );
}

/** Apply the kill switch to `flagKey` in `doc` (mutated). Throws `not_found` for an unknown flag. */
export function applyRollback(doc: Record<string, unknown>, flagKey: string, file: string): RollbackPlan {
  const def = findFlagDef(doc, flagKey, file);
  const evaluators = isRecord(doc.$evaluators) ? doc.$evaluators : {};
  const { control } = interpretFlag(flagKey, def, evaluators);
  const wasEnabled = def.state === 'ENABLED';
  let zeroed = 0;
  if (control !== undefined) {
    for (const rule of outputFractionals(def.targeting, evaluators)) {
      if (rule.viaEvaluator !== null) continue; // never edit a shared $evaluators entry
      const node = getAt(def.targeting, rule.path);
      if (isRecord(node) && zeroRule(node, control)) zeroed++;
    }
  }
  const paths = treatmentPaths(def, evaluators, control);
  if (paths.length === 0 && wasEnabled) {
    // The same proof the read-back will run: flagd-core itself must serve only the control (it also catches a
    // rule flagd-core cannot evaluate, which serves the code default with an error).
    const proof = evaluateReach(file, doc, flagKey, def);
    if (proof.state !== 'none') paths.push({ at: 'flagd-core', what: proof.detail });
  }
  const disabled = paths.length > 0 && wasEnabled;
  if (disabled) def.state = 'DISABLED';
  const plan = { zeroed, disabled, paths };
  return { ...plan, note: noteFor(flagKey, control, plan, wasEnabled) };
}

/**
 * The kill switch for a flag outside the strict shape (flagd-schema.ts: `targeting: "on"`, nested metadata, mixed
 * variant types …): Rampart does not interpret its rules, so it does not edit them — `state: DISABLED` alone, which
 * flagd-core serves as the code default to every unit whatever the rest of the definition says.
 */
export function applyOddRollback(doc: Record<string, unknown>, entry: FlagEntry, file: string): RollbackPlan {
  if (entry.notAnObject) {
    throw new RampartError(
      'bad_request',
      `flagd file ${file}: flag "${entry.key}" is not an object (${entry.problem}), so it has no state to turn off; flagd-core rejects such a file — fix it by hand`,
      { file, flagKey: entry.key },
    );
  }
  const def = findFlagDef(doc, entry.key, file);
  const wasOff = def.state === 'DISABLED';
  def.state = 'DISABLED';
  const plan = { zeroed: 0, disabled: !wasOff, paths: [{ at: 'definition', what: entry.problem ?? 'odd shape' }] };
  const off = wasOff ? 'the flag was already OFF (state DISABLED)' : 'turned the flag OFF (state DISABLED)';
  return {
    ...plan,
    note:
      `flag "${entry.key}": ${off}: flagd now serves the application's CODE DEFAULT to every unit, not a variant from ` +
      `the file — make sure the code default is the control. Why off: Rampart does not edit this flag's rules (${entry.problem}).`,
  };
}
