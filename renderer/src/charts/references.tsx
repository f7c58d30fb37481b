/**
 * What a TimeChart draws on top of time besides the data: ramp-step bands and the verdict's windows (under the
 * lines, clipped to the plot), change markers and the onset line (over them), and their labels (over everything).
 * Labels are the components of chart-labels.tsx, given the view box of their line or area.
 */
import { bandOpacity, type RampBand } from '../lib/bands';
import {
  BandLabel,
  MarkerLabel,
  ONSET_COLOR,
  OnsetLabel,
  WindowLabel,
  placementColor,
  type MarkerPlacement,
} from './chart-labels';
import { changeDirection } from './marker-style';
import { at, timeScale, type LinearScale, type PlotBox } from './plot-box';
import { useChart } from './TimeChart';

export interface VerdictWindows {
  baseline: { from: number; to: number; label: string };
  canary: { from: number; to: number; label: string };
}

export interface ReferenceProps {
  bands?: readonly RampBand[];
  windows?: VerdictWindows | null;
  markers?: readonly MarkerPlacement[];
  onset?: { at: number; label: string } | null;
}

const BAND_FILL = '#5794f2';

/** The x-extent of [a, b] in pixels (an area's view box), or null when it is empty. */
function span(
  x: LinearScale,
  box: PlotBox,
  a: number,
  b: number,
): { x: number; y: number; width: number; height: number } | null {
  const x1 = at(x, a);
  const x2 = at(x, b);
  return x2 > x1 ? { x: x1, y: box.y, width: x2 - x1, height: box.height } : null;
}

function shownWindows(w: VerdictWindows, from: number, to: number) {
  const baseline = { from: Math.max(w.baseline.from, from), to: Math.min(w.baseline.to, to), label: w.baseline.label };
  const canary =
    w.canary.from !== w.baseline.from
      ? { from: Math.max(w.canary.from, from), to: Math.min(w.canary.to, to), label: w.canary.label }
      : null;
  return { baseline, canary };
}

/** Under the lines: bands shaded by exposure, the baseline window hatched, the canary window tinted. */
export function Areas({ bands = [], windows = null }: Pick<ReferenceProps, 'bands' | 'windows'>): React.JSX.Element {
  const { box, from, to, clipId } = useChart();
  const x = timeScale(from, to, box.x, box.width);
  const w = windows ? shownWindows(windows, from, to) : null;
  const base = w ? span(x, box, w.baseline.from, w.baseline.to) : null;
  const canary = w?.canary ? span(x, box, w.canary.from, w.canary.to) : null;
  return (
    <g className="chart-areas" clipPath={`url(#${clipId})`}>
      {bands.map((b) => {
        const r = span(x, box, b.from, b.to);
        return r ? (
          <rect key={`band-${b.from}`} {...r} fill={BAND_FILL} fillOpacity={bandOpacity(b.effective)} stroke="none" />
        ) : null;
      })}
      {base && (
        <rect {...base} fill="url(#hatch-baseline)" stroke="#a58cff" strokeOpacity={0.6} strokeDasharray="4 3" />
      )}
      {canary && (
        <rect
          {...canary}
          fill="#2ec4b6"
          fillOpacity={0.05}
          stroke="#2ec4b6"
          strokeOpacity={0.5}
          strokeDasharray="4 3"
        />
      )}
    </g>
  );
}

/** Over the lines: one vertical line per change (solid when it reduced exposure), and the onset in magenta. */
export function RefLines({ markers = [], onset = null }: Pick<ReferenceProps, 'markers' | 'onset'>): React.JSX.Element {
  const { box, from, to } = useChart();
  const x = timeScale(from, to, box.x, box.width);
  const bottom = box.y + box.height;
  const inside = (t: number): boolean => t >= from && t <= to;
  return (
    <g className="chart-references">
      {markers
        .filter((m) => inside(m.change.at))
        .map((m) => {
          const px = at(x, m.change.at);
          return (
            <line
              key={m.change.id}
              x1={px}
              x2={px}
              y1={bottom}
              y2={box.y}
              stroke={placementColor(m)}
              strokeWidth={1.5}
              strokeDasharray={!m.color && changeDirection(m.change) < 0 ? undefined : '4 3'}
            />
          );
        })}
      {onset && inside(onset.at) && (
        <line x1={at(x, onset.at)} x2={at(x, onset.at)} y1={bottom} y2={box.y} stroke={ONSET_COLOR} strokeWidth={2} />
      )}
    </g>
  );
}

/** Over everything: the labels asked for — marker labels, the onset tag, band pills, window pills. */
export function Labels({ bands, windows, markers, onset }: ReferenceProps): React.JSX.Element {
  const { box, from, to } = useChart();
  const x = timeScale(from, to, box.x, box.width);
  const line = (t: number) => ({ x: at(x, t), y: box.y, width: 0, height: box.height });
  const w = windows ? shownWindows(windows, from, to) : null;
  const base = w ? span(x, box, w.baseline.from, w.baseline.to) : null;
  const canary = w?.canary ? span(x, box, w.canary.from, w.canary.to) : null;
  const inside = (t: number): boolean => t >= from && t <= to;
  return (
    <g className="chart-labels">
      {markers
        ?.filter((m) => inside(m.change.at))
        .map((m) => (
          <MarkerLabel key={m.change.id} viewBox={line(m.change.at)} placement={m} />
        ))}
      {onset && inside(onset.at) && (
        <OnsetLabel viewBox={line(onset.at)} text={onset.label} at={onset.at} plotRight={box.x + box.width} />
      )}
      {bands?.map((b) => {
        const r = span(x, box, b.from, b.to);
        return r ? <BandLabel key={`band-label-${b.from}`} viewBox={r} text={b.label} /> : null;
      })}
      {base && w && <WindowLabel viewBox={base} text={w.baseline.label} color="#c3b3ff" dropWhenNarrow={false} />}
      {canary && w?.canary && <WindowLabel viewBox={canary} text={w.canary.label} color="#5fd9cc" dropWhenNarrow />}
    </g>
  );
}
