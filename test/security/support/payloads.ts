import fc from 'fast-check';
import { requests, type Channel } from '../../../shared/contract';
import { VALID_EXAMPLES } from './valid-examples';

export { VALID_EXAMPLES };

/**
 * Payload generators for the IPC and HTTP fuzz. Every channel has a valid example (valid-examples.ts, checked
 * against its schema by the tests); malformed payloads are that example with one thing wrong, or something else
 * entirely. Whether a generated payload is malformed is decided by the contract's own schema (`accepts`), never
 * assumed.
 */

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
    if (op.kind === 'addKey' && copy && typeof copy === 'object') return withKey(copy, op.key, op.value);
    return op.kind === 'delete' ? undefined : copy;
  }
  let parent = copy as Record<string | number, unknown>;
  for (const seg of path.slice(0, -1)) parent = parent[seg] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  if (op.kind === 'set') parent[last] = op.value;
  else if (op.kind === 'delete') delete parent[last];
  else {
    const target = parent[last];
    parent[last] = target && typeof target === 'object' ? withKey(target, op.key, op.value) : { [op.key]: op.value };
  }
  return copy;
}

/** Keys that have bitten JavaScript object handling: prototype pollution and friends. */
export const HOSTILE_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'then',
  'toJSON',
  '__defineGetter__',
  '',
];

// Huge and deep values are built once and drawn from a fixed set: rebuilding a 300,000-character string or a
// 3,000-deep tree for every draw was a large share of the fuzz's runtime, and a few sizes find the same bugs.
const HUGE = ['x', 'é', '🔥', '\u0000', '"\\', '<script>', '%00', '\u202e'].flatMap((unit) =>
  [10_000, 70_000, 300_000].map((n) => unit.repeat(Math.ceil(n / unit.length))),
);
const hugeString = fc.constantFrom(...HUGE);

const DEEP = [50, 400, 3000].flatMap((depth) =>
  [true, false].map((arrays) => {
    let v: unknown = arrays ? [] : {};
    for (let i = 0; i < depth; i++) v = arrays ? [v] : { a: v };
    return v;
  }),
);
const deepNesting = fc.constantFrom(...DEEP);

/** An own `__proto__` / `constructor.prototype` key, exactly as JSON.parse (the HTTP door) produces it. */
const pollution = fc
  .constantFrom(
    '{"__proto__": {"polluted": "yes", "isAdmin": true}}',
    '{"constructor": {"prototype": {"polluted": "yes"}}}',
    '{"__proto__": {"__proto__": {"polluted": "yes"}}}',
    '[{"__proto__": {"polluted": "yes"}}]',
    '{"prototype": {"polluted": "yes"}, "__proto__": null}',
  )
  .map((text) => JSON.parse(text) as unknown);

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
  {
    arbitrary: fc.constantFrom(
      null,
      '',
      ' ',
      '   \n\t',
      '0',
      'NaN',
      'null',
      'true',
      true,
      false,
      0,
      -1,
      0.5,
      1e21,
      101,
      -1e308,
      [],
      {},
      [null],
      ['x'],
    ),
    weight: 6,
  },
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
      arbitrary: fc
        .tuple(fc.oneof(fc.constantFrom(...HOSTILE_KEYS), fc.string({ maxLength: 12 })), wrongValue)
        .map(([key, value]): Op => ({ kind: 'addKey', key, value })),
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
    fc.constantFrom(
      '{',
      '{"a":',
      '{"a":1,}',
      "{'a':1}",
      'NaN',
      'undefined',
      '{"a":1}{"b":2}',
      '\u0000',
      '[',
      '"unterminated',
      '{"__proto__":',
    ),
    fc.string({ unit: 'binary', maxLength: 200 }),
    serialized.map((s) => s.slice(0, Math.max(0, s.length - 1))),
  );
  return fc.oneof({ arbitrary: serialized, weight: 8 }, { arbitrary: broken, weight: 2 });
}

/**
 * `value` under `key` as an own, enumerable property (`__proto__` included). A key the object cannot take as such —
 * an array's `length` — makes a plain object copy carrying it instead, still a malformed payload.
 */
function withKey(target: object, key: string, value: unknown): object {
  const desc = { value, enumerable: true, writable: true, configurable: true };
  try {
    return Object.defineProperty(target, key, desc);
  } catch {
    return Object.defineProperty({ ...target }, key, desc);
  }
}
