/**
 * Ramp-step bands: the stretches of time between consecutive exposure/on-off changes, each labelled with the
 * exposure that held during it ("25%", "off"). Pure, so the chart only draws what this returns.
 */
import type { ChangeState, FlagChange } from '../../../shared/domain/flags';
import { formatPercent } from './format';

export interface FlagLiveState {
  enabled: boolean | null;
  exposure: number | null;
}

export interface RampBand {
  from: number;
  to: number;
  enabled: boolean | null;
  exposure: number | null;
  /** Exposure the treatment actually gets: 0 when the flag is off, 100 when on without a ramp. */
  effective: number | null;
  label: string;
}

/** Changes that move the exposure a unit sees; targeting edits do not start a new ramp step. */
export function isRampChange(c: FlagChange): boolean {
  return c.kind === 'exposure' || c.kind === 'enabled' || c.kind === 'created';
}

export function effectiveExposure(s: FlagLiveState): number | null {
  if (s.enabled === false) return 0;
  if (s.exposure !== null) return s.exposure;
  return s.enabled === true ? 100 : null;
}

export function bandLabel(s: FlagLiveState): string {
  if (s.enabled === false) return 'off';
  if (s.exposure !== null) return formatPercent(s.exposure);
  return s.enabled === true ? 'on' : '?';
}

function touched<K extends keyof ChangeState>(s: ChangeState | null, key: K): boolean {
  return s !== null && s[key] !== undefined;
}

/**
 * The state before the first change: each field is taken from the `from` side of the first change that touched
 * it (changes carry only the fields they touched); a field no change touched is the current state's.
 */
export function initialState(sorted: readonly FlagChange[], current: FlagLiveState): FlagLiveState {
  const firstEnabled = sorted.find((c) => touched(c.from, 'enabled') || touched(c.to, 'enabled'));
  const firstExposure = sorted.find((c) => touched(c.from, 'exposure') || touched(c.to, 'exposure'));
  return {
    enabled: firstEnabled ? (firstEnabled.from?.enabled ?? null) : current.enabled,
    exposure: firstExposure ? (firstExposure.from?.exposure ?? null) : current.exposure,
  };
}

function apply(s: FlagLiveState, to: ChangeState | null): FlagLiveState {
  if (!to) return s;
  return {
    enabled: to.enabled !== undefined ? to.enabled : s.enabled,
    exposure: to.exposure !== undefined ? to.exposure : s.exposure,
  };
}

/**
 * Bands over [from, to]. `changes` may include changes before `from` (they set the starting state) and after
 * `to` (ignored). Adjacent bands with the same label are merged.
 */
export function rampBands(
  changes: readonly FlagChange[],
  from: number,
  to: number,
  current: FlagLiveState,
): RampBand[] {
  if (!(to > from)) return [];
  const sorted = changes.filter(isRampChange).sort((a, b) => a.at - b.at);
  let state = initialState(sorted, current);
  let start = from;
  const bands: RampBand[] = [];
  const push = (end: number): void => {
    const a = Math.max(start, from);
    const b = Math.min(end, to);
    if (b <= a) return;
    // Unknown state (before a flag was created, or history too short to tell): no band rather than a guess.
    if (state.enabled === null && state.exposure === null) return;
    const label = bandLabel(state);
    const last = bands[bands.length - 1];
    if (last && last.label === label && last.to === a) {
      last.to = b;
      return;
    }
    bands.push({
      from: a,
      to: b,
      enabled: state.enabled,
      exposure: state.exposure,
      effective: effectiveExposure(state),
      label,
    });
  };
  for (const c of sorted) {
    if (c.at > to) break;
    push(c.at);
    state = apply(state, c.to);
    start = c.at;
  }
  push(to);
  return bands;
}

/** Fill opacity of a band: deeper for a larger exposure, none when off. */
export function bandOpacity(effective: number | null): number {
  if (effective === null || effective <= 0) return 0;
  return 0.05 + 0.13 * Math.min(1, effective / 100);
}
