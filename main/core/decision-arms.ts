import type { ConnectionKind } from '../../shared/domain/connections';
import { KINDS } from '../../shared/kinds';
import { controlLabelsOfKind } from '../kinds';
import type { Arm, Watch } from '../../shared/domain/metrics';

/**
 * Which values of a watch's variant label are the treatment and which the control (docs/statistics.md "Three
 * baselines": boolean flags have arms too). The watch may say; otherwise the store's SDK conventions decide:
 *  - the flag's own variant names for its treatment and control (flagd `on`/`off`, `ml-v2`/`classic`);
 *  - booleans: `true|on|enabled` vs `false|off|disabled` — a plain gradual rollout's metrics carry those;
 *  - Unleash: `getVariant()` names the variant when the flag is on for a user and reports `disabled` otherwise
 *    (docs/integrations.md, unleash-client), so `disabled` is control.
 * The same mapping labels the charts' per-variant series (WireSeries.arm) and splits the judge's arms, so the
 * chart and the verdict always compare the same requests. Several values of one arm are merged.
 */
export const TREATMENT_WORDS = ['true', 'on', 'enabled'] as const;
export const CONTROL_WORDS = ['false', 'off', 'disabled'] as const;

export interface ArmMapping {
  treatment: string[];
  control: string[];
  /** Where the mapping comes from, for the verdict's label. */
  source: string;
}

export interface FlagVariants {
  treatment?: string | null;
  control?: string | null;
}

const isWord = (v: string | null | undefined, words: readonly string[]) =>
  v !== null && v !== undefined && words.includes(v.toLowerCase());

export function armMapping(
  watch: Pick<Watch, 'arms'>,
  flag: FlagVariants | null,
  storeKind: ConnectionKind | null,
): ArmMapping {
  if (watch.arms)
    return { treatment: [...watch.arms.treatment], control: [...watch.arms.control], source: 'set on the watch' };
  const t = flag?.treatment ?? null;
  const c = flag?.control ?? null;
  const treatment = new Set<string>();
  const control = new Set<string>();
  const notes: string[] = [];
  if (t) treatment.add(t);
  if (c) control.add(c);
  if (t || c) notes.push(`the flag's variants (${t ?? '?'} vs ${c ?? '?'})`);
  // A flag without named variants, or with boolean ones: the boolean words a service labels requests with.
  const booleanFlag = (!t && !c) || isWord(t, TREATMENT_WORDS) || isWord(c, CONTROL_WORDS);
  if (booleanFlag) {
    for (const w of TREATMENT_WORDS) treatment.add(w);
    for (const w of CONTROL_WORDS) control.add(w);
    notes.push('booleans true|on|enabled vs false|off|disabled');
  }
  for (const word of controlLabelsOfKind(storeKind)) {
    if (control.has(word)) continue;
    control.add(word);
    notes.push(`${storeKind ? KINDS[storeKind].label : ''}'s ${word}`);
  }
  // A value claimed by both sides (a variant literally named "off" as treatment) belongs to the flag's own naming.
  for (const v of [...treatment]) if (control.has(v)) (v === t ? control : treatment).delete(v);
  return { treatment: [...treatment], control: [...control], source: notes.join(' + ') };
}

/** The arm a label value belongs to; case-insensitive (exporters write True, true, TRUE). */
export function armOf(value: string | undefined, mapping: ArmMapping): Arm | null {
  if (value === undefined) return null;
  const v = value.toLowerCase();
  if (mapping.treatment.some((x) => x.toLowerCase() === v)) return 'treatment';
  if (mapping.control.some((x) => x.toLowerCase() === v)) return 'control';
  return null;
}

/** "on|true|enabled" — how an arm is named in labels and reasons. */
export function armLabel(mapping: ArmMapping, arm: Arm): string {
  return mapping[arm].join('|');
}

const RESOLVE_CACHE_MS = 15_000;

/**
 * The mapping for a watch, reading the flag's variants from its store (cached briefly: charts ask on every
 * refresh). A store that cannot be read leaves the boolean conventions, which still split a boolean flag.
 */
export function createArmResolver(deps: {
  variants: (watch: Watch) => Promise<FlagVariants>;
  storeKind: (watch: Watch) => ConnectionKind | null;
  now: () => number;
}) {
  const cache = new Map<string, { at: number; mapping: ArmMapping }>();
  return async function armsFor(watch: Watch): Promise<ArmMapping> {
    const key = `${watch.flagConnectionId}\u0000${watch.flagKey}\u0000${watch.env}\u0000${JSON.stringify(watch.arms ?? null)}`;
    const hit = cache.get(key);
    if (hit && deps.now() - hit.at < RESOLVE_CACHE_MS) return hit.mapping;
    const flag = watch.arms ? null : await deps.variants(watch).catch(() => null);
    const mapping = armMapping(watch, flag, deps.storeKind(watch));
    cache.set(key, { at: deps.now(), mapping });
    return mapping;
  };
}

export type ArmResolver = ReturnType<typeof createArmResolver>;
