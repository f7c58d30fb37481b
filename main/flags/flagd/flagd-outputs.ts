import { isRecord, isScalar, nodeText, pathText, type JsonPathPart } from './json-node';

/**
 * What a flag's targeting can serve, found statically — the half of the kill-switch proof that sampling cannot
 * give (a rule for one email domain is never hit by random keys). Sound, not precise: anything it cannot follow
 * counts as "computed", which the rollback treats as a live path (and turns the flag off) and the read-back treats
 * as "unknown", never as 0.
 *
 * flagd-core semantics followed (docs/integrations.md §4.2–4.3; flagd-core 4.x `FeatureFlag.evaluate`): targeting
 * returning null/undefined serves `defaultVariant` (or the code default when there is none); any other result is
 * served as the variant named `String(result)`; a name that is not a variant is an evaluation error. `$ref`s are
 * expanded from `$evaluators`. Output positions are the branches of `if`/`?:` and every argument of `or`, `and`,
 * `??`, `try` (each can be returned as is); conditions are not outputs. `fractional` serves one of its bucket
 * variants with a positive (or computed) weight, or null when bucketing fails (no targetingKey, bad entries).
 * Its first argument, when not a bucket, is the bucketing expression — unless it evaluates to a list, which
 * flagd-core then reads as a bucket: only strings (`cat`, `substr`, a literal) are safe there.
 */

export type Output =
  | { kind: 'variant'; name: string; at: string }
  /** The targeting can return null here: flagd serves `defaultVariant` (or the code default). */
  | { kind: 'default'; at: string }
  | { kind: 'computed'; at: string; why: string };

const BOOLEAN_OPS = new Set([
  '!',
  '!!',
  'not',
  '==',
  '===',
  '!=',
  '!==',
  '<',
  '<=',
  '>',
  '>=',
  'in',
  'some',
  'all',
  'none',
  'every',
  'exists',
  'starts_with',
  'ends_with',
  'sem_ver',
]);
const PASSTHROUGH_OPS = new Set(['or', 'and', '??', 'try']);
const STRING_OPS = new Set(['cat', 'substr']);
/** Evaluator chains deeper than this are not followed (and count as computed). */
const MAX_REF_CHAIN = 16;

interface Walk {
  evaluators: Record<string, unknown>;
  out: Output[];
}

function argsOf(node: Record<string, unknown>, op: string): unknown[] {
  const a = node[op];
  return Array.isArray(a) ? a : [a];
}

/** A bucketing expression can only be trusted when it always yields a string. */
function yieldsString(node: Record<string, unknown>): boolean {
  const keys = Object.keys(node);
  return keys.length === 1 && STRING_OPS.has(keys[0]);
}

function fractionalOutputs(w: Walk, node: Record<string, unknown>, root: string, path: JsonPathPart[]): void {
  const at = pathText(root, path);
  const args = node.fractional;
  if (!Array.isArray(args)) {
    if (isRecord(args))
      w.out.push({ kind: 'computed', at, why: 'its bucket list is computed from the evaluation context' });
    else w.out.push({ kind: 'default', at });
    return;
  }
  w.out.push({ kind: 'default', at }); // bucketing fails without a targetingKey (or with bad entries): null
  args.forEach((entry, i) => {
    const here = pathText(root, [...path, 'fractional', i]);
    if (i === 0 && !Array.isArray(entry)) {
      // A scalar here is either the bucketing key (a string) or makes the rule fail (null): both counted.
      if (isRecord(entry) && !yieldsString(entry))
        w.out.push({
          kind: 'computed',
          at: here,
          why: 'its bucketing expression may evaluate to a list, which flagd-core reads as a bucket',
        });
      return;
    }
    if (!Array.isArray(entry)) {
      if (isRecord(entry)) w.out.push({ kind: 'computed', at: here, why: 'a bucket is computed' });
      return; // a scalar entry makes the whole rule fail: null, already counted
    }
    const weight = entry.length >= 2 ? entry[1] : 1;
    if (typeof weight === 'number' && weight <= 0) return; // a zero (or clamped negative) weight is never chosen
    const variant = entry[0];
    if (isScalar(variant)) w.out.push({ kind: 'variant', name: String(variant), at: here });
    else if (variant === null || variant === undefined) w.out.push({ kind: 'default', at: here });
    else w.out.push({ kind: 'computed', at: here, why: 'a bucket variant is computed' });
  });
}

