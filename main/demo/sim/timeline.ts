import type { FlagStateKey } from './assignment';

/** A flag's state from `at` on (epoch ms), as the core replays it from stored changes and the live file. */
export interface TimelineEntry {
  at: number;
  enabled: boolean;
  exposure: number | null;
}

/**
 * Share of users on the treatment during each step (stepEnd − stepMs, stepEnd], weighted by how long each flag
 * state lasted inside the step. Before the first entry the flag did not exist: everyone is on the control path.
 * `stepEnds` ascending.
 */
export function treatedShares(
  entries: readonly TimelineEntry[],
  stepEnds: ArrayLike<number>,
  stepMs: number,
  shareOf: (state: FlagStateKey) => number,
): Float64Array {
  const sorted = entries
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.at - b.e.at || a.i - b.i)
    .map(({ e }) => e);
  const out = new Float64Array(stepEnds.length);
  const shareAt = (k: number): number =>
    k < 0 ? 0 : shareOf({ enabled: sorted[k].enabled, exposure: sorted[k].exposure });
  let k = -1; // index of the last entry at or before the current position
  for (let s = 0; s < stepEnds.length; s++) {
    const end = stepEnds[s];
    let cursor = end - stepMs;
    while (k + 1 < sorted.length && sorted[k + 1].at <= cursor) k++;
    let weighted = 0;
    while (k + 1 < sorted.length && sorted[k + 1].at <= end) {
      const next = sorted[k + 1].at;
      weighted += (next - cursor) * shareAt(k);
      cursor = next;
      k++;
    }
    weighted += (end - cursor) * shareAt(k);
    out[s] = weighted / stepMs;
  }
  return out;
}
