/**
 * The canary view asks for its watch's 7-day answer ahead of the click (issue 15: "the first 7-day click is warm"):
 * a few seconds after its charts first painted, when the page is idle, once per watch and page load. Nothing is asked
 * before the first paint, so cold start is not slowed; the series answer waits in api/series-prefetch.ts for the
 * click, the flag's 7-day history (the markers) in the query cache under the key the charts will ask, watched
 * while the view is open.
 */
import { useEffect } from 'react';
import type { FlagRow } from '../../../../shared/contract';
import { seriesPrefetch } from '../../api';
import { viewPayload } from '../../api/series-prefetch';
import { historyWindow } from '../../data/first-view';
import { queryClient } from '../../data/query';
import { plotWidth, requestWidth } from '../../lib/chart-geometry';
import { RANGE_PRESETS, useUi } from '../../state/ui-store';
import { alignToColumns } from '../../workers/m4-client';

const WEEK_MS = RANGE_PRESETS.find((p) => p.label === '7d')!.ms;
/** After the first paint: the first view's own calls and the first live push come first. */
const AFTER_PAINT_MS = 2_000;
const asked = new Set<string>();

export function useWeekPrefetch(
  watchId: string,
  flag: Pick<FlagRow, 'connectionId' | 'flagKey' | 'env'>,
  chartWidth: number,
  painted: boolean,
): void {
  const { connectionId, flagKey, env } = flag;
  useEffect(() => {
    if (!painted || chartWidth <= 0 || asked.has(watchId)) return;
    let idle: number | null = null;
    let unwatch: (() => void) | null = null;
    const ask = (): void => {
      const s = useUi.getState();
      if (s.rangeMs === WEEK_MS && s.zoom === null) return; // the week is on screen already
      asked.add(watchId);
      const now = Date.now();
      seriesPrefetch.prefetch(viewPayload(watchId, now - WEEK_MS, now, requestWidth(chartWidth), s.seriesVisibility));
      // The window the charts will draw (the live one snapped to its columns, series-view.ts), so the history key
      // is theirs; watched from here (kept, and refetched on a flag change) until the view closes.
      const w = alignToColumns(now - WEEK_MS, now, plotWidth(chartWidth));
      const history = { connectionId, flagKey, env, ...historyWindow(w.from, w.to, true) };
      unwatch = queryClient.subscribe('flags:history', history, ['flags:changed'], () => undefined);
    };
    const timer = setTimeout(() => {
      if (typeof window.requestIdleCallback === 'function') idle = window.requestIdleCallback(ask, { timeout: 5_000 });
      else ask();
    }, AFTER_PAINT_MS);
    return () => {
      clearTimeout(timer);
      if (idle !== null) window.cancelIdleCallback(idle);
      unwatch?.();
    };
  }, [watchId, connectionId, flagKey, env, chartWidth, painted]);
}