function walk(w: Walk, node: unknown, root: string, path: JsonPathPart[], refs: string[]): void {
  const at = pathText(root, path);
  if (node === null || node === undefined) return void w.out.push({ kind: 'default', at });
  if (isScalar(node)) return void w.out.push({ kind: 'variant', name: String(node), at });
  if (Array.isArray(node)) return void w.out.push({ kind: 'computed', at, why: 'a list is served as its text form' });
  if (!isRecord(node)) return void w.out.push({ kind: 'computed', at, why: 'an unexpected value' });
  const keys = Object.keys(node);
  if (keys.length !== 1)
    return void w.out.push({
      kind: 'computed',
      at,
      why: keys.length === 0 ? 'an empty object' : 'an object with several keys',
    });
  const op = keys[0];
  if ((op === 'if' || op === '?:' || PASSTHROUGH_OPS.has(op)) && !Array.isArray(node[op])) {
    return void w.out.push({ kind: 'computed', at, why: `"${op}" without an argument list (flagd-core rejects it)` });
  }
  const args = argsOf(node, op);
  if (op === 'if' || op === '?:') {
    if (args.length === 0) return void w.out.push({ kind: 'default', at });
    for (let i = 1; i < args.length; i += 2) walk(w, args[i], root, [...path, op, i], refs);
    if (args.length % 2 === 1) walk(w, args[args.length - 1], root, [...path, op, args.length - 1], refs);
    else w.out.push({ kind: 'default', at }); // no branch taken: null
    return;
  }
  if (PASSTHROUGH_OPS.has(op)) {
    if (args.length === 0) return void w.out.push({ kind: 'default', at });
    args.forEach((a, i) => walk(w, a, root, [...path, op, i], refs));
    return;
  }
  if (op === 'preserve') {
    const v = node.preserve;
    if (isScalar(v)) return void w.out.push({ kind: 'variant', name: String(v), at });
    if (v === null) return void w.out.push({ kind: 'default', at });
    return void w.out.push({ kind: 'computed', at, why: '"preserve" of a structure' });
  }
  if (op === '$ref') {
    const name = node.$ref;
    if (typeof name !== 'string' || !Object.hasOwn(w.evaluators, name))
      return void w.out.push({ kind: 'computed', at, why: `a $ref to an unknown evaluator ${nodeText(name)}` });
    if (refs.includes(name) || refs.length >= MAX_REF_CHAIN)
      return void w.out.push({ kind: 'computed', at, why: `the $ref chain through "${name}" loops or is too long` });
    return walk(w, w.evaluators[name], pathText('$evaluators', [name]), [], [...refs, name]);
  }
  if (op === 'fractional') return fractionalOutputs(w, node, root, path);
  if (BOOLEAN_OPS.has(op)) {
    w.out.push({ kind: 'variant', name: 'true', at }, { kind: 'variant', name: 'false', at }, { kind: 'default', at });
    return;
  }
  w.out.push({ kind: 'computed', at, why: `"${op}" computes the variant name` });
}

/**
 * flagd-core's own test for "no targeting" (FeatureFlag: `flag.targeting && Object.keys(flag.targeting).length > 0`):
 * a missing, null, empty-object, empty-list, number or boolean targeting serves `defaultVariant` statically.
 */
export function isEmptyTargeting(t: unknown): boolean {
  return !t || Object.keys(t).length === 0;
}

