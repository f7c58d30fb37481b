import fc from 'fast-check';
import { requests, type Channel, type RequestOf } from '../../../shared/contract';
import { PAYLOAD_SECRET } from './planted-secrets';

/**
 * Payload generators for the IPC fuzz. Every channel has a valid example (checked against its schema by the
 * tests); malformed payloads are that example with one thing wrong, or something else entirely. Whether a
 * generated payload is malformed is decided by the contract's own schema (`accepts`), never assumed.
 */
const HOUR = 3_600_000;
const T = 1_760_000_000_000;

export const VALID_EXAMPLES: { [C in Channel]: RequestOf<C> } = {
  'app:info': {},
  'connections:list': {},
  'connections:save': {
    connection: { id: 'prod-unleash', name: 'Production Unleash', kind: 'unleash', url: 'https://unleash.example.com/api', tokenEnv: 'UNLEASH_TOKEN', project: 'default', rollbackMode: 'off' },
  },
  'connections:remove': { id: 'fuzz-unleash' },
  'connections:setSecret': { id: 'fuzz-unleash', which: 'token', secret: PAYLOAD_SECRET, allowPlaintext: false },
  'connections:test': { id: 'fuzz-unleash' },
  'flags:list': { connectionId: 'fuzz-unleash', search: 'checkout' },
  'flags:get': { connectionId: 'fuzz-unleash', flagKey: 'checkout-v2' },
  'flags:history': { connectionId: 'fuzz-unleash', flagKey: 'checkout-v2', env: 'production', from: T - 24 * HOUR, to: T },
  'flags:ramp': { connectionId: 'fuzz-unleash', flagKey: 'checkout-v2', env: 'production', to: 25, expected: 10, comment: 'ramp to 25% after a clean hour', override: false },
  'flags:rollback': { connectionId: 'fuzz-unleash', flagKey: 'checkout-v2', env: 'production', comment: 'error rate doubled' },
  'watches:list': {},
  'watches:forFlag': { connectionId: 'demo-flags', flagKey: 'checkout-v2', env: 'production' },
  'watches:save': {
    watch: {
      id: 'w1',
      flagConnectionId: 'demo-flags',
      flagKey: 'checkout-v2',
      env: 'production',
      metricsConnectionId: 'demo-metrics',
      selector: 'service="checkout"',
      variantLabel: 'feature_flag_result_variant',
      metrics: [{ name: 'p99', kind: 'latency', unit: 'ms', query: 'histogram_quantile(0.99, rate(x[{{window}}]))', critical: true }],
      thresholds: { confidence: 0.98, allowedIncrease: 1.1, passScore: 95, marginalScore: 75 },
    },
  },
  'watches:remove': { id: 'w1' },
  'series:range': { watchId: 'demo-checkout-v2', from: T - HOUR, to: T, width: 800, metrics: ['p99'] },
  'verdict:get': { watchId: 'demo-checkout-v2', baseline: 'pre', at: T },
  'incident:analyze': { watchId: 'demo-checkout-v2', metric: 'p99', from: T - HOUR, to: T },
  'audit:list': { limit: 50, flagKey: 'checkout-v2', connectionId: 'fuzz-unleash' },
  'judge:run': {
    confidence: 0.98,
    metrics: [
      { name: 'p99', kind: 'latency', baseline: [120, 118, 125, 130], canary: [121, 119, 127, null] },
      { name: 'errors', kind: 'errors', baseline: { errors: 3, total: 1000 }, canary: { errors: 4, total: 1000 } },
    ],
  },
};

/**
 * Whether the contract's schema accepts a payload. The registrar treats a missing payload (undefined/null) as `{}`;
 * this mirrors that. A schema that throws while parsing (a refinement calling `new URL` on a non-URL) did not
 * accept the payload.
 */
export function accepts(channel: Channel, payload: unknown): boolean {
  try {
    return requests[channel].input.safeParse(payload ?? {}).success;
  } catch {
    return false;
  }
}

type Path = (string | number)[];

/** Every path into a JSON-like value (objects and arrays), root excluded. */
function pathsOf(value: unknown, prefix: Path = []): Path[] {
  if (value === null || typeof value !== 'object') return [];
  const out: Path[] = [];
  for (const [k, v] of Object.entries(value)) {
    const p = [...prefix, Array.isArray(value) ? Number(k) : k];
    out.push(p, ...pathsOf(v, p));
  }
  return out;
}

function clone<T>(v: T): T {
  return structuredClone(v);
}

type Op = { kind: 'set'; value: unknown } | { kind: 'delete' } | { kind: 'addKey'; key: string; value: unknown };

function applyAt(root: unknown, path: Path, op: Op): unknown {
  const copy = clone(root) as Record<string | number, unknown>;
  if (path.length === 0) {
    if (op.kind === 'set') return op.value;
    if (op.kind === 'addKey' && copy && typeof copy === 'object') Object.defineProperty(copy, op.key, { value: op.value, enumerable: true, writable: true, configurable: true });
    return op.kind === 'delete' ? undefined : copy;
  }
  let parent = copy as Record<string | number, unknown>;
  for (const seg of path.slice(0, -1)) parent = parent[seg] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  if (op.kind === 'set') parent[last] = op.value;
  else if (op.kind === 'delete') delete parent[last];
  else {
    const target = parent[last];
    if (target && typeof target === 'object') Object.defineProperty(target, op.key, { value: op.value, enumerable: true, writable: true, configurable: true });
    else parent[last] = { [op.key]: op.value };
  }
  return copy;
}

