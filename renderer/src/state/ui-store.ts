/**
 * UI state (zustand): which view, which flag/environment, the visible time range or zoom, the baseline kind,
 * and the shared hover time that draws one crosshair across all charts. Data from the core is NOT here — it
 * lives in the query cache.
 */
import { create } from 'zustand';
import type { BaselineKind } from '../../../shared/domain/verdict';
import { HOUR } from '../lib/time';
import type { FlagSelection } from '../lib/filters';

export type ViewId = 'canary' | 'incident' | 'cohorts' | 'audit' | 'connections';
export const VIEW_IDS: readonly ViewId[] = ['canary', 'incident', 'cohorts', 'audit', 'connections'];

export type { FlagSelection };

export const RANGE_PRESETS = [
  { label: '1h', ms: HOUR },
  { label: '6h', ms: 6 * HOUR },
  { label: '24h', ms: 24 * HOUR },
  { label: '3d', ms: 72 * HOUR },
  { label: '7d', ms: 168 * HOUR },
] as const;

export interface UiState {
  view: ViewId;
  selection: FlagSelection | null;
  /** Span of the live window ending now. */
  rangeMs: number;
  /** A fixed window chosen by dragging on a chart; null = live (last `rangeMs`, moving with `liveNow`). */
  zoom: { from: number; to: number } | null;
  /** "Now" of the live window; advanced by series:tick (throttled), so every chart shares one window. */
  liveNow: number;
  baseline: BaselineKind;
  hoverTime: number | null;
  flagListOpen: boolean;
  /** Series the user showed or hid from the legend, by series key; others follow `defaultVisible`. */
  seriesVisibility: Record<string, boolean>;
  setView(view: ViewId): void;
  select(selection: FlagSelection): void;
  setRange(ms: number): void;
  setZoom(zoom: { from: number; to: number } | null): void;
  advanceLiveNow(now: number): void;
  setBaseline(kind: BaselineKind): void;
  setHoverTime(t: number | null): void;
  setFlagListOpen(open: boolean): void;
  setSeriesVisible(key: string, visible: boolean): void;
}

const SELECTION_KEY = 'rampart.selection';

function loadSelection(): FlagSelection | null {
  try {
    const raw = window.localStorage.getItem(SELECTION_KEY);
    if (!raw) return null;
    const s = JSON.parse(raw) as Partial<FlagSelection>;
    return typeof s.connectionId === 'string' && typeof s.flagKey === 'string' && typeof s.env === 'string'
      ? { connectionId: s.connectionId, flagKey: s.flagKey, env: s.env }
      : null;
  } catch {
    return null;
  }
}

function viewFromHash(): ViewId {
  const h = window.location.hash.replace(/^#\/?/, '');
  return VIEW_IDS.find((v) => v === h) ?? 'canary';
}

export const useUi = create<UiState>((set) => ({
  view: viewFromHash(),
  selection: loadSelection(),
  rangeMs: 24 * HOUR,
  zoom: null,
  liveNow: Date.now(),
  baseline: 'pre',
  hoverTime: null,
  flagListOpen: true,
  seriesVisibility: {},
  setView: (view) => {
    window.history.replaceState(null, '', `#/${view}`);
    set({ view });
  },
  select: (selection) => {
    try {
      window.localStorage.setItem(SELECTION_KEY, JSON.stringify(selection));
    } catch {
      // storage full or disabled: the choice just isn't remembered
    }
    set({ selection, zoom: null, hoverTime: null, liveNow: Date.now() });
  },
  setRange: (rangeMs) => set({ rangeMs, zoom: null, liveNow: Date.now() }),
  setZoom: (zoom) => set(zoom ? { zoom } : { zoom: null, liveNow: Date.now() }),
  advanceLiveNow: (now) => set((s) => (s.zoom ? s : { liveNow: now })),
  setBaseline: (baseline) => set({ baseline }),
  setHoverTime: (hoverTime) => set({ hoverTime }),
  setFlagListOpen: (flagListOpen) => set({ flagListOpen }),
  setSeriesVisible: (key, visible) => set((s) => ({ seriesVisibility: { ...s.seriesVisibility, [key]: visible } })),
}));

/** The visible [from, to]: the zoom if any, else the live window. */
export function visibleRange(s: Pick<UiState, 'zoom' | 'liveNow' | 'rangeMs'>): { from: number; to: number } {
  return s.zoom ?? { from: s.liveNow - s.rangeMs, to: s.liveNow };
}
