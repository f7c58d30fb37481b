import { isRecord, isScalar } from './json-node';

/**
 * Evaluation contexts for the read-back (flagd-reach.ts): 10,000 plain targeting keys, which measure what share of
 * ordinary units a fractional rule serves, plus contexts built from the targeting's OWN literals — the values its
 * conditions compare against — so a rule such as "email ends_with @example.com → on" is actually exercised
 * (random keys never match it). For each `{"var": …}` compared with a literal we derive values that satisfy and
 * that miss the comparison; every variable also tries every literal of the file (up to a cap), alone and together
 * with the other variables' values (for `and` of several conditions), with and without a targetingKey.
 */

export const KEYED_SAMPLES = 10_000;
const MAX_DERIVED = 5_000;
const KEYS_PER_CONTEXT = 4;
const MAX_VARS = 32;
const MAX_POOL = 64;
const MAX_REF_CHAIN = 16;
/** Path parts that would reach Object.prototype when building a context object. */
const UNSAFE_PARTS = new Set(['__proto__', 'constructor', 'prototype']);

type Ctx = Record<string, unknown>;

function varName(node: unknown): string | null {
  if (!isRecord(node) || Object.keys(node).length !== 1 || !('var' in node)) return null;
  const v = Array.isArray(node.var) ? node.var[0] : node.var;
  if (typeof v !== 'string' || v === '' || v.startsWith('$flagd')) return null;
  return v.split('.').some((p) => UNSAFE_PARTS.has(p)) ? null : v;
}

function semverNeighbours(v: string): string[] {
  const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(v);
  if (!m) return [v];
  const [a, b, c] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return [v, `${a}.${b}.${c + 1}`, `${a}.${b + 1}.0`, `${a + 1}.0.0`, `${a}.${b}.${Math.max(0, c - 1)}`, '0.0.1'];
}

/** Values of a variable that satisfy (and that miss) `op` against literal `lit`. */
function candidatesFor(op: string, lit: unknown, varFirst: boolean): unknown[] {
  if (Array.isArray(lit)) return op === 'in' && varFirst ? lit.filter(isScalar) : [];
  if (!isScalar(lit)) return [];
  const probe = 'rampart';
  switch (op) {
    case 'starts_with':
      return typeof lit === 'string' ? [lit, `${lit}${probe}`] : [];
    case 'ends_with':
      return typeof lit === 'string' ? [lit, `${probe}${lit}`] : [];
    case 'in':
      return varFirst ? [lit] : typeof lit === 'string' ? [`${probe}${lit}${probe}`, [lit]] : [[lit]];
    case 'sem_ver':
      return typeof lit === 'string' ? semverNeighbours(lit) : [];
    default:
      return typeof lit === 'number'
        ? [lit, lit - 1, lit + 1]
        : typeof lit === 'string'
          ? [lit, `${lit}-${probe}`]
          : [lit, !lit];
  }
}

/** Walk the targeting (following $refs) for variable names, derived values and the pool of literals. */
function collect(
  targeting: unknown,
  evaluators: Record<string, unknown>,
): { derived: Map<string, unknown[]>; pool: unknown[] } {
  const derived = new Map<string, unknown[]>();
  const pool: unknown[] = [];
  const add = (name: string, values: unknown[]) => {
    if (!derived.has(name) && derived.size >= MAX_VARS) return;
    const list = derived.get(name) ?? [];
    for (const v of values) if (!list.some((x) => JSON.stringify(x) === JSON.stringify(v))) list.push(v);
    derived.set(name, list);
  };
  const stack: Array<{ node: unknown; refs: string[] }> = [{ node: targeting, refs: [] }];
  while (stack.length > 0) {
    const { node, refs } = stack.pop()!;
    if (isScalar(node)) {
      if (pool.length < MAX_POOL && !pool.includes(node)) pool.push(node);
    } else if (Array.isArray(node)) {
      for (const child of node) stack.push({ node: child, refs });
    } else if (isRecord(node)) {
      const keys = Object.keys(node);
      const op = keys[0];
      if (keys.length === 1 && op === '$ref' && typeof node.$ref === 'string' && Object.hasOwn(evaluators, node.$ref)) {
        if (!refs.includes(node.$ref) && refs.length < MAX_REF_CHAIN)
          stack.push({ node: evaluators[node.$ref], refs: [...refs, node.$ref] });
        continue;
      }
      const name = varName(node);
      if (name !== null) add(name, []);
      if (keys.length === 1 && Array.isArray(node[op])) {
        const args = node[op] as unknown[];
        args.forEach((a, i) => {
          const v = varName(a);
          if (v === null) return;
          args.forEach((lit, j) => j !== i && add(v, candidatesFor(op, lit, i < j)));
        });
      }
      for (const k of keys) stack.push({ node: node[k], refs });
    }
  }
  return { derived, pool };
}

function withValue(ctx: Ctx, name: string, value: unknown): Ctx {
  if (name === 'targetingKey') {
    if (isScalar(value)) ctx.targetingKey = String(value);
    return ctx;
  }
  const parts = name.split('.');
  let cur: Ctx = ctx;
  for (const part of parts.slice(0, -1)) {
    if (!Object.hasOwn(cur, part) || !isRecord(cur[part])) cur[part] = {};
    cur = cur[part] as Ctx;
  }
  cur[parts[parts.length - 1]] = value;
  return ctx;
}

export interface SampleContexts {
  keyed: Ctx[];
  derived: Ctx[];
}

export function sampleContexts(targeting: unknown, evaluators: Record<string, unknown>): SampleContexts {
  const keyed = Array.from({ length: KEYED_SAMPLES }, (_, i) => ({ targetingKey: `rampart-sample-${i}` }));
  const { derived: byVar, pool } = collect(targeting, evaluators);
  const derived: Ctx[] = [{}]; // no targetingKey: fractional rules return null, flagd serves the default
  let n = 0;
  const push = (build: (ctx: Ctx) => Ctx) => {
    for (let k = 0; k < KEYS_PER_CONTEXT && derived.length < MAX_DERIVED; k++)
      derived.push(build({ targetingKey: `rampart-probe-${n++}` }));
    if (derived.length < MAX_DERIVED) derived.push(build({}));
  };
  const names = [...byVar.keys()];
  // Every variable's own values together (several conditions joined by "and"), then each value alone, then the pool.
  const widest = Math.max(0, ...names.map((v) => byVar.get(v)!.length));
  for (let j = 0; j < widest; j++)
    push((ctx) => names.reduce((c, v) => withValue(c, v, byVar.get(v)![j % byVar.get(v)!.length] ?? null), ctx));
  for (const v of names) for (const value of byVar.get(v)!) push((ctx) => withValue(ctx, v, value));
  for (const v of names) for (const value of pool) push((ctx) => withValue(ctx, v, value));
  return { keyed, derived };
}
