/**
 * Lines drawn as one SVG path per series straight from Float64Arrays, inside a recharts chart (its axes, grid and
 * scales): the per-point cost is a few characters of path string, not recharts' per-point objects and selectors.
 * Measured next to recharts' own <Line> to show where the time of a chart update goes.
 */
import { createElement as h, useMemo } from 'react';
import { usePlotArea, useXAxisScale, useYAxisScale } from 'recharts';

export interface PathSeries {
  key: string;
  color: string;
  t: Float64Array;
  v: Float64Array;
}

/** Path coordinates are integers in tenths of a pixel (integer → string is several times faster than decimals). */
const SUBPIXELS = 10;

/** "M x,y L x,y …" in tenths of a pixel, with a new sub-path after each gap (NaN), like connectNulls=false. */
export function linePath(t: Float64Array, v: Float64Array, x0: number, xk: number, y0: number, yk: number): string {
  let d = '';
  let pen = false;
  for (let i = 0; i < t.length; i++) {
    const y = v[i];
    if (y !== y) {
      pen = false;
      continue;
    }
    d += (pen ? 'L' : 'M') + Math.round((x0 + t[i] * xk) * SUBPIXELS) + ',' + Math.round((y0 + y * yk) * SUBPIXELS);
    pen = true;
  }
  return d;
}

export function PathLines(props: { series: PathSeries[]; from: number; to: number; yAxisId: string; strokeWidth: number }): React.JSX.Element | null {
  const { series, from, to, yAxisId, strokeWidth } = props;
  const x = useXAxisScale();
  const y = useYAxisScale(yAxisId);
  const plot = usePlotArea();
  // The scales are linear: two points give offset and slope, so the loop makes no function call per point.
  const xa = x?.(from) ?? 0;
  const xk = ((x?.(to) ?? 0) - xa) / (to - from);
  const ya = y?.(0) ?? 0;
  const yk = (y?.(1) ?? 0) - ya;
  // recharts renders its children several times per update (store notifications): build each path once.
  const paths = useMemo(() => series.map((s) => linePath(s.t, s.v, xa - from * xk, xk, ya, yk)), [series, xa, xk, ya, yk, from]);
  if (!x || !y || !plot) return null;
  const clipId = 'bench-path-clip';
  return h(
    'g',
    { className: 'bench-path-lines', clipPath: `url(#${clipId})` },
    h('defs', null, h('clipPath', { id: clipId }, h('rect', { x: plot.x, y: plot.y, width: plot.width, height: plot.height }))),
    h(
      'g',
      { transform: `scale(${1 / SUBPIXELS})` },
      ...series.map((s, i) =>
        h('path', { key: s.key, className: 'recharts-line-curve', d: paths[i], stroke: s.color, strokeWidth, fill: 'none', vectorEffect: 'non-scaling-stroke' }),
      ),
    ),
  );
}
