/**
 * UI state (zustand): which view, which flag/environment, the visible time range or zoom, the baseline shown, the
 * display time zone, and the shared hover time that draws one crosshair across all charts. Data from the core is
 * NOT here — it lives in the query cache. The address bar mirrors view, flag, range and baseline (lib/deep-link.ts).
 */
import { create } from 'zustand';
import type { BaselineKind } from '../../../shared/domain/verdict';
import { HOUR, setDisplayZone, type DisplayZone } from '../lib/time';
import type { FlagSelection } from '../lib/filters';
import { formatLink, parseLink, type LinkState, type ViewId } from '../lib/deep-link';

export { RANGE_PRESETS, VIEW_IDS, type ViewId } from '../lib/deep-link';
export type { FlagSelection };

export interface UiState {
  view: ViewId;
  selection: FlagSelection | null;
  /** Span of the live window ending now. */
  rangeMs: number;
  /** A fixed window chosen by dragging on a chart; null = live (last `rangeMs`, moving with `liveNow`). */
  zoom: { from: number; to: number } | null;
  /** "Now" of the live window; advanced by series:tick (throttled), so every chart shares one window. */
  liveNow: number;
  /** The baseline the verdict panel shows; null = the decision's own (what the buttons act on). */
  baseline: BaselineKind | null;
  timeZone: DisplayZone;
  hoverTime: number | null;
  flagListOpen: boolean;
  /** Series the user showed or hid from the legend, by series key; others follow `defaultVisible`. */
  seriesVisibility: Record<string, boolean>;
  setView(view: ViewId): void;
  select(selection: FlagSelection): void;
  setRange(ms: number): void;
  setZoom(zoom: { from: number; to: number } | null): void;
  advanceLiveNow(now: number): void;
  setBaseline(kind: BaselineKind | null): void;
  setTimeZone(zone: DisplayZone): void;
  setHoverTime(t: number | null): void;
  setFlagListOpen(open: boolean): void;
  setSeriesVisible(key: string, visible: boolean): void;
}

const SELECTION_KEY = 'rampart.selection';
const ZONE_KEY = 'rampart.timeZone';

function stored<T>(key: string, parse: (raw: string) => T | null): T | null {
  try {
    const raw = window.localStorage.getItem(key);
    return raw === null ? null : parse(raw);
  } catch {
    return null;
  }
}

function remember(key: string, value: string): void {
  try {
    window.localStorage.setItem(key, value);
  } catch {
    // storage full or disabled: the choice just isn't remembered
  }
}

function parseSelection(raw: string): FlagSelection | null {
  const s = JSON.parse(raw) as Partial<FlagSelection>;
  return typeof s.connectionId === 'string' && typeof s.flagKey === 'string' && typeof s.env === 'string'
    ? { connectionId: s.connectionId, flagKey: s.flagKey, env: s.env }
    : null;
}

const link = parseLink(window.location.hash);
const initialZone: DisplayZone = stored(ZONE_KEY, (z) => (z === 'utc' || z === 'local' ? z : null)) ?? 'local';
setDisplayZone(initialZone);

export const useUi = create<UiState>((set) => ({
  view: link.view ?? 'canary',
  selection: link.selection ?? stored(SELECTION_KEY, parseSelection),
  rangeMs: link.rangeMs ?? 24 * HOUR,
  zoom: link.zoom ?? null,
  liveNow: Date.now(),
  baseline: link.baseline ?? null,
  timeZone: initialZone,
  hoverTime: null,
  flagListOpen: window.innerWidth >= 1100,
  seriesVisibility: {},
  setView: (view) => set({ view }),
  select: (selection) => {
    remember(SELECTION_KEY, JSON.stringify(selection));
    set({ selection, zoom: null, hoverTime: null, liveNow: Date.now() });
  },
  setRange: (rangeMs) => set({ rangeMs, zoom: null, liveNow: Date.now() }),
  setZoom: (zoom) => set(zoom ? { zoom } : { zoom: null, liveNow: Date.now() }),
  advanceLiveNow: (now) => set((s) => (s.zoom ? s : { liveNow: now })),
  setBaseline: (baseline) => set({ baseline }),
  setTimeZone: (timeZone) => {
    setDisplayZone(timeZone);
    remember(ZONE_KEY, timeZone);
    set({ timeZone });
  },
  setHoverTime: (hoverTime) => set({ hoverTime }),
  setFlagListOpen: (flagListOpen) => set({ flagListOpen }),
  setSeriesVisible: (key, visible) => set((s) => ({ seriesVisibility: { ...s.seriesVisibility, [key]: visible } })),
}));

/** The address bar follows the state (replaceState: no history entry per zoom). */
function linkOf(s: UiState): LinkState {
  return { view: s.view, selection: s.selection, rangeMs: s.rangeMs, zoom: s.zoom, baseline: s.baseline };
}
useUi.subscribe((s) => {
  const next = formatLink(linkOf(s));
  if (window.location.hash !== next)
    window.history.replaceState(null, '', `${window.location.pathname}${window.location.search}${next}`);
});
// A link pasted into the address bar of an open page (hashchange) is followed too.
window.addEventListener('hashchange', () => {
  const l = parseLink(window.location.hash);
  const s = useUi.getState();
  useUi.setState({
    view: l.view ?? s.view,
    selection: l.selection ?? s.selection,
    rangeMs: l.rangeMs ?? s.rangeMs,
    zoom: l.zoom ?? null,
    baseline: l.baseline ?? null,
  });
});

/** The visible [from, to]: the zoom if any, else the live window. */
export function visibleRange(s: Pick<UiState, 'zoom' | 'liveNow' | 'rangeMs'>): { from: number; to: number } {
  return s.zoom ?? { from: s.liveNow - s.rangeMs, to: s.liveNow };
}
