import { createSimulatedProvider, type TimelineEntry } from '../../main/demo';
import type { Series } from '../../main/metrics/metrics-provider';

export const MIN = 60_000;
export const HOUR = 3_600_000;
/** A fixed "now": 16:00 UTC, the afternoon peak. */
export const NOW = Date.UTC(2025, 5, 10, 16, 0, 0);

export type Timelines = Record<string, TimelineEntry[]>;

export function provider(timelines: Timelines, now = NOW) {
  return createSimulatedProvider({
    connectionId: 'demo-metrics',
    timeline: (flagKey) => timelines[flagKey] ?? [],
    now: () => now,
  });
}

/** Mean of the finite values in [from, to). */
export function mean(s: Series, from = -Infinity, to = Infinity): number {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < s.t.length; i++) {
    if (s.t[i] >= from && s.t[i] < to && Number.isFinite(s.v[i])) {
      sum += s.v[i];
      n++;
    }
  }
  return sum / n;
}

export function sum(s: Series, from = -Infinity, to = Infinity): number {
  let total = 0;
  for (let i = 0; i < s.t.length; i++) if (s.t[i] >= from && s.t[i] < to) total += s.v[i];
  return total;
}

export function byVariant(series: Series[], variant: string): Series {
  const s = series.find((x) => x.labels.feature_flag_result_variant === variant);
  if (!s) throw new Error(`no series for variant ${variant}`);
  return s;
}
