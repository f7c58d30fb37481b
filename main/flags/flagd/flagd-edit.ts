import { RampartError } from '../../../shared/errors';
import { flagEntries } from './flagd-schema';
import { interpretFlag, isEmptyTargeting, type FlagView, type FractionalBucket } from './flagd-model';
import { isRecord, isScalar, type JsonPathPart } from './json-node';

/**
 * Pure edits of a parsed flagd document (the raw JSON, every field kept in file order). The caller clones the
 * document first, applies one edit, and serializes it. Only the fractional weights (or `state`) change; the
 * bucketing expression, other rules, metadata, `$evaluators` and unknown fields stay as they were.
 */

/** flagd-core's default bucketing key is flagKey + targetingKey; spelling it out keeps the file self-explanatory. */
export function defaultBucketBy(): unknown {
  return { cat: [{ var: '$flagd.flagKey' }, { var: 'targetingKey' }] };
}

export function findFlagDef(doc: Record<string, unknown>, flagKey: string, file: string): Record<string, unknown> {
  // The last definition of a key, as the reads take it (flagd-snapshot.ts entryOf; JSON.parse keeps the last key).
  const found = flagEntries(doc as { flags: unknown }).findLast(([key]) => key === flagKey);
  if (!found) throw new RampartError('not_found', `flagd file ${file}: no flag "${flagKey}"`, { file, flagKey });
  return found[1];
}

function getAt(root: unknown, path: JsonPathPart[]): unknown {
  let node = root;
  for (const part of path) node = (node as Record<string | number, unknown>)[part];
  return node;
}

/** Split `n` integer units over `weights` proportionally (largest remainder; ties to the earlier entry). */
function apportion(n: number, weights: number[]): number[] {
  if (weights.length === 0) return [];
  const total = weights.reduce((s, w) => s + w, 0);
  const ideal = weights.map((w) => (total > 0 ? (n * w) / total : n / weights.length));
  const out = ideal.map(Math.floor);
  let left = n - out.reduce((s, x) => s + x, 0);
  const order = ideal.map((x, i) => ({ i, frac: x - Math.floor(x) })).sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    out[i] += 1;
    left -= 1;
  }
  return out;
}

/**
 * New integer weights (total 100) putting `percent` off the control variant. The control variant is one
 * contiguous slice of the bucket space; weights before it and after it are resized so that, when ramping up,
 * both non-control slices only grow (no unit moves from treatment back to control), and when ramping down they
 * only shrink (no unit moves from control to treatment). With two variants this is simply [t, p], [c, 100 − p]
 * in the file's own order. Returns the buckets to write (a control bucket is appended if the rule had none).
 */
export function rampWeights(
  buckets: FractionalBucket[],
  control: string,
  treatment: string,
  percent: number,
): FractionalBucket[] {
  const list = buckets.map((b) => ({ ...b }));
  if (list.filter((b) => b.variant === control).length > 1) {
    throw new RampartError('bad_request', `the fractional rule lists the control variant "${control}" more than once`);
  }
  if (!list.some((b) => b.variant !== control)) list.unshift({ variant: treatment, weight: 0 });
  if (!list.some((b) => b.variant === control)) list.push({ variant: control, weight: 0 });
  const c = list.findIndex((b) => b.variant === control);
  const total = list.reduce((s, b) => s + (b.weight ?? 0), 0);
  const pct = list.map((b) => (total > 0 ? (100 * (b.weight ?? 0)) / total : 0));
  const before = list.map((_, i) => i).filter((i) => i < c);
  const after = list.map((_, i) => i).filter((i) => i > c);
  const sB = before.reduce((s, i) => s + pct[i], 0);
  const sA = after.reduce((s, i) => s + pct[i], 0);
  const s = sB + sA;
  const eps = 1e-9;

  if (s <= eps) {
    // Nothing off control yet: the whole ramp goes to the treatment (or the first non-control bucket).
    const t = list.findIndex((b) => b.variant === treatment);
    const target = t >= 0 && t !== c ? t : list.findIndex((b) => b.variant !== control);
    return list.map((b, i) => ({ variant: b.variant, weight: i === c ? 100 - percent : i === target ? percent : 0 }));
  }
  const ideal = Math.round((percent * sB) / s);
  const [lo, hi] =
    percent >= s
      ? [Math.ceil(sB - eps), percent - Math.ceil(sA - eps)]
      : [percent - Math.floor(sA + eps), Math.floor(sB + eps)];
  const nB = Math.min(percent, Math.max(0, lo <= hi ? Math.min(hi, Math.max(lo, ideal)) : ideal));
  const nA = percent - nB;

  const weights = new Array<number>(list.length).fill(0);
  weights[c] = 100 - percent;
  apportion(
    nB,
    before.map((i) => pct[i]),
  ).forEach((w, k) => (weights[before[k]] = w));
  apportion(
    nA,
    after.map((i) => pct[i]),
  ).forEach((w, k) => (weights[after[k]] = w));
  return list.map((b, i) => ({ variant: b.variant, weight: weights[i] }));
}

