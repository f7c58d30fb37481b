/**
 * Arithmetic over grouped series for the fake Datadog server: what the v2 API's `formulas` and the v1 API's
 * metric arithmetic do with `a / b` or `1000 * a`. Series of the two sides are matched by their tag set; a side
 * with a single untagged series (or a number) applies to every series of the other side. A missing point on
 * either side, or a division by zero, gives null (no value), never 0.
 */
export type FakePoint = [ms: number, value: number | null];
export interface FakeSeries {
  tags: string[];
  points: FakePoint[];
}
export type FormulaValue = { kind: 'number'; value: number } | { kind: 'series'; list: FakeSeries[] };

export class FormulaError extends Error {}

const key = (tags: string[]) => [...tags].sort().join(',');

function apply(op: string, x: number | null, y: number | null): number | null {
  if (x === null || y === null) return null;
  if (op === '+') return x + y;
  if (op === '-') return x - y;
  if (op === '*') return x * y;
  return y === 0 ? null : x / y;
}

function combineSeries(op: string, a: FakeSeries, b: FakeSeries, tags: string[]): FakeSeries {
  const left = new Map(a.points);
  const right = new Map(b.points);
  const times = [...new Set([...left.keys(), ...right.keys()])].sort((p, q) => p - q);
  return { tags, points: times.map((t) => [t, apply(op, left.get(t) ?? null, right.get(t) ?? null)]) };
}

function mapSeries(list: FakeSeries[], f: (v: number | null) => number | null): FakeSeries[] {
  return list.map((s) => ({ tags: s.tags, points: s.points.map(([t, v]) => [t, f(v)]) }));
}

export function combine(op: string, a: FormulaValue, b: FormulaValue): FormulaValue {
  if (a.kind === 'number' && b.kind === 'number') return { kind: 'number', value: apply(op, a.value, b.value) ?? NaN };
  if (a.kind === 'number' && b.kind === 'series')
    return { kind: 'series', list: mapSeries(b.list, (v) => apply(op, a.value, v)) };
  if (a.kind === 'series' && b.kind === 'number')
    return { kind: 'series', list: mapSeries(a.list, (v) => apply(op, v, b.value)) };
  if (a.kind !== 'series' || b.kind !== 'series') throw new FormulaError('unreachable');
  const broadcastRight = b.list.length === 1 && b.list[0].tags.length === 0;
  const broadcastLeft = a.list.length === 1 && a.list[0].tags.length === 0;
  const out: FakeSeries[] = [];
  if (broadcastLeft && !broadcastRight) {
    for (const s of b.list) out.push(combineSeries(op, a.list[0], s, s.tags));
    return { kind: 'series', list: out };
  }
  const rightByTags = new Map(b.list.map((s) => [key(s.tags), s]));
  for (const s of a.list) {
    const other = broadcastRight ? b.list[0] : rightByTags.get(key(s.tags));
    if (other) out.push(combineSeries(op, s, other, s.tags));
  }
  return { kind: 'series', list: out };
}

/**
 * Recursive-descent parser for `expr := term (("+"|"-") term)*`, `term := factor (("*"|"/") factor)*`,
 * `factor := number | "-" factor | "(" expr ")" | atom`. How an atom is read is up to the caller: a query name
 * (v2 formulas) or a parenthesised metric query (v1 arithmetic).
 */
export interface AtomReader {
  /** Tries to read an atom at `i`; returns its value and the index after it, or undefined. */
  read(text: string, i: number): { value: FormulaValue; end: number } | undefined;
}

export function evaluate(text: string, atoms: AtomReader): FormulaValue {
  let i = 0;
  const space = () => {
    while (i < text.length && text[i] === ' ') i++;
  };
  const factor = (): FormulaValue => {
    space();
    const atom = atoms.read(text, i);
    if (atom) {
      i = atom.end;
      return atom.value;
    }
    const num = /^\d+(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (num) {
      i += num[0].length;
      return { kind: 'number', value: Number(num[0]) };
    }
    if (text[i] === '-') {
      i++;
      return combine('*', { kind: 'number', value: -1 }, factor());
    }
    if (text[i] === '(') {
      i++;
      const inner = expr();
      space();
      if (text[i] !== ')') throw new FormulaError(`expected ")" at ${i}`);
      i++;
      return inner;
    }
    throw new FormulaError(`unexpected ${JSON.stringify(text.slice(i, i + 20))} at ${i}`);
  };
  const term = (): FormulaValue => {
    let left = factor();
    for (space(); text[i] === '*' || text[i] === '/'; space()) {
      const op = text[i++];
      left = combine(op, left, factor());
    }
    return left;
  };
  const expr = (): FormulaValue => {
    let left = term();
    for (space(); text[i] === '+' || text[i] === '-'; space()) {
      const op = text[i++];
      left = combine(op, left, term());
    }
    return left;
  };
  const result = expr();
  space();
  if (i !== text.length) throw new FormulaError(`unexpected ${JSON.stringify(text.slice(i, i + 20))} at ${i}`);
  return result;
}

/** Index just after the ")" matching the "(" at `open`, or -1. */
export function matchingParen(text: string, open: number): number {
  let depth = 0;
  for (let j = open; j < text.length; j++) {
    if (text[j] === '(') depth++;
    else if (text[j] === ')' && --depth === 0) return j + 1;
  }
  return -1;
}
