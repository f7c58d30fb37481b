import type { EnvState } from '../../../shared/domain/flags';
import { isEmptyTargeting, outputFractionals, targetingOutputs } from './flagd-outputs';
import { isRecord, isScalar, nodeText, type JsonPathPart } from './json-node';
import { summarizeTargeting } from './targeting-summary';

/**
 * How Rampart reads a flagd flag as a ramp (documented rule, used for both reading and writing):
 *
 * - control   = for boolean variants the `false` one; otherwise `defaultVariant` (with no default, the last variant
 *               listed in the fractional rule, else the last variant of the flag).
 * - treatment = for boolean variants the `true` one; otherwise the first non-control variant (fractional order first).
 * - exposure  = with a `fractional` rule: the weight NOT on the control variant, as a percentage of the total weight
 *               (for two variants that is exactly the treatment's weight; for more it is "the share not on the
 *               default"). It describes the users that reach the fractional rule — rules before it (e.g. "employees
 *               always on") are shown in the targeting summary, not folded into the number.
 *               Without a fractional rule: 100 if the variant served to everyone else is the treatment, else 0.
 *               null — "unknown", never 0 — when Rampart cannot read it as one number: several fractional rules, a
 *               rule inside a condition, computed or non-integer weights, computed variant names, a zero total,
 *               or (without a rule) a variant computed from the context (see flagd-outputs.ts).
 *               A rollback does not rely on this number: flagd-rollback.ts and flagd-reach.ts prove 0 % directly.
 * - enabled   = `state` is ENABLED.
 */

export interface FractionalBucket {
  /** The variant name; for a computed name (a JsonLogic expression), its JSON text with `variantComputed`. */
  variant: string;
  /** Relative weight; a missing weight is 1 (flagd's rule); null when it is an expression or not an integer. */
  weight: number | null;
  variantComputed?: true;
  /** Why `weight` is null. flagd-core rejects a non-integer weight: the whole rule then returns null. */
  weightProblem?: 'computed' | 'non-integer';
}

export interface FractionalRule {
  /** Where the `{"fractional": […]}` node sits inside the flag's `targeting` (or its `$evaluators` entry). */
  path: JsonPathPart[];
  /** The optional bucketing expression (first argument), kept verbatim on rewrite. */
  hasBucketBy: boolean;
  buckets: FractionalBucket[];
  /** True when the rule sits inside a shared `$evaluators` entry (read-only for Rampart). */
  viaEvaluator: string | null;
  /** Whether the rule's result is the targeting's result (root or an if-branch); false inside a condition. */
  inOutputPosition: boolean;
}

export interface FlagView {
  key: string;
  variants: string[];
  variantIsBoolean: boolean;
  treatment: string | undefined;
  control: string | undefined;
  enabled: boolean;
  exposure: number | null;
  /** The single fractional rule Rampart can read/write; null if none (or several: see `fractionalCount`). */
  fractional: FractionalRule | null;
  fractionalCount: number;
  targeting: string;
}

/** Every `{"fractional": […]}` node under `node`, with its path. (Depth is bounded by the parser's nesting limit.) */
export function findFractionalNodes(
  node: unknown,
  path: JsonPathPart[] = [],
): Array<{ path: JsonPathPart[]; args: unknown[] }> {
  const found: Array<{ path: JsonPathPart[]; args: unknown[] }> = [];
  if (Array.isArray(node)) {
    node.forEach((child, i) => found.push(...findFractionalNodes(child, [...path, i])));
  } else if (isRecord(node)) {
    const keys = Object.keys(node);
    if (keys.length === 1 && keys[0] === 'fractional' && Array.isArray(node.fractional)) {
      found.push({ path, args: node.fractional });
    } else {
      for (const k of keys) found.push(...findFractionalNodes(node[k], [...path, k]));
    }
  }
  return found;
}

/** Names referenced as `{"$ref": "name"}` under `node`. */
function findRefs(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((c) => findRefs(c, out));
  else if (isRecord(node)) {
    if (typeof node.$ref === 'string') out.push(node.$ref);
    for (const v of Object.values(node)) findRefs(v, out);
  }
  return out;
}

export function parseFractionalArgs(args: unknown[]): { hasBucketBy: boolean; buckets: FractionalBucket[] } {
  // flagd: the first argument is a bucketing expression unless it is itself a bucket ([variant, weight]).
  const hasBucketBy = args.length > 0 && !Array.isArray(args[0]);
  const buckets = (hasBucketBy ? args.slice(1) : args).map((entry): FractionalBucket => {
    const pair = Array.isArray(entry) ? entry : [];
    const name = pair[0];
    const raw = pair.length >= 2 ? pair[1] : 1;
    const bucket: FractionalBucket = { variant: nodeText(name), weight: null };
    if (!isScalar(name)) bucket.variantComputed = true;
    if (typeof raw === 'number' && Number.isInteger(raw)) bucket.weight = Math.max(0, raw);
    else bucket.weightProblem = typeof raw === 'number' ? 'non-integer' : 'computed';
    return bucket;
  });
  return { hasBucketBy, buckets };
}

/**
 * The variant served when no fractional rule decides: the final `else` of a top-level `if` chain when it is a
 * variant name, otherwise `defaultVariant` (flagd serves it when targeting returns null).
 */
