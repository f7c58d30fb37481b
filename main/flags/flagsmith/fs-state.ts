import type { EnvState } from '../../../shared/domain/flags';
import type { FsFeature, FsFeatureState, FsMvOption, FsMvValue, FsRule, FsSegment, FsValue } from './fs-schemas';

/**
 * How a Flagsmith feature maps onto Rampart's exposure in one environment. Flagsmith has no "rollout %" field
 * (docs/integrations.md 2.4), so Rampart reads one of its two documented mechanisms, in this order:
 *
 * 1. RAMP SEGMENT — a segment override, in this environment, whose segment is a pure percentage split: exactly one
 *    condition in the whole rule tree, `PERCENTAGE_SPLIT`, under ALL/ANY rules (no NONE). If several, the one with
 *    the highest priority (lowest number). exposure = the split value: the share of IDENTIFIED users put in the
 *    segment, who get the override (on); everyone else gets the environment default (off). Flagsmith only applies
 *    splits to identified evaluations. `enabled` = environment default on OR override on. When the environment
 *    default is itself on, everyone is served on whatever the split: `targeting` says so and ramping is refused.
 * 2. MULTIVARIATE — no ramp segment, a MULTIVARIATE feature: exposure = the sum of the environment default's
 *    `percentage_allocation`s, i.e. the share of identities served any variant option instead of the control value.
 *    `enabled` = the environment default's `enabled` (Flagsmith serves the value only when enabled).
 * 3. Otherwise no ramp: exposure null, `enabled` = the environment default's `enabled`.
 *
 * Splits and allocations are floats in Flagsmith (a string parsed as float; a FloatField); Rampart uses steps of 0.01.
 */

export const EXPOSURE_STEP = 0.01;
export const round2 = (n: number): number => Math.round(n * 100) / 100;

export interface LiveOverride {
  featureSegmentId?: number;
  segmentId: number;
  priority: number;
  segmentName?: string;
  state?: FsFeatureState;
  segment?: FsSegment;
}

/** One feature's live configuration in one environment, however it was read (v1 or v2 environment). */
export interface LiveFeature {
  feature: FsFeature;
  def?: FsFeatureState;
  overrides: LiveOverride[];
  /** Identity overrides serving the flag on (read by `readLive` only: the kill switch's proof needs them). */
  identityOverridesOn?: number;
}

export interface Ramp {
  override: LiveOverride & { state: FsFeatureState; segment: FsSegment };
  split: number;
}

/** The split value when `rules` is exactly one PERCENTAGE_SPLIT condition under ALL/ANY rules, else undefined. */
export function pureSplit(rules: FsRule[]): number | undefined {
  const conditions: FsRule['conditions'] = [];
  let negated = false;
  const walk = (rs: FsRule[]) => {
    for (const r of rs) {
      if (r.type === 'NONE') negated = true;
      conditions.push(...(r.conditions ?? []));
      walk(r.rules ?? []);
    }
  };
  walk(rules);
  if (negated || conditions.length !== 1 || conditions[0].operator !== 'PERCENTAGE_SPLIT') return undefined;
  const v = Number(conditions[0].value);
  return Number.isFinite(v) && v >= 0 && v <= 100 ? v : undefined;
}

/** A copy of `rules` with the one split condition set to `percent` (ids kept, so Flagsmith updates in place). */
export function withSplit(rules: FsRule[], percent: number): FsRule[] {
  const value = formatSplit(percent);
  const copy = (rs: FsRule[]): FsRule[] =>
    rs.map((r) => ({
      ...r,
      rules: copy(r.rules ?? []),
      conditions: (r.conditions ?? []).map((c) => (c.operator === 'PERCENTAGE_SPLIT' ? { ...c, value } : { ...c })),
    }));
  return copy(rules);
}

export function formatSplit(percent: number): string {
  return String(round2(percent));
}

