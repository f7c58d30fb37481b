/**
 * The SVG labels drawn on a TimeChart: change markers (rows laid out so they never overlap), ramp-band pills,
 * verdict-window pills and the regression onset. Each is plain SVG, given the view box of its line (x, the plot's
 * top and height, width 0) or area (its x-extent and the plot's height) — references.tsx computes them.
 */
import type { FlagChange } from '../../../shared/domain/flags';
import { estimateLabelWidth } from '../lib/label-layout';
import { markerColor, markerText } from './marker-style';

export interface MarkerPlacement {
  change: FlagChange;
  row: number;
  flipped: boolean;
  width: number;
  /** Overrides the colour by exposure direction (the incident view colours by connection). */
  color?: string;
  /** Overrides `change.label` (the incident view prefixes the flag key). */
  text?: string;
}

export interface LabelViewBox {
  viewBox?: { x?: number; y?: number; width?: number; height?: number };
}

export const MARKER_ROW_PX = 17;
export const ONSET_COLOR = '#ff4fd8';

export function placementColor(p: MarkerPlacement): string {
  return p.color ?? markerColor(p.change);
}

export function MarkerLabel({ viewBox, placement }: LabelViewBox & { placement: MarkerPlacement }): React.JSX.Element {
  const x = viewBox?.x ?? 0;
  const y = (viewBox?.y ?? 0) + 2 + Math.max(0, placement.row) * MARKER_ROW_PX;
  const color = placementColor(placement);
  const c = placement.change;
  const text = placement.text ?? markerText(c);
  if (placement.row < 0) {
    // No room for the text: a handle at the top; the hover tooltip names the change.
    return (
      <g className="change-marker" data-testid="change-marker" data-change-id={c.id} data-label={c.label}>
        <path
          d={`M${x - 4},${viewBox?.y ?? 0} L${x + 4},${viewBox?.y ?? 0} L${x},${(viewBox?.y ?? 0) + 6} Z`}
          fill={color}
        />
      </g>
    );
  }
  const left = placement.flipped ? x - placement.width : x;
  return (
    <g className="change-marker" data-testid="change-marker" data-change-id={c.id} data-label={c.label}>
      <rect
        x={left}
        y={y}
        width={placement.width}
        height={15}
        rx={3}
        fill="#161a21"
        fillOpacity={0.92}
        stroke={color}
        strokeWidth={1}
      />
      <text x={left + 5} y={y + 11} fontSize={11} fill="#e6e8eb">
        {text}
      </text>
    </g>
  );
}

/** Exposure of a ramp step, in a pill at the bottom-left of its band (only when the band is wide enough). */
export function BandLabel({ viewBox, text }: LabelViewBox & { text: string }): React.JSX.Element | null {
  const w = estimateLabelWidth(text);
  if ((viewBox?.width ?? 0) < w + 4) return null;
  const x = (viewBox?.x ?? 0) + 3;
  const y = (viewBox?.y ?? 0) + (viewBox?.height ?? 0) - 17;
  return (
    <g className="band-label" data-testid="ramp-band-label">
      <rect
        x={x}
        y={y}
        width={w}
        height={14}
        rx={7}
        fill="#1a2840"
        fillOpacity={0.9}
        stroke="#3d5f99"
        strokeWidth={1}
      />
      <text x={x + w / 2} y={y + 10.5} fontSize={10.5} fill="#b3ccff" textAnchor="middle">
        {text}
      </text>
    </g>
  );
}

/**
 * Verdict window name in a pill, right-aligned at the window's end (the baseline window is followed by the canary
 * window, so their labels then never share pixels). A canary window narrower than its label drops to a second row.
 */
export function WindowLabel({
  viewBox,
  text,
  color,
  dropWhenNarrow,
}: LabelViewBox & { text: string; color: string; dropWhenNarrow: boolean }): React.JSX.Element {
  const w = estimateLabelWidth(text);
  const row = dropWhenNarrow && (viewBox?.width ?? 0) < w + 4 ? 1 : 0;
  const right = (viewBox?.x ?? 0) + (viewBox?.width ?? 0) - 3;
  const y = (viewBox?.y ?? 0) + 3 + row * 18;
  return (
    <g className="window-label" data-testid="verdict-window-label">
      <rect
        x={right - w}
        y={y}
        width={w}
        height={15}
        rx={3}
        fill="#161a21"
        fillOpacity={0.92}
        stroke={color}
        strokeWidth={1}
      />
      <text x={right - w / 2} y={y + 11} fontSize={11} fontWeight={600} fill={color} textAnchor="middle">
        {text}
      </text>
    </g>
  );
}

/**
 * The onset of a regression: a filled magenta tag low in the plot (change labels sit at the top, band pills at the
 * very bottom), flipped to the left of the line near the right edge. `plotRight` is the plot's right edge in px.
 */
export function OnsetLabel({
  viewBox,
  text,
  at,
  plotRight,
}: LabelViewBox & { text: string; at: number; plotRight: number }): React.JSX.Element {
  const x = viewBox?.x ?? 0;
  const w = estimateLabelWidth(text) + 6;
  const left = x + w + 2 > plotRight ? x - w - 2 : x + 2;
  const y = (viewBox?.y ?? 0) + (viewBox?.height ?? 0) - 38;
  return (
    <g className="onset-marker" data-testid="onset-marker" data-label={text} data-at={at}>
      <rect x={left} y={y} width={w} height={16} rx={3} fill={ONSET_COLOR} fillOpacity={0.95} />
      <text x={left + 6} y={y + 12} fontSize={11} fontWeight={700} fill="#1a0016">
        {text}
      </text>
    </g>
  );
}
