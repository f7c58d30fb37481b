/**
 * The first view of a flag, asked together (issue 15: not chained through renders): as soon as a flag is selected —
 * at start from the link or the remembered choice, or by a click — its state, its plan, its history over the window
 * and its watch are asked at once; when the watch is known, its decision and its charts' series follow in the same
 * task. The components that show them later find the answers cached or in flight under the same keys.
 */
import type { ResponseOf } from '../../../shared/contract';
import type { FlagSelection } from '../lib/filters';
import { useUi, visibleRange } from '../state/ui-store';
import { queryClient } from './query';
import { aimSeriesView } from './series-views';

const SIX_HOURS = 6 * 3_600_000;
/** The chart area is the canary column less its panel's padding and border (styles/base.css .panel). */
const PANEL_INSET = 2 * (12 + 1);

/**
 * The flag-history window asked for a chart window: the window itself when zoomed; around the live one, aligned to
 * 6 hours so the key stays the same while the window slides (a new change comes by push and refetches it).
 */
export function historyWindow(from: number, to: number, live: boolean): { from: number; to: number } {
  if (!live) return { from: Math.floor(from), to: Math.ceil(to) };
  return { from: Math.floor(from / SIX_HOURS) * SIX_HOURS, to: Math.ceil(to / SIX_HOURS) * SIX_HOURS + SIX_HOURS };
}

/** The charts' width before they are laid out: the canary column is on screen before any data arrives. */
function estimatedChartWidth(): number {
  const main = document.querySelector('.canary-main');
  return main ? Math.max(0, main.clientWidth - PANEL_INSET) : 0;
}

export function prefetchFlagView(sel: FlagSelection): void {
  const ids = { connectionId: sel.connectionId, flagKey: sel.flagKey };
  const ui = useUi.getState();
  const range = visibleRange(ui);
  void queryClient.prefetch('flags:get', ids);
  void queryClient.prefetch('plans:forFlag', { ...ids, env: sel.env });
  void queryClient.prefetch('flags:history', {
    ...ids,
    env: sel.env,
    ...historyWindow(range.from, range.to, ui.zoom === null),
  });
  void queryClient.prefetch('watches:forFlag', { ...ids, env: sel.env }).then((answer) => {
    const w = answer as ResponseOf<'watches:forFlag'> | undefined;
    if (!w?.saved || w.watch.id === '') return;
    void queryClient.prefetch('decision:get', { watchId: w.watch.id });
    const width = estimatedChartWidth();
    if (width > 0) aimSeriesView(w.watch.id, width);
  });
}

/** Wires the prefetch to the selection: the one known at start, and every later one. Returns the unwiring. */
export function connectFirstView(): () => void {
  const first = useUi.getState().selection;
  if (first) prefetchFlagView(first);
  return useUi.subscribe((s, prev) => {
    if (s.selection && s.selection !== prev.selection) prefetchFlagView(s.selection);
  });
}
