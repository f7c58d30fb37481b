/**
 * Colour of a change marker on the canary watch: neutral light tones the series never use (blues, reds, greens,
 * yellows and oranges are the metrics'), told apart by what the change did — more exposure white, less (or off) a
 * cool grey, the rest a dim grey. The label's arrow says the direction in words for colour-blind eyes too.
 */
import type { FlagChange } from '../../../shared/domain/flags';
import { effectiveExposure } from '../lib/bands';

export const MARKER_UP = '#f4f4f4';
export const MARKER_DOWN = '#b8c4d6';
export const MARKER_OTHER = '#8a919c';

/** +1 more exposure, −1 less (or off), 0 anything else. */
export function changeDirection(c: FlagChange): 1 | -1 | 0 {
  if (c.kind === 'created' || c.kind === 'archived') return 0;
  const before = effectiveExposure({ enabled: c.from?.enabled ?? null, exposure: c.from?.exposure ?? null });
  const after = effectiveExposure({ enabled: c.to?.enabled ?? null, exposure: c.to?.exposure ?? null });
  // Both known: the effective exposure decides (a ramp of an off flag exposes nobody: neither up nor down).
  if (before !== null && after !== null) return after > before ? 1 : after < before ? -1 : 0;
  if (c.to?.enabled === false) return -1;
  if (c.to?.enabled === true) return 1;
  return 0;
}

export function markerColor(c: FlagChange): string {
  const d = changeDirection(c);
  return d > 0 ? MARKER_UP : d < 0 ? MARKER_DOWN : MARKER_OTHER;
}

/** "▲ rollout 5% → 25%", "▼ rollout 50% → 0%": the direction in the label, not only in the colour. */
export function markerText(c: FlagChange): string {
  const d = changeDirection(c);
  return `${d > 0 ? '▲ ' : d < 0 ? '▼ ' : ''}${c.label}`;
}