function fractionalNode(treatment: string, control: string, percent: number): Record<string, unknown> {
  return { fractional: [defaultBucketBy(), [treatment, percent], [control, 100 - percent]] };
}

/** Throws `bad_request` when Rampart cannot ramp this flag by rewriting weights (checked before any conflict check). */
export function assertRampable(view: FlagView, file: string): void {
  const where = `flagd file ${file}: flag "${view.key}"`;
  if (!view.treatment || !view.control || view.treatment === view.control) {
    throw new RampartError(
      'bad_request',
      `${where} needs a treatment and a control variant to be ramped (variants: ${view.variants.join(', ')})`,
    );
  }
  if (view.fractionalCount > 1) {
    throw new RampartError(
      'bad_request',
      `${where} has ${view.fractionalCount} fractional rules; Rampart ramps flags with exactly one`,
    );
  }
  const rule = view.fractional;
  if (rule?.viaEvaluator) {
    throw new RampartError(
      'bad_request',
      `${where}: its fractional rule is in the shared $evaluators entry "${rule.viaEvaluator}"; edit it by hand`,
    );
  }
  if (rule && !rule.inOutputPosition) {
    throw new RampartError(
      'bad_request',
      `${where}: its fractional rule is inside a condition, not the result of the targeting; edit it by hand`,
    );
  }
  if (rule?.buckets.some((b) => b.variantComputed)) {
    throw new RampartError(
      'bad_request',
      `${where}: a variant of its fractional rule is computed (a JsonLogic expression); edit it by hand`,
    );
  }
  if (rule?.buckets.some((b) => b.weightProblem === 'computed')) {
    throw new RampartError(
      'bad_request',
      `${where}: its fractional weights are computed (JsonLogic expressions); edit them by hand`,
    );
  }
  if (rule?.buckets.some((b) => b.weightProblem === 'non-integer')) {
    throw new RampartError(
      'bad_request',
      `${where}: its fractional weights are not all integers (flagd-core rejects such a rule and serves the default); fix them by hand`,
    );
  }
}

/** Set the exposure of `flagKey` in `doc` (mutated) to an integer `percent`. */
export function applyExposure(doc: Record<string, unknown>, flagKey: string, percent: number, file: string): void {
  const def = findFlagDef(doc, flagKey, file);
  const evaluators = isRecord(doc.$evaluators) ? doc.$evaluators : {};
  const view = interpretFlag(flagKey, def, evaluators);
  const where = `flagd file ${file}: flag "${flagKey}"`;
  assertRampable(view, file);
  const rule = view.fractional;
  const treatment = view.treatment as string;
  const control = view.control as string;
  if (rule) {
    const node = getAt(def.targeting, rule.path) as { fractional: unknown[] };
    const args = node.fractional;
    const head = rule.hasBucketBy ? [args[0]] : [];
    const oldEntries = (rule.hasBucketBy ? args.slice(1) : args) as unknown[][];
    const next = rampWeights(rule.buckets, control, treatment, percent);
    // Rewrite the weight inside each existing entry, so entries keep their order and any extra elements.
    const used = new Set<number>();
    const entries = next.map((b) => {
      const k = oldEntries.findIndex(
        (e, idx) => !used.has(idx) && Array.isArray(e) && isScalar(e[0]) && String(e[0]) === b.variant,
      );
      if (k < 0) return [b.variant, b.weight];
      used.add(k);
      const copy = [...oldEntries[k]];
      copy[1] = b.weight;
      return copy;
    });
    node.fractional = [...head, ...entries];
    return;
  }
  if (isEmptyTargeting(def.targeting)) {
    def.targeting = fractionalNode(treatment, control, percent);
    return;
  }
  const targeting = def.targeting as Record<string, unknown>;
  if (Object.keys(targeting).length === 1 && Array.isArray(targeting.if)) {
    // "if <rule> → variant; else <control or nothing>": the fractional split becomes the else branch.
    const chain = targeting.if as unknown[];
    const hasElse = chain.length % 2 === 1;
    const last = hasElse ? chain[chain.length - 1] : null;
    if (last === null || last === control) {
      targeting.if = [...(hasElse ? chain.slice(0, -1) : chain), fractionalNode(treatment, control, percent)];
      return;
    }
  }
  throw new RampartError(
    'bad_request',
    `${where} has targeting rules without a fractional split, and Rampart can only add one as the final "else" of an "if"; add a fractional rule by hand`,
  );
}

export function applyEnabled(doc: Record<string, unknown>, flagKey: string, on: boolean, file: string): void {
  findFlagDef(doc, flagKey, file).state = on ? 'ENABLED' : 'DISABLED';
}
