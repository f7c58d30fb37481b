/**
 * The time windows a verdict compares (docs/statistics.md, "Three baselines"):
 *  - canary: from the change + warm-up (1 step of the query) to now;
 *  - pre: the same length, ending at the change − guard (1 step), so neither window holds the transition;
 *  - seasonal: the canary window shifted back one week (or one day), to expose diurnal effects;
 *  - control: the canary window itself, other arm (the variant label splits the series).
 */
import type { BaselineKind } from '../domain/verdict';
import { formatDuration } from './format';

export type SeasonalPeriod = 'week' | 'day';

export const PERIOD_MS: Record<SeasonalPeriod, number> = { week: 7 * 24 * 3600_000, day: 24 * 3600_000 };

export interface TimeWindow {
  from: number;
  to: number;
}

export interface VerdictWindows {
  canary: TimeWindow & { label: string };
  baseline: TimeWindow & { kind: BaselineKind; label: string };
  /** False when the canary window is still empty (now is within the warm-up). */
  ready: boolean;
  reason: string;
}

export interface WindowOptions {
  /** Epoch ms of the flag change the canary window starts at. */
  changeAt: number;
  now: number;
  /** Query step in ms (warm-up and guard are one step each by default). */
  stepMs: number;
  kind: BaselineKind;
  seasonalPeriod?: SeasonalPeriod;
  warmupSteps?: number;
  guardSteps?: number;
}

export function verdictWindows(options: WindowOptions): VerdictWindows {
  const step = options.stepMs > 0 && Number.isFinite(options.stepMs) ? options.stepMs : 60_000;
  const warmup = (options.warmupSteps ?? 1) * step;
  const guard = (options.guardSteps ?? 1) * step;
  const from = options.changeAt + warmup;
  const to = Math.max(from, options.now);
  const length = to - from;
  const ready = options.now > from;
  const canary = {
    from,
    to,
    label: `canary: ${formatDuration(length)} since the change (after ${formatDuration(warmup)} warm-up)`,
  };
  const reason = ready
    ? 'ok'
    : `waiting for the warm-up: the canary window opens ${formatDuration(warmup)} after the change`;
  if (options.kind === 'control') {
    return { canary, baseline: { from, to, kind: 'control', label: 'control arm, same window' }, ready, reason };
  }
  if (options.kind === 'seasonal') {
    const period = options.seasonalPeriod ?? 'week';
    const shift = PERIOD_MS[period];
    return {
      canary,
      baseline: { from: from - shift, to: to - shift, kind: 'seasonal', label: `same window one ${period} earlier` },
      ready,
      reason,
    };
  }
  const baselineTo = options.changeAt - guard;
  return {
    canary,
    baseline: {
      from: baselineTo - length,
      to: baselineTo,
      kind: 'pre',
      label: `pre-rollout: ${formatDuration(length)} ending ${formatDuration(guard)} before the change`,
    },
    ready,
    reason,
  };
}
