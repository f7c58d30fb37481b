/**
 * Series lines drawn as one SVG <path> each, inside a recharts chart: recharts keeps the axes, grid, reference
 * lines/areas and labels, and this layer reads the chart's own scales. recharts' <Line> costs ≈ 10 µs a point on
 * every render (bench/out/latest.md); a path string costs a few characters a point. The chart's y-axes need an
 * explicit domain (niceYAxis), because recharts no longer sees the data.
 */
import { useId, useMemo } from 'react';
import { DefaultZIndexes, ZIndexLayer, usePlotArea, useXAxisScale, useYAxisScale } from 'recharts';
import { linePath, type LinearMap, type PathPoint } from './line-path';

export interface PathLineSeries {
  key: string;
  /** `data-series` of the path: "<metric>:<variant|all>", what tests and tools find a line by. */
  id: string;
  yAxisId: string;
  color: string;
  strokeWidth: number;
  dash: string | undefined;
  points: readonly PathPoint[];
}

type Scale = ((value: number) => number | undefined) | undefined;

/** The linear map of two scales, from two points each; null until recharts has laid the axes out. */
function linearMap(x: Scale, y: Scale, from: number, to: number): LinearMap | null {
  const xa = x?.(from);
  const xb = x?.(to);
  const ya = y?.(0);
  const yb = y?.(1);
  if (xa === undefined || xb === undefined || ya === undefined || yb === undefined || !(to > from)) return null;
  const xk = (xb - xa) / (to - from);
  return { x0: xa - from * xk, xk, y0: ya, yk: yb - ya };
}

export function PathLines({ series, from, to }: { series: readonly PathLineSeries[]; from: number; to: number }): React.JSX.Element | null {
  const x = useXAxisScale();
  // Hooks cannot be called per series: the charts have at most a left and a right axis.
  const left = useYAxisScale('left');
  const right = useYAxisScale('right');
  const plot = usePlotArea();
  const leftMap = linearMap(x, left, from, to);
  const rightMap = linearMap(x, right, from, to);
  const key = (m: LinearMap | null): string => (m ? `${m.x0},${m.xk},${m.y0},${m.yk}` : '');
  const leftKey = key(leftMap);
  const rightKey = key(rightMap);
  // recharts re-renders its children on every store notification; the strings change only with data or scales.
  const paths = useMemo(
    () =>
      series.map((s) => {
        const map = s.yAxisId === 'right' ? rightMap : leftMap;
        return map ? linePath(s.points, from, to, map) : '';
      }),
    // The maps are compared by value (their keys): recharts hands out new scale functions on re-renders.
    [series, from, to, leftKey, rightKey],
  );
  const clipId = `path-lines-clip-${useId().replace(/[^a-zA-Z0-9_-]/g, '')}`;
  if (!plot) return null;
  return (
    <ZIndexLayer zIndex={DefaultZIndexes.line}>
      <g className="path-lines" clipPath={`url(#${clipId})`}>
        <defs>
          <clipPath id={clipId}>
            <rect x={plot.x} y={plot.y} width={plot.width} height={plot.height} />
          </clipPath>
        </defs>
        {series.map((s, i) =>
          paths[i] === '' ? null : (
            <path
              key={s.key}
              data-testid="series-line"
              data-series={s.id}
              className="series-line"
              d={paths[i]}
              fill="none"
              stroke={s.color}
              strokeWidth={s.strokeWidth}
              strokeDasharray={s.dash}
            />
          ),
        )}
      </g>
    </ZIndexLayer>
  );
}
