/**
 * Plan steps as bands for the charts (issue 12: "plan steps drawn as bands"), for the chart layers to draw: one
 * band per step the plan held in [from, to], labelled "plan step 2/5 · 5%", with how it ended (advanced,
 * rolled-back, completed, aborted, paused, current). Refetched when a plan changes.
 */
import { useMemo } from 'react';
import type { Watch } from '../../../../shared/domain/metrics';
import type { PlanBand } from '../../../../shared/domain/plans';
import { bandFetchWindow, bandsInView } from '../../charts/plan-band-layout';
import { useQuery } from '../../data/use-query';

const NO_BANDS: PlanBand[] = [];

/**
 * One flag's bands, asked once for a wide window (bandFetchWindow) and cut to the view here: a zoom, a pan or a live
 * tick is a new x-window over bands the renderer already has, so it never waits on `plans:bands` (issue 15).
 */
export function usePlanBands(
  watch: Pick<Watch, 'flagConnectionId' | 'flagKey' | 'env'>,
  from: number,
  to: number,
): PlanBand[] {
  const wide = bandFetchWindow(from, to, Date.now());
  const key = { connectionId: watch.flagConnectionId, flagKey: watch.flagKey, env: watch.env, ...wide };
  const q = useQuery('plans:bands', key, {
    refetchOn: ['plans:updated'],
    keepPreviousIn: `${watch.flagConnectionId}/${watch.flagKey}/${watch.env}`,
  });
  const all = q.data ?? NO_BANDS;
  // Same bands and window → the same array, so the memoized chart layers see no change.
  return useMemo(() => bandsInView(all, from, to, Math.min(to, Date.now())), [all, from, to]);
}

/** Every plan's steps in [from, to], across flags and stores (the incident view's chart). */
export function usePlanBandsAcross(from: number, to: number): PlanBand[] {
  const q = useQuery(
    'plans:bands',
    { from: Math.floor(from / 10_000) * 10_000, to: Math.ceil(to / 10_000) * 10_000 },
    { refetchOn: ['plans:updated'], keepPreviousIn: 'all-plans' },
  );
  return q.data ?? [];
}
