/**
 * The plot layer's drawing (issue 15: it costs what uPlot costs): one canvas stroke per series straight from its
 * columns — no per-point objects, no SVG path strings to lay out. Points outside [from, to] are skipped except the
 * nearest one on each side, so the line runs on to the plot's edge (the canvas is the plot: it clips there); a
 * gap (NaN) lifts the pen, like recharts' connectNulls={false}.
 */
import { lowerBound, upperBound } from '../../../shared/downsample/m4';
import type { Columns } from './columns';
import type { LinearScale } from './plot-box';

export interface LineStyle {
  color: string;
  /** CSS pixels. */
  width: number;
  /** "6 4" (CSS pixels), as SVG writes it; undefined for a solid line. */
  dash: string | undefined;
}

/**
 * Every series' line width in CSS pixels: one pixel for every arm (control arms are told apart by their dash, as the
 * legend shows). Why not thicker: without a GPU (software raster, as on this project's CI and many remote desktops) Skia
 * strokes a 1-pixel line as a hairline and anything wider as geometry — 1,440 points took 0.3–0.7 ms at 1 px and
 * 6–10 ms at 1.25 or 1.5 px, per series and per redraw; the canary view draws up to 15 series, so a live tick's
 * redraw was one 50–75 ms task.
 */
export const LINE_WIDTH = 1;

/** What tracing needs of a canvas' 2D context (a fake records it in tests). */
export interface Pen {
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
}

/** The part of CanvasRenderingContext2D a line is drawn with (typed here: the tests run without the DOM library). */
export interface Canvas2D extends Pen {
  canvas: { width: number; height: number };
  strokeStyle: unknown;
  lineWidth: number;
  lineJoin: 'round' | 'bevel' | 'miter';
  clearRect(x: number, y: number, w: number, h: number): void;
  beginPath(): void;
  setLineDash(segments: number[]): void;
  stroke(): void;
}

/** The index range to draw: [first, last] inclusive, widened by one point beyond each edge of [from, to]. */
export function drawRange(c: Columns, from: number, to: number): [number, number] {
  const first = Math.max(0, lowerBound(c.t, from) - 1);
  const last = Math.min(c.t.length - 1, upperBound(c.t, to));
  return [first, last];
}

/**
 * Traces the series with the pen in the canvas' own pixels (x, y scales already in device pixels relative to the
 * canvas). Returns the number of points traced.
 */
export function traceLine(pen: Pen, c: Columns, from: number, to: number, x: LinearScale, y: LinearScale): number {
  const [first, last] = drawRange(c, from, to);
  let down = false;
  let n = 0;
  for (let i = first; i <= last; i++) {
    const v = c.v[i];
    if (v !== v || v === Infinity || v === -Infinity) {
      down = false;
      continue;
    }
    const px = x.a + c.t[i] * x.k;
    const py = y.a + v * y.k;
    if (down) pen.lineTo(px, py);
    else pen.moveTo(px, py);
    down = true;
    n++;
  }
  return n;
}

export function dashPattern(dash: string | undefined, scale: number): number[] {
  if (!dash) return [];
  return dash
    .split(/[\s,]+/)
    .map(Number)
    .filter((d) => Number.isFinite(d) && d >= 0)
    .map((d) => d * scale);
}

/** Clears the canvas and strokes one series on it. `dpr`: device pixels per CSS pixel. */
export function drawLine(
  ctx: Canvas2D,
  c: Columns,
  from: number,
  to: number,
  x: LinearScale,
  y: LinearScale,
  style: LineStyle,
  dpr: number,
): number {
  ctx.clearRect(0, 0, ctx.canvas.width, ctx.canvas.height);
  ctx.beginPath();
  const n = traceLine(ctx, c, from, to, x, y);
  ctx.strokeStyle = style.color;
  ctx.lineWidth = style.width * dpr;
  // Round joins, as uPlot draws: the default miter join turns each sharp turn of dense data (M4 keeps a column's
  // extremes) into a spike up to 5 line widths past the point — ink where there is no data.
  ctx.lineJoin = 'round';
  ctx.setLineDash(dashPattern(style.dash, dpr));
  if (n > 0) ctx.stroke();
  return n;
}
