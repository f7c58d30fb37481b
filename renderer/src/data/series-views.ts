/**
 * The page's SeriesViews (series-view.ts), one per watch, wired to the api, the UI store and the M4 clients:
 *  - the target of a watch's view follows the UI store synchronously (a zustand subscription): a range click, a
 *    drag-zoom or a legend toggle reaches the view — and, if needed, the core — in the input's own task, before any
 *    React render;
 *  - pushed points (`series:appended`, live.ts) go to the watch's view;
 *  - a view nobody shows is kept for a while (switching back to a flag draws at once), then dropped.
 * `useSeriesView` is the charts' React face.
 */
import { useEffect, useSyncExternalStore } from 'react';
import type { SeriesAppended } from '../../../shared/contract/domains/watches';
import { api } from '../api';
import { plotWidth, requestWidth } from '../lib/chart-geometry';
import { useUi, visibleRange, type UiState } from '../state/ui-store';
import { createM4Client, createM4Pool, inThreadM4, type M4Client } from '../workers/m4-client';
import { SeriesView, type SeriesFrame, type ViewTarget } from './series-view';

/** Above this many points an answer's series go to the M4 worker pool; below, a worker round trip costs more than M4. */
export const WORKER_POINTS = 200_000;
const KEEP_MS = 60_000;

let small: M4Client | null = null;
let pool: M4Client | null = null;
function m4For(points: number): M4Client {
  if (points > WORKER_POINTS) return (pool ??= createM4Pool());
  return (small ??= createM4Client(inThreadM4));
}

interface Entry {
  view: SeriesView;
  refs: number;
  chartWidth: number;
  gc: ReturnType<typeof setTimeout> | null;
}

const entries = new Map<string, Entry>();

function targetOf(
  s: Pick<UiState, 'zoom' | 'liveNow' | 'rangeMs' | 'seriesVisibility'>,
  chartWidth: number,
): ViewTarget {
  const { from, to } = visibleRange(s);
  return {
    from,
    to,
    live: s.zoom === null,
    plotWidth: plotWidth(chartWidth),
    requestWidth: requestWidth(chartWidth),
    overrides: s.seriesVisibility,
  };
}

function entryFor(watchId: string): Entry {
  let e = entries.get(watchId);
  if (!e) {
    const view = new SeriesView(watchId, {
      call: (payload) => api.call('series:view', payload),
      m4For,
      now: () => Date.now(),
    });
    e = { view, refs: 0, chartWidth: 0, gc: null };
    entries.set(watchId, e);
  }
  return e;
}

/** Sets a view's target from the UI store now (the charts' width known or estimated). */
export function aimSeriesView(watchId: string, chartWidth: number): SeriesView {
  const e = entryFor(watchId);
  if (chartWidth > 0) e.chartWidth = chartWidth;
  if (e.chartWidth > 0) e.view.setTarget(targetOf(useUi.getState(), e.chartWidth));
  if (e.refs === 0 && !e.gc) scheduleDrop(watchId, e); // aimed ahead of its charts (first-view.ts)
  return e.view;
}

function scheduleDrop(watchId: string, e: Entry): void {
  e.gc = setTimeout(() => {
    e.gc = null;
    if (e.refs > 0) return;
    e.view.dispose();
    entries.delete(watchId);
  }, KEEP_MS);
}

// Every change of window or visibility reaches the shown views in the input's own task.
useUi.subscribe((s, prev) => {
  if (
    s.zoom === prev.zoom &&
    s.liveNow === prev.liveNow &&
    s.rangeMs === prev.rangeMs &&
    s.seriesVisibility === prev.seriesVisibility
  )
    return;
  for (const e of entries.values()) if (e.refs > 0 && e.chartWidth > 0) e.view.setTarget(targetOf(s, e.chartWidth));
});

/** A push: the watch's view appends it (views of other watches are not held, so nothing else is touched). */
export function applyAppended(p: SeriesAppended): void {
  void entries.get(p.watchId)?.view.append(p);
}

/** Everything held is old (the core was unreachable): every shown view asks again. */
export function refreshSeriesViews(): void {
  for (const e of entries.values()) if (e.refs > 0) e.view.refresh();
}

function acquire(watchId: string): () => void {
  const e = entryFor(watchId);
  e.refs++;
  if (e.gc) clearTimeout(e.gc);
  e.gc = null;
  return () => {
    e.refs--;
    if (e.refs === 0) scheduleDrop(watchId, e);
  };
}

const NO_FRAME = (): null => null;
const IDLE = { fetching: false, error: null };

export function useSeriesView(
  watchId: string | null,
  chartWidth: number,
): {
  frame: SeriesFrame | null;
  fetching: boolean;
  error: ReturnType<SeriesView['status']>['error'];
  view: SeriesView | null;
} {
  const view = watchId ? entryFor(watchId).view : null;
  useEffect(() => (watchId ? acquire(watchId) : undefined), [watchId]);
  useEffect(() => {
    if (watchId && chartWidth > 0) aimSeriesView(watchId, chartWidth);
  }, [watchId, chartWidth]);
  const frame = useSyncExternalStore(
    (l) => view?.subscribe(l) ?? (() => undefined),
    view ? () => view.getFrame() : NO_FRAME,
  );
  // The status object is rebuilt per read: subscribe to changes, read it during render.
  useSyncExternalStore(
    (l) => view?.subscribe(l) ?? (() => undefined),
    () => (view ? `${view.status().fetching}|${view.status().error?.message ?? ''}` : ''),
  );
  const status = view?.status() ?? IDLE;
  return { frame, fetching: status.fetching, error: status.error, view };
}