/** Keys that have bitten JavaScript object handling: prototype pollution and friends. */
export const HOSTILE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', 'then', 'toJSON', '__defineGetter__', ''];

const hugeString = fc
  .tuple(fc.constantFrom('x', 'é', '🔥', '\u0000', '"\\', '<script>', '%00', '\u202e'), fc.integer({ min: 10_000, max: 300_000 }))
  .map(([unit, n]) => unit.repeat(Math.ceil(n / unit.length)));

const deepNesting = fc.tuple(fc.integer({ min: 50, max: 3000 }), fc.boolean()).map(([depth, arrays]) => {
  let v: unknown = arrays ? [] : {};
  for (let i = 0; i < depth; i++) v = arrays ? [v] : { a: v };
  return v;
});

/** An own `__proto__` / `constructor.prototype` key, exactly as JSON.parse (the HTTP door) produces it. */
const pollution = fc.constantFrom(
  '{"__proto__": {"polluted": "yes", "isAdmin": true}}',
  '{"constructor": {"prototype": {"polluted": "yes"}}}',
  '{"__proto__": {"__proto__": {"polluted": "yes"}}}',
  '[{"__proto__": {"polluted": "yes"}}]',
  '{"prototype": {"polluted": "yes"}, "__proto__": null}',
).map((text) => JSON.parse(text) as unknown);

/** Values JSON cannot carry but Electron's structured clone can. */
const nonJson = fc.oneof(
  fc.constantFrom(NaN, Infinity, -Infinity, -0, undefined, Number.MAX_VALUE, Number.MIN_VALUE, 2 ** 53 + 2),
  fc.bigInt(),
  fc.date({ noInvalidDate: false }),
  fc.constant(new Map([['id', 'fuzz-unleash']])),
  fc.constant(new Set(['fuzz-unleash'])),
  fc.constant(/fuzz/g),
  fc.constant(new Uint8Array([1, 2, 3])),
  fc.constant(Object.assign(new Array<unknown>(3), { 2: 'sparse' })),
);

const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.constantFrom(null, '', ' ', '   \n\t', '0', 'NaN', 'null', 'true', true, false, 0, -1, 0.5, 1e21, 101, -1e308, [], {}, [null], ['x']), weight: 6 },
  { arbitrary: nonJson, weight: 3 },
  { arbitrary: fc.string({ maxLength: 40 }), weight: 2 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 1 },
  { arbitrary: fc.double(), weight: 2 },
  { arbitrary: fc.integer(), weight: 1 },
  { arbitrary: hugeString, weight: 1 },
  { arbitrary: deepNesting, weight: 1 },
  { arbitrary: pollution, weight: 2 },
  { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 2 },
);

/** The valid example with exactly one thing wrong (or, rarely, still right: the schema decides). */
function nearValid<C extends Channel>(channel: C): fc.Arbitrary<unknown> {
  const example = VALID_EXAMPLES[channel] as unknown;
  const paths: Path[] = [[], ...pathsOf(example)];
  const path = fc.constantFrom(...paths);
  const op: fc.Arbitrary<Op> = fc.oneof(
    { arbitrary: wrongValue.map((value): Op => ({ kind: 'set', value })), weight: 6 },
    { arbitrary: fc.constant<Op>({ kind: 'delete' }), weight: 2 },
    {
      arbitrary: fc.tuple(fc.oneof(fc.constantFrom(...HOSTILE_KEYS), fc.string({ maxLength: 12 })), wrongValue).map(([key, value]): Op => ({ kind: 'addKey', key, value })),
      weight: 2,
    },
  );
  return fc.tuple(path, op).map(([p, o]) => applyAt(example, p, o));
}

/** Anything at all at the top level: fast-check's `anything` with hostile keys and every exotic type. */
const arbitraryValue = fc.anything({
  maxDepth: 4,
  key: fc.oneof(fc.constantFrom(...HOSTILE_KEYS), fc.string({ maxLength: 10 })),
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withObjectString: true,
  withSparseArray: true,
  withTypedArray: true,
});

/** Payloads for one channel, mostly malformed; structured-clone-able (what Electron IPC can deliver). */
export function payloadFor(channel: Channel): fc.Arbitrary<unknown> {
  return fc.oneof(
    { arbitrary: nearValid(channel), weight: 10 },
    { arbitrary: arbitraryValue, weight: 3 },
    { arbitrary: fc.jsonValue({ maxDepth: 4 }), weight: 1 },
    { arbitrary: wrongValue, weight: 2 },
  );
}

/** JSON.stringify, with BigInt written as a string (JSON has none); undefined → '' (an empty body). */
function toJsonText(p: unknown): string {
  try {
    return JSON.stringify(p) ?? '';
  } catch {
    // Only BigInt throws here; the replacer costs stack per level, so it is the fallback, not the default.
    return JSON.stringify(p, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? '';
  }
}

/** JSON text for the HTTP door: the payload serialized (BigInt as a string), plus raw texts JSON.parse rejects. */
export function httpBodyFor(channel: Channel): fc.Arbitrary<string> {
  const serialized = payloadFor(channel).map(toJsonText);
  const broken = fc.oneof(
    fc.constantFrom('{', '{"a":', '{"a":1,}', "{'a':1}", 'NaN', 'undefined', '{"a":1}{"b":2}', '\u0000', '[', '"unterminated', '{"__proto__":'),
    fc.string({ unit: 'binary', maxLength: 200 }),
    serialized.map((s) => s.slice(0, Math.max(0, s.length - 1))),
  );
  return fc.oneof({ arbitrary: serialized, weight: 8 }, { arbitrary: broken, weight: 2 });
}
