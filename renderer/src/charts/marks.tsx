/**
 * Small SVG marks a TimeChart draws around and over its plot: the units of both y-axes and the time zone of the
 * x-axis in the margins, and the marks of points clipped by the robust y-scale at the plot's top edge, with a note
 * saying how many and how high.
 */
import { formatValue, type Unit } from '../lib/format';
import { at, timeScale, type PlotBox } from './plot-box';
import type { ClippedPoint } from './y-axis';

const UNIT_FILL = '#9aa1ab';
const CLIP_COLOR = '#e6e8eb';
const NOTE_BG = '#161a21';

/** What an axis is measured in, for its title: "ms", "req/s", "% of requests". */
export const UNIT_TITLE: Record<Unit, string> = { ms: 'ms', rps: 'req/s', ratio: '% of requests' };

export function AxisUnits({
  box,
  left,
  right,
  zone,
}: {
  box: PlotBox;
  left: Unit;
  right: Unit | null;
  zone: string | null;
}): React.JSX.Element {
  return (
    <g className="axis-units" fontSize={10.5} fill={UNIT_FILL}>
      <text x={box.x - 6} y={box.y - 8} textAnchor="end" data-testid="axis-unit-left">
        {UNIT_TITLE[left]}
      </text>
      {right && (
        <text x={box.x + box.width + 6} y={box.y - 8} textAnchor="start" data-testid="axis-unit-right">
          {UNIT_TITLE[right]}
        </text>
      )}
      {zone && (
        <text x={box.x - 6} y={box.y + box.height + 15} textAnchor="end" data-testid="axis-zone">
          {zone}
        </text>
      )}
    </g>
  );
}

/** Up-arrows at the top edge where points lie above the axis, and "▲ 12 points above the axis (max 14%)" low in the plot. */
export function ClipMarks({
  box,
  from,
  to,
  clipped,
  max,
  unit,
  side,
}: {
  box: PlotBox;
  from: number;
  to: number;
  clipped: readonly ClippedPoint[];
  max: number | null;
  unit: Unit;
  side: 'left' | 'right';
}): React.JSX.Element | null {
  if (clipped.length === 0 || max === null) return null;
  const x = timeScale(from, to, box.x, box.width);
  const xs: number[] = [];
  for (const p of clipped) {
    const px = at(x, p.t);
    // One mark per 4 px: a burst of spikes is one arrow, not a smear.
    if (xs.length === 0 || px - xs[xs.length - 1] >= 4) xs.push(px);
  }
  const note = `▲ ${clipped.length} point${clipped.length === 1 ? '' : 's'} above the axis (max ${formatValue(max, unit)})`;
  const right = side === 'right';
  return (
    <g className="clip-marks" data-testid="clip-marks" data-count={clipped.length} data-side={side}>
      {/* Every arrow in one path: a spiky series has hundreds (issue 15: few SVG nodes). */}
      <path
        d={xs.map((px) => `M${px - 3},${box.y + 6}L${px + 3},${box.y + 6}L${px},${box.y + 1}Z`).join('')}
        fill={CLIP_COLOR}
      />
      {/* Low in the plot: the top rows belong to the change labels. */}
      <text
        x={right ? box.x + box.width - 4 : box.x + 4}
        y={box.y + box.height - (right ? 22 : 36)}
        textAnchor={right ? 'end' : 'start'}
        fontSize={10.5}
        fill={CLIP_COLOR}
        stroke={NOTE_BG}
        strokeWidth={3}
        paintOrder="stroke"
        data-testid="clip-note"
      >
        {note}
      </text>
    </g>
  );
}
