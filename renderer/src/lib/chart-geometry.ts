/**
 * One geometry for every chart of the stack, so they share a time axis pixel for pixel: fixed margins and fixed
 * axis widths put the plot area at the same x in each chart. The overlays (crosshair, drag-to-zoom, tooltip)
 * map between pixels and time with these functions instead of asking the chart.
 */
export const AXIS_WIDTH = 56;
/** `top` leaves room for the axis units above the plot (chart-layers.tsx AxisUnits). */
export const MARGIN = { top: 18, right: 8, bottom: 2, left: 4 } as const;
export const X_AXIS_HEIGHT = 22;
/** Pixels from the chart's left edge to the plot area. */
export const PLOT_LEFT = MARGIN.left + AXIS_WIDTH;
/** Pixels from the plot area's right edge to the chart's right edge (every chart reserves a right axis). */
export const PLOT_RIGHT = MARGIN.right + AXIS_WIDTH;

export function plotWidth(chartWidth: number): number {
  return Math.max(0, chartWidth - PLOT_LEFT - PLOT_RIGHT);
}

/**
 * The `width` sent to series:range: the plot's pixel width rounded down to 10 px, so a window resized by a few
 * pixels reuses the cached answer; rounding down keeps the core's 4 × width points within the budget.
 */
export function requestWidth(chartWidth: number): number {
  return Math.min(8000, Math.max(10, Math.floor(plotWidth(chartWidth) / 10) * 10));
}

export function timeToX(t: number, from: number, to: number, widthPx: number): number {
  if (!(to > from)) return 0;
  return ((t - from) / (to - from)) * widthPx;
}

export function xToTime(x: number, from: number, to: number, widthPx: number): number {
  if (widthPx <= 0) return from;
  const clamped = Math.min(Math.max(x, 0), widthPx);
  return from + (clamped / widthPx) * (to - from);
}

/** A drag shorter than this many pixels is a click, not a zoom. */
export const MIN_DRAG_PX = 6;

/** The zoom window for a drag from x0 to x1 (either direction), or null when it was just a click. */
export function dragToZoom(
  x0: number,
  x1: number,
  from: number,
  to: number,
  widthPx: number,
): { from: number; to: number } | null {
  if (Math.abs(x1 - x0) < MIN_DRAG_PX) return null;
  const a = xToTime(Math.min(x0, x1), from, to, widthPx);
  const b = xToTime(Math.max(x0, x1), from, to, widthPx);
  return b - a >= 1_000 ? { from: Math.round(a), to: Math.round(b) } : null;
}
