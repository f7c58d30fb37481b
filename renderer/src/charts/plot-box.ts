/**
 * Where a chart's plot sits and how data maps onto it: one geometry for every layer of a TimeChart (grid, reference
 * areas, the line canvases, axes, markers, labels) and for the HTML overlays, so they agree pixel for pixel. The
 * margins are the app's chart geometry (lib/chart-geometry.ts): a left axis, a right axis slot, units above the plot.
 */
import { AXIS_WIDTH, MARGIN, X_AXIS_HEIGHT } from '../lib/chart-geometry';

export interface PlotBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A linear map from data to pixels: px = a + value · k. */
export interface LinearScale {
  a: number;
  k: number;
}

export function plotBox(width: number, height: number, showXAxis: boolean): PlotBox {
  const x = MARGIN.left + AXIS_WIDTH;
  const right = MARGIN.right + AXIS_WIDTH;
  const y = MARGIN.top;
  return {
    x,
    y,
    width: Math.max(0, width - x - right),
    height: Math.max(0, height - y - MARGIN.bottom - (showXAxis ? X_AXIS_HEIGHT : 0)),
  };
}

/** [from, to] onto [x0, x0 + width]. */
export function timeScale(from: number, to: number, x0: number, width: number): LinearScale {
  const k = to > from ? width / (to - from) : 0;
  return { a: x0 - from * k, k };
}

/** [lo, hi] onto [bottom, top] of the box (values grow upwards). */
export function valueScale(domain: readonly [number, number], box: PlotBox): LinearScale {
  const [lo, hi] = domain;
  const k = hi > lo ? -box.height / (hi - lo) : 0;
  return { a: box.y + box.height - lo * k, k };
}

export function at(s: LinearScale, value: number): number {
  return s.a + value * s.k;
}
