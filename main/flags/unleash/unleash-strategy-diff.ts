import type { UnleashStrategy } from './unleash-schemas';

/**
 * The one comparison of two Unleash strategies, used by the chart markers (unleash-events.ts) and by the
 * concurrent-edit check (unleash-concurrent-edits.ts). Unleash's reads and its events list the same fields in
 * different orders and leave some out (`segments` is missing when empty on some endpoints), so compare canonically,
 * with a missing list equal to an empty one. `title` and `sortOrder` do not change who gets the flag.
 */

export type StrategyField = 'rollout' | 'name' | 'disabled' | 'constraints' | 'segments' | 'variants' | 'parameters';

/** JSON with object keys sorted and undefined members dropped. */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
    return `{${entries
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`)
      .join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}

function same(a: unknown, b: unknown): boolean {
  return canonical(a ?? []) === canonical(b ?? []);
}

/** Parameters as Unleash 6 stores them (strings), so an old server's 25 equals "25". */
function parametersOf(s: UnleashStrategy, withRollout: boolean): Record<string, string> {
  return Object.fromEntries(
    Object.entries(s.parameters ?? {})
      .filter(([k]) => withRollout || k !== 'rollout')
      .map(([k, v]) => [k, String(v)]),
  );
}

/** Which fields differ between two versions of one strategy, in a fixed order. */
export function changedStrategyFields(before: UnleashStrategy, after: UnleashStrategy): StrategyField[] {
  const out: StrategyField[] = [];
  if (String(before.parameters?.rollout ?? '') !== String(after.parameters?.rollout ?? '')) out.push('rollout');
  if (before.name !== after.name) out.push('name');
  if ((before.disabled ?? false) !== (after.disabled ?? false)) out.push('disabled');
  if (!same(before.constraints, after.constraints)) out.push('constraints');
  if (!same(before.segments, after.segments)) out.push('segments');
  if (!same(before.variants, after.variants)) out.push('variants');
  if (!same(parametersOf(before, false), parametersOf(after, false))) out.push('parameters');
  return out;
}

/** The value of one field, comparable with `sameField`. */
function fieldOf(s: UnleashStrategy, f: StrategyField): unknown {
  switch (f) {
    case 'rollout':
      return String(s.parameters?.rollout ?? '');
    case 'name':
      return s.name;
    case 'disabled':
      return s.disabled ?? false;
    case 'parameters':
      return parametersOf(s, false);
    default:
      return s[f] ?? [];
  }
}

export function sameField(a: UnleashStrategy, b: UnleashStrategy, f: StrategyField): boolean {
  return canonical(fieldOf(a, f)) === canonical(fieldOf(b, f));
}

export function sameStrategy(a: UnleashStrategy, b: UnleashStrategy): boolean {
  return changedStrategyFields(a, b).length === 0;
}