/** Every way `targeting` can end, with where. An empty or missing targeting ends in the default. */
export function targetingOutputs(targeting: unknown, evaluators: Record<string, unknown>): Output[] {
  const w: Walk = { evaluators, out: [] };
  if (isEmptyTargeting(targeting)) return [{ kind: 'default', at: 'defaultVariant' }];
  walk(w, targeting, 'targeting', [], []);
  return w.out;
}

/** A way to a variant other than the control, in words, for the rollback's note and the read-back's detail. */
export interface TreatmentPath {
  at: string;
  what: string;
}

/**
 * The paths by which `def` can serve something other than `control` while ENABLED. Empty = every unit gets the
 * control (or, where there is no `defaultVariant`, the code default when no rule decides).
 */
export function treatmentPaths(
  def: Record<string, unknown>,
  evaluators: Record<string, unknown>,
  control: string | undefined,
): TreatmentPath[] {
  const variants = isRecord(def.variants) ? def.variants : {};
  if (control === undefined)
    return [{ at: 'variants', what: 'the flag has no control variant (for a boolean flag: no false variant)' }];
  const fallback = typeof def.defaultVariant === 'string' ? def.defaultVariant : null;
  const paths: TreatmentPath[] = [];
  const seen = new Set<string>();
  const add = (p: TreatmentPath) => {
    const key = `${p.at}\u0000${p.what}`;
    if (!seen.has(key)) (paths.push(p), seen.add(key));
  };
  for (const o of targetingOutputs(def.targeting, evaluators)) {
    if (o.kind === 'computed') add({ at: o.at, what: o.why });
    else if (o.kind === 'default') {
      if (fallback !== null && fallback !== control)
        add({ at: o.at, what: `falls back to defaultVariant "${fallback}" (e.g. for a unit without a targetingKey)` });
    } else if (o.name !== control) {
      add({
        at: o.at,
        what: Object.hasOwn(variants, o.name)
          ? `serves "${o.name}"`
          : `returns "${o.name}", which is not a variant (flagd answers with an error and the code default)`,
      });
    }
  }
  return paths;
}

export function describePaths(paths: TreatmentPath[], max = 3): string {
  const shown = paths.slice(0, max).map((p) => `${p.at} ${p.what}`);
  return paths.length > max ? `${shown.join('; ')}; and ${paths.length - max} more` : shown.join('; ');
}

/**
 * The fractional rules whose result IS the targeting's result: reached from the root through `if`/`?:` branches
 * (and `$ref`s, marked `viaEvaluator`). Only these can be ramped or zeroed by rewriting weights; a fractional
 * inside a condition or an `or` decides something else, and rewriting it could widen the exposure.
 */
export function outputFractionals(
  targeting: unknown,
  evaluators: Record<string, unknown>,
): Array<{ path: JsonPathPart[]; viaEvaluator: string | null }> {
  const found: Array<{ path: JsonPathPart[]; viaEvaluator: string | null }> = [];
  const visit = (node: unknown, path: JsonPathPart[], via: string | null, refs: string[]): void => {
    if (!isRecord(node)) return;
    const keys = Object.keys(node);
    if (keys.length !== 1) return;
    const op = keys[0];
    if (op === 'fractional') found.push({ path, viaEvaluator: via });
    else if (op === 'if' || op === '?:') {
      const args = argsOf(node, op);
      for (let i = 1; i < args.length; i += 2) visit(args[i], [...path, op, i], via, refs);
      if (args.length % 2 === 1) visit(args[args.length - 1], [...path, op, args.length - 1], via, refs);
    } else if (op === '$ref') {
      const name = node.$ref;
      if (
        typeof name === 'string' &&
        Object.hasOwn(evaluators, name) &&
        !refs.includes(name) &&
        refs.length < MAX_REF_CHAIN
      ) {
        visit(evaluators[name], [], via ?? name, [...refs, name]);
      }
    }
  };
  visit(targeting, [], null, []);
  return found;
}
