/**
 * HTML layers over a chart's plot area: the shared crosshair, the drag-to-zoom selection and the pointer
 * handling for both. They are plain positioned divs, so moving the mouse re-renders a few pixels of DOM, not the
 * SVG chart underneath.
 */
import { useRef } from 'react';
import { dragToZoom, timeToX, xToTime } from '../lib/chart-geometry';
import { useUi } from '../state/ui-store';
import { useDrag } from './drag-store';

export interface OverlayBox {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** `onZoom`: where a drag's window (or null on double-click) goes; the canary watch's zoom unless given. */
export function ChartOverlay({
  box,
  from,
  to,
  onZoom,
}: {
  box: OverlayBox;
  from: number;
  to: number;
  onZoom?: (zoom: { from: number; to: number } | null) => void;
}): React.JSX.Element {
  const setHover = useUi((s) => s.setHoverTime);
  const setCanaryZoom = useUi((s) => s.setZoom);
  const setZoom = onZoom ?? setCanaryZoom;
  const setDrag = useDrag((s) => s.setDrag);
  const dragStart = useRef<number | null>(null);

  const localX = (e: React.PointerEvent<HTMLDivElement>): number =>
    e.clientX - e.currentTarget.getBoundingClientRect().left;

  return (
    <div
      className="chart-overlay"
      style={{ left: box.left, top: box.top, width: box.width, height: box.height }}
      onPointerMove={(e) => {
        const x = localX(e);
        setHover(xToTime(x, from, to, box.width));
        if (dragStart.current !== null) setDrag({ x0: dragStart.current, x1: Math.min(Math.max(x, 0), box.width) });
      }}
      onPointerLeave={() => {
        if (dragStart.current === null) setHover(null);
      }}
      onPointerDown={(e) => {
        if (e.button !== 0) return;
        e.currentTarget.setPointerCapture(e.pointerId);
        dragStart.current = localX(e);
        setDrag({ x0: dragStart.current, x1: dragStart.current });
      }}
      onPointerUp={(e) => {
        const x0 = dragStart.current;
        dragStart.current = null;
        setDrag(null);
        if (x0 === null) return;
        const zoom = dragToZoom(x0, localX(e), from, to, box.width);
        if (zoom) setZoom(zoom);
      }}
      onPointerCancel={() => {
        dragStart.current = null;
        setDrag(null);
      }}
      onDoubleClick={() => setZoom(null)}
    >
      <Crosshair from={from} to={to} width={box.width} />
      <Selection />
    </div>
  );
}

function Crosshair({ from, to, width }: { from: number; to: number; width: number }): React.JSX.Element | null {
  const hover = useUi((s) => s.hoverTime);
  if (hover === null || hover < from || hover > to) return null;
  // Moved by a transform on its own layer: a pointer move composites, it does not repaint the chart under it.
  const x = Math.round(timeToX(hover, from, to, width));
  return <div className="crosshair" style={{ left: 0, transform: `translateX(${x}px)`, willChange: 'transform' }} />;
}

function Selection(): React.JSX.Element | null {
  const drag = useDrag((s) => s.drag);
  if (!drag || Math.abs(drag.x1 - drag.x0) < 1) return null;
  return (
    <div className="zoom-selection" style={{ left: Math.min(drag.x0, drag.x1), width: Math.abs(drag.x1 - drag.x0) }} />
  );
}
