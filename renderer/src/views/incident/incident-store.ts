/**
 * What the incident timeline looks at: a watch, one of its metrics, and a fixed window (a preset ending at the
 * moment it was chosen, or a window dragged on the chart). An incident is analysed over a window that stays put
 * while the responder reads it — unlike the canary watch, it does not slide with "now".
 */
import { create } from 'zustand';
import { HOUR, MINUTE } from '../../lib/time';

export const INCIDENT_PRESETS = [
  { label: '1h', ms: HOUR },
  { label: '6h', ms: 6 * HOUR },
  { label: '24h', ms: 24 * HOUR },
] as const;

/** The end of a preset window: the next whole minute, so re-opening the view within a minute hits the cache. */
export function anchorFor(now: number): number {
  return Math.ceil(now / MINUTE) * MINUTE;
}

export interface IncidentState {
  watchId: string | null;
  /** Who picked the watch: the scan (the service that regressed) until the user picks one. */
  chosenBy: 'scan' | 'user' | null;
  metric: string | null;
  rangeMs: number;
  /** End of the preset window. */
  anchor: number;
  /** A window dragged on the chart; null = the preset window. */
  zoom: { from: number; to: number } | null;
  setWatch(watchId: string): void;
  /** Open on what the scan found: its watch, metric and the preset window that holds the onset. */
  openOn(o: { watchId: string; metric: string; rangeMs: number }): void;
  setMetric(metric: string): void;
  setRange(ms: number): void;
  setZoom(zoom: { from: number; to: number } | null): void;
  /** Move the preset window's end to now. */
  refreshNow(): void;
}

export const useIncident = create<IncidentState>((set) => ({
  watchId: null,
  chosenBy: null,
  metric: null,
  rangeMs: 6 * HOUR,
  anchor: anchorFor(Date.now()),
  zoom: null,
  setWatch: (watchId) => set({ watchId, metric: null, chosenBy: 'user' }),
  openOn: (o) => set({ watchId: o.watchId, metric: o.metric, rangeMs: o.rangeMs, zoom: null, chosenBy: 'scan' }),
  setMetric: (metric) => set({ metric, chosenBy: 'user' }),
  setRange: (rangeMs) => set({ rangeMs, zoom: null, anchor: anchorFor(Date.now()) }),
  setZoom: (zoom) => set({ zoom }),
  refreshNow: () => set({ zoom: null, anchor: anchorFor(Date.now()) }),
}));

export function incidentWindow(s: Pick<IncidentState, 'zoom' | 'anchor' | 'rangeMs'>): { from: number; to: number } {
  return s.zoom ?? { from: s.anchor - s.rangeMs, to: s.anchor };
}

/** The metric to analyse by default: the critical latency metric, else any latency metric, else the first. */
export function defaultMetric(metrics: readonly { name: string; kind: string; critical: boolean }[]): string | null {
  return (
    metrics.find((m) => m.kind === 'latency' && m.critical)?.name ??
    metrics.find((m) => m.kind === 'latency')?.name ??
    metrics[0]?.name ??
    null
  );
}
