/** Colour of a change marker by what it did: more exposure amber, less (or off) red, anything else grey. */
import type { FlagChange } from '../../../../shared/domain/flags';
import { effectiveExposure } from '../../lib/bands';

export function markerColor(c: FlagChange): string {
  const before = effectiveExposure({ enabled: c.from?.enabled ?? null, exposure: c.from?.exposure ?? null });
  const after = effectiveExposure({ enabled: c.to?.enabled ?? null, exposure: c.to?.exposure ?? null });
  if (before !== null && after !== null) {
    if (after > before) return '#f5b73b';
    if (after < before) return '#ff5f6d';
  }
  if (c.to?.enabled === false) return '#ff5f6d';
  if (c.to?.enabled === true) return '#f5b73b';
  return '#b0b7c3';
}
