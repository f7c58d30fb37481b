/**
 * The plot layer of a TimeChart: one <canvas> per series, stacked over the plot area inside the chart's SVG (a
 * foreignObject, so the grid and bands stay below the lines and the markers and labels above, in document order).
 * Each canvas is redrawn — in the same commit, before the frame paints — only when its own columns, the window or its
 * axis changed: a legend toggle or a live tick of one series repaints that series alone. The canvas carries what
 * tests and tools read off a line: `data-testid="series-line"`, `data-series="<metric>:<variant|all>"`, the points
 * drawn and a draw counter.
 */
import { memo, useLayoutEffect, useRef } from 'react';
import type { Columns } from './columns';
import { drawLine, type LineStyle } from './draw-lines';
import type { PlotBox } from './plot-box';

export interface PlotLine extends LineStyle {
  key: string;
  /** "<metric>:<variant|all>". */
  id: string;
  axis: 'left' | 'right';
  cols: Columns;
}

interface LineCanvasProps {
  line: PlotLine;
  from: number;
  to: number;
  box: PlotBox;
  domain: readonly [number, number];
  dpr: number;
}

function LineCanvasImpl({ line, from, to, box, domain, dpr }: LineCanvasProps): React.JSX.Element {
  const ref = useRef<HTMLCanvasElement>(null);
  const draws = useRef(0);
  const w = Math.max(1, Math.round(box.width * dpr));
  const h = Math.max(1, Math.round(box.height * dpr));
  useLayoutEffect(() => {
    const canvas = ref.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    // Device pixels relative to the canvas: M4's columns (plot width × dpr) are exactly these pixel columns.
    const kx = to > from ? w / (to - from) : 0;
    const [lo, hi] = domain;
    const ky = hi > lo ? -h / (hi - lo) : 0;
    const n = drawLine(ctx, line.cols, from, to, { a: -from * kx, k: kx }, { a: h - lo * ky, k: ky }, line, dpr);
    canvas.dataset.points = String(n);
    canvas.dataset.drawn = String(++draws.current);
  }, [line.cols, line.color, line.width, line.dash, from, to, w, h, domain[0], domain[1], dpr]);
  return (
    <canvas
      ref={ref}
      width={w}
      height={h}
      className="series-line"
      data-testid="series-line"
      data-series={line.id}
      style={{ position: 'absolute', left: 0, top: 0, width: box.width, height: box.height }}
    />
  );
}

const LineCanvas = memo(LineCanvasImpl);

export function PlotCanvas({
  lines,
  from,
  to,
  box,
  left,
  right,
}: {
  lines: readonly PlotLine[];
  from: number;
  to: number;
  box: PlotBox;
  left: readonly [number, number];
  right: readonly [number, number] | null;
}): React.JSX.Element {
  const dpr = typeof window === 'undefined' ? 1 : window.devicePixelRatio || 1;
  return (
    <foreignObject x={box.x} y={box.y} width={box.width} height={box.height} className="plot-layer">
      <div style={{ position: 'relative', width: box.width, height: box.height }}>
        {lines.map((l) => (
          <LineCanvas
            key={l.key}
            line={l}
            from={from}
            to={to}
            box={box}
            domain={l.axis === 'right' && right ? right : left}
            dpr={dpr}
          />
        ))}
      </div>
    </foreignObject>
  );
}