export function rampOf(live: LiveFeature): Ramp | undefined {
  const candidates = live.overrides
    .filter((o): o is Ramp['override'] => !!o.state && !!o.segment && pureSplit(o.segment.rules) !== undefined)
    .sort((a, b) => a.priority - b.priority);
  const top = candidates[0];
  return top ? { override: top, split: pureSplit(top.segment.rules) as number } : undefined;
}

export function isMultivariate(f: FsFeature): boolean {
  return f.type === 'MULTIVARIATE' || (f.multivariate_options?.length ?? 0) > 0;
}

export function optionName(o: FsMvOption): string {
  return o.key ?? o.string_value ?? (o.integer_value ?? o.boolean_value ?? o.id).toString();
}

export function valueText(v: FsValue | null | undefined): string {
  const raw = v?.type === 'int' ? v.integer_value : v?.type === 'bool' ? v.boolean_value : v?.string_value;
  return raw === null || raw === undefined ? '(no value)' : String(raw);
}

export function allocationSum(mv: FsMvValue[]): number {
  return round2(mv.reduce((n, m) => n + m.percentage_allocation, 0));
}

/** New allocations summing to `percent`, keeping the options' current proportions (equal shares when all are 0). */
export function scaledAllocations(
  options: FsMvOption[],
  current: FsMvValue[],
  percent: number,
): { multivariate_feature_option: number; percentage_allocation: number; id?: number }[] {
  const cur = options.map((o) => current.find((m) => m.multivariate_feature_option === o.id));
  const sum = cur.reduce((n, m) => n + (m?.percentage_allocation ?? 0), 0);
  const cents = Math.round(percent * 100);
  const raw = options.map((_, i) =>
    sum > 0 ? ((cur[i]?.percentage_allocation ?? 0) / sum) * cents : cents / options.length,
  );
  const floors = raw.map(Math.floor);
  let left = cents - floors.reduce((a, b) => a + b, 0);
  for (const { i } of raw.map((r, i) => ({ i, frac: r - floors[i] })).sort((a, b) => b.frac - a.frac)) {
    if (left-- <= 0) break;
    floors[i]++;
  }
  return options.map((o, i) => ({
    ...(cur[i]?.id !== undefined ? { id: cur[i]?.id } : {}),
    multivariate_feature_option: o.id,
    percentage_allocation: floors[i] / 100,
  }));
}

export function variantsOf(f: FsFeature, def?: FsFeatureState): string[] {
  if (!isMultivariate(f)) return ['on', 'off'];
  return [valueText(def?.feature_state_value), ...f.multivariate_options.map(optionName)];
}

export function envStateOf(live: LiveFeature): EnvState {
  const defEnabled = live.def?.enabled ?? false;
  const ramp = rampOf(live);
  const others = live.overrides.filter((o) => o !== ramp?.override);
  const notes: string[] = [];
  if (ramp)
    notes.push(
      `${formatSplit(ramp.split)}% split segment '${ramp.override.segment.name}'${ramp.override.state.enabled ? '' : ' (override off)'}`,
    );
  if (ramp && defEnabled) notes.push('environment default is on, so everyone is served on whatever the split');
  if (others.length)
    notes.push(
      `${others.length} other segment override${others.length === 1 ? '' : 's'}: ${others.map((o) => o.segment?.name ?? o.segmentName ?? `#${o.segmentId}`).join(', ')}`,
    );
  const targeting = notes.length ? { targeting: notes.join('; ') } : {};
  if (ramp) {
    return {
      enabled: defEnabled || ramp.override.state.enabled,
      exposure: round2(ramp.split),
      treatment: 'on',
      control: 'off',
      ...targeting,
    };
  }
  if (isMultivariate(live.feature) && live.def) {
    return {
      enabled: defEnabled,
      exposure: allocationSum(live.def.multivariate_feature_state_values),
      treatment: live.feature.multivariate_options.map(optionName).join(' / '),
      control: valueText(live.def.feature_state_value),
      ...targeting,
    };
  }
  return {
    enabled: defEnabled,
    exposure: null,
    ...(isMultivariate(live.feature) ? {} : { treatment: 'on', control: 'off' }),
    ...targeting,
  };
}
