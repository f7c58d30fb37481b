/**
 * The chart under test: a recharts LineChart drawn the way the app's TimeChart draws its lines (linear curve,
 * no dots, no animation, gaps not connected, stroke 1.5 unless told otherwise). Written with createElement: bench/** is compiled by the
 * Node tsconfig, which has no JSX.
 */
import { createElement as h } from 'react';
import { CartesianGrid, Line, LineChart, XAxis, YAxis } from 'recharts';
import { PathLines, type PathSeries } from './path-lines';

export interface ChartPoint {
  t: number;
  v: number | null;
}

export interface ChartSeries {
  key: string;
  color: string;
  points: ChartPoint[];
}

export interface BenchChartProps {
  width: number;
  height: number;
  from: number;
  to: number;
  series: ChartSeries[];
  /** Series drawn by PathLines instead of recharts' <Line> (needs an explicit yDomain). */
  paths?: PathSeries[];
  /** With axes and grid like the app (chart-update figures); without, the plot is the whole chart (pixel check). */
  axes: boolean;
  /** Line width in CSS px: the app draws 1.5; ≤ 1 lets Skia rasterize lines as hairlines (far cheaper). */
  strokeWidth: number;
  yDomain: [number, number] | null;
}

/** The app's chart geometry (renderer/src/lib/chart-geometry.ts): left axis 56 px, a right axis slot reserved. */
export const AXES_MARGIN = { top: 6, right: 8 + 56, bottom: 2, left: 4 };
export const AXIS_WIDTH = 56;
export const X_AXIS_HEIGHT = 22;
const NO_MARGIN = { top: 0, right: 0, bottom: 0, left: 0 };
// Stable objects: recharts re-registers an axis whenever a prop changes identity.
const AXIS_TICK = { fontSize: 11, fill: '#9aa1ab' };
const formatTime = (t: number): string => new Date(t).toISOString().slice(5, 16).replace('T', ' ');

export const PALETTE = ['#5794f2', '#f2495c', '#73bf69', '#ff9830', '#b877d9', '#33b5e5', '#fade2a', '#8ab8ff', '#ff7383', '#a6dd9e', '#ffb870', '#d2a6ea'];

/** The plot area's width in CSS pixels for a chart of `width`. */
export function plotWidthOf(width: number, axes: boolean): number {
  return axes ? width - AXES_MARGIN.left - AXES_MARGIN.right - AXIS_WIDTH : width;
}

export function BenchChart(p: BenchChartProps): React.JSX.Element {
  return h(
    LineChart,
    { width: p.width, height: p.height, margin: p.axes ? AXES_MARGIN : NO_MARGIN, accessibilityLayer: false },
    p.axes ? h(CartesianGrid, { stroke: '#2a2f38', strokeDasharray: '0', vertical: true, horizontal: true }) : null,
    h(XAxis, {
      dataKey: 't',
      type: 'number',
      scale: 'linear',
      domain: [p.from, p.to],
      allowDataOverflow: true,
      hide: !p.axes,
      height: p.axes ? X_AXIS_HEIGHT : 0,
      tick: AXIS_TICK,
      tickFormatter: formatTime,
    }),
    h(YAxis, {
      yAxisId: 'left',
      width: p.axes ? AXIS_WIDTH : 0,
      hide: !p.axes,
      domain: p.yDomain ?? [0, 'auto'],
      allowDataOverflow: p.yDomain !== null,
      tick: AXIS_TICK,
    }),
    p.paths && p.paths.length > 0 ? h(PathLines, { series: p.paths, from: p.from, to: p.to, yAxisId: 'left', strokeWidth: p.strokeWidth }) : null,
    ...p.series.map((s) =>
      h(Line, {
        key: s.key,
        yAxisId: 'left',
        data: s.points,
        dataKey: 'v',
        type: 'linear',
        stroke: s.color,
        strokeWidth: p.strokeWidth,
        dot: false,
        activeDot: false,
        connectNulls: false,
        isAnimationActive: false,
      }),
    ),
  );
}