export function restVariant(def: Record<string, unknown>): string | undefined {
  const variants = isRecord(def.variants) ? def.variants : {};
  const fallback = typeof def.defaultVariant === 'string' ? def.defaultVariant : undefined;
  const targeting = def.targeting;
  if (isRecord(targeting) && Array.isArray(targeting.if)) {
    const args = targeting.if as unknown[];
    const last = args.length % 2 === 1 ? args[args.length - 1] : undefined;
    if (typeof last === 'string' && Object.hasOwn(variants, last)) return last;
  }
  return fallback;
}

export function roundExposure(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function samePath(a: JsonPathPart[], b: JsonPathPart[]): boolean {
  return a.length === b.length && a.every((p, i) => p === b[i]);
}

export function interpretFlag(
  key: string,
  def: Record<string, unknown>,
  evaluators: Record<string, unknown> = {},
): FlagView {
  const variantMap = isRecord(def.variants) ? def.variants : {};
  const variants = Object.keys(variantMap);
  const variantIsBoolean = variants.length > 0 && Object.values(variantMap).every((v) => typeof v === 'boolean');
  const defaultVariant = typeof def.defaultVariant === 'string' ? def.defaultVariant : undefined;

  let nodes = findFractionalNodes(def.targeting, []).map((n) => ({ ...n, viaEvaluator: null as string | null }));
  if (nodes.length === 0) {
    for (const ref of findRefs(def.targeting)) {
      if (!Object.hasOwn(evaluators, ref)) continue;
      nodes = nodes.concat(findFractionalNodes(evaluators[ref], []).map((n) => ({ ...n, viaEvaluator: ref })));
    }
  }
  const outputs = outputFractionals(def.targeting, evaluators);
  const fractional: FractionalRule | null =
    nodes.length === 1
      ? {
          path: nodes[0].path,
          viaEvaluator: nodes[0].viaEvaluator,
          inOutputPosition: outputs.some(
            (o) => o.viaEvaluator === nodes[0].viaEvaluator && samePath(o.path, nodes[0].path),
          ),
          ...parseFractionalArgs(nodes[0].args),
        }
      : null;

  let control: string | undefined;
  let treatment: string | undefined;
  if (variantIsBoolean) {
    control = variants.find((v) => variantMap[v] === false);
    treatment = variants.find((v) => variantMap[v] === true);
  } else {
    const order = [
      ...(fractional?.buckets.filter((b) => !b.variantComputed).map((b) => b.variant) ?? []),
      ...variants,
    ].filter((v) => Object.hasOwn(variantMap, v));
    control = defaultVariant ?? order[order.length - 1];
    treatment = order.find((v) => v !== control);
  }

  // null = "Rampart cannot read this as one number": several rules, a rule it does not see as the result, computed
  // or non-integer weights, computed variant names, a zero total, a total past 2^53 (weights of 1e308 sum to
  // Infinity, and the share became NaN — which the contract refuses after the write), or (without a rule) a computed
  // variant.
  let exposure: number | null;
  if (nodes.length > 1 || outputs.length !== nodes.length) exposure = null;
  else if (fractional) {
    const weights = fractional.buckets.map((b) => b.weight);
    const total = weights.reduce<number>((s, w) => s + (w ?? 0), 0);
    if (
      !fractional.inOutputPosition ||
      weights.some((w) => w === null) ||
      fractional.buckets.some((b) => b.variantComputed) ||
      total === 0 ||
      !Number.isSafeInteger(total)
    )
      exposure = null;
    else {
      const notControl = fractional.buckets
        .filter((b) => b.variant !== control)
        .reduce((s, b) => s + (b.weight ?? 0), 0);
      exposure = roundExposure((100 * notControl) / total);
    }
  } else if (targetingOutputs(def.targeting, evaluators).some((o) => o.kind === 'computed')) {
    exposure = null;
  } else {
    const served = restVariant(def);
    exposure = served !== undefined && served === treatment ? 100 : 0;
  }

  return {
    key,
    variants,
    variantIsBoolean,
    treatment,
    control,
    enabled: def.state === 'ENABLED',
    exposure,
    fractional,
    fractionalCount: nodes.length,
    targeting: isEmptyTargeting(def.targeting)
      ? `none (everyone → ${defaultVariant ?? 'code default'})`
      : summarizeTargeting(def.targeting),
  };
}

export function envStateOf(view: FlagView): EnvState {
  return {
    enabled: view.enabled,
    exposure: view.exposure,
    ...(view.treatment !== undefined ? { treatment: view.treatment } : {}),
    ...(view.control !== undefined ? { control: view.control } : {}),
    targeting: view.targeting,
  };
}

/** Targeting with the fractional weights blanked, to tell a rule change from a ramp. */
export function targetingShape(def: Record<string, unknown>): string {
  return JSON.stringify(def.targeting ?? null, (_k, v: unknown) => {
    if (isRecord(v) && Array.isArray(v.fractional)) {
      const { hasBucketBy } = parseFractionalArgs(v.fractional);
      const args = v.fractional as unknown[];
      return { fractional: args.map((a, i) => (hasBucketBy && i === 0 ? a : Array.isArray(a) ? [a[0]] : a)) };
    }
    return v;
  });
}

export { isRecord, isEmptyTargeting, type JsonPathPart };
