/**
 * One chart of the stack (recharts). It draws only what it is given — series already downsampled by the core,
 * change markers, ramp bands and verdict windows — and is memoized, so hover and drag (HTML overlays on top)
 * never re-render the SVG.
 */
import { memo, useMemo } from 'react';
import { CartesianGrid, LineChart, ReferenceArea, ReferenceLine, XAxis, YAxis, type LabelProps } from 'recharts';
import { niceYAxis } from '../../components/line-path';
import { PathLines, type PathLineSeries } from '../../components/PathLines';
import { bandOpacity, type RampBand } from '../../lib/bands';
import { AXIS_WIDTH, MARGIN, PLOT_RIGHT, X_AXIS_HEIGHT } from '../../lib/chart-geometry';
import { formatAxis, type Unit } from '../../lib/format';
import type { PlotSeries } from '../../lib/series';
import { formatTick } from '../../lib/time';
import { BandLabel, MarkerLabel, ONSET_COLOR, OnsetLabel, WindowLabel, cartesian, placementColor, type MarkerPlacement } from './chart-labels';

export type { MarkerPlacement } from './chart-labels';

export interface VerdictWindows {
  baseline: { from: number; to: number; label: string };
  canary: { from: number; to: number; label: string };
}

export interface TimeChartProps {
  width: number;
  height: number;
  from: number;
  to: number;
  ticks: number[];
  tickInterval: number;
  series: PlotSeries[];
  leftUnit: Unit;
  rightUnit: Unit | null;
  markers: MarkerPlacement[];
  /** Labels on markers and bands are drawn on the top chart only; lines and shading on every chart. */
  labelMarkers: boolean;
  labelBands: boolean;
  labelWindows: boolean;
  bands: RampBand[];
  windows: VerdictWindows | null;
  showXAxis: boolean;
  /** Where the metric shifted: a solid magenta line on every chart, labelled where `labelOnset`. */
  onset?: { at: number; label: string } | null;
  labelOnset?: boolean;
}

const AXIS_TICK = { fontSize: 11, fill: '#9aa1ab' };
const GRID = '#2a2f38';
/** Labels above lines and areas (recharts' own label layer), so text stays readable over busy data. */
const LABEL_Z = 2000;

/**
 * An invisible area above the lines that only carries a label: a shaded ReferenceArea sits below the data (as it
 * should), and its own label would be drawn under the lines too.
 */
function labelArea(key: string, x1: number, x2: number, content: (props: LabelProps) => React.JSX.Element | null): React.JSX.Element | null {
  if (!(x2 > x1)) return null;
  return <ReferenceArea key={key} yAxisId="left" x1={x1} x2={x2} fill="none" stroke="none" ifOverflow="hidden" zIndex={LABEL_Z} label={{ content }} />;
}

/** What the path layer draws for each series: control arms thinner and dashed, as the legend shows them. */
function toPathLines(series: readonly PlotSeries[]): PathLineSeries[] {
  return series.map((s) => ({
    key: s.key,
    id: `${s.metric}:${s.variant ?? 'all'}`,
    yAxisId: s.axis,
    color: s.color,
    strokeWidth: s.role === 'control' ? 1.25 : 1.5,
    dash: s.dash,
    points: s.points,
  }));
}

function TimeChartImpl(p: TimeChartProps): React.JSX.Element {
  const margin = { ...MARGIN, right: MARGIN.right + (p.rightUnit ? 0 : AXIS_WIDTH) };
  const lines = useMemo(() => toPathLines(p.series), [p.series]);
  // recharts does not see the data any more (the path layer draws it), so each y-axis gets an explicit domain,
  // taken as given (allowDataOverflow): with no data of its own recharts would otherwise not compute one at all.
  const leftY = useMemo(() => niceYAxis(p.series.filter((s) => s.axis === 'left').map((s) => s.points), p.from, p.to), [p.series, p.from, p.to]);
  const rightY = useMemo(() => niceYAxis(p.series.filter((s) => s.axis === 'right').map((s) => s.points), p.from, p.to), [p.series, p.from, p.to]);
  return (
    <LineChart width={p.width} height={p.height} margin={margin} accessibilityLayer={false}>
      <defs>
        <pattern id="hatch-baseline" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
          <rect width="6" height="6" fill="#a58cff" fillOpacity="0.06" />
          <line x1="0" y1="0" x2="0" y2="6" stroke="#a58cff" strokeWidth="2" strokeOpacity="0.35" />
        </pattern>
      </defs>
      <CartesianGrid stroke={GRID} strokeDasharray="0" vertical horizontal />
      <XAxis
        dataKey="t"
        type="number"
        scale="linear"
        domain={[p.from, p.to]}
        allowDataOverflow
        ticks={p.ticks}
        tickFormatter={(t: number) => formatTick(t, p.tickInterval)}
        tick={AXIS_TICK}
        stroke={GRID}
        height={p.showXAxis ? X_AXIS_HEIGHT : 0}
        hide={!p.showXAxis}
        interval={0}
      />
      <YAxis
        yAxisId="left"
        width={AXIS_WIDTH}
        type="number"
        domain={leftY.domain}
        ticks={leftY.ticks}
        tickFormatter={(v: number) => formatAxis(v, p.leftUnit)}
        tick={AXIS_TICK}
        stroke={GRID}
        allowDataOverflow
      />
      {p.rightUnit && (
        <YAxis
          yAxisId="right"
          orientation="right"
          width={AXIS_WIDTH}
          type="number"
          domain={rightY.domain}
          ticks={rightY.ticks}
          allowDataOverflow
          tickFormatter={(v: number) => formatAxis(v, p.rightUnit ?? 'ratio')}
          tick={AXIS_TICK}
          stroke={GRID}
        />
      )}
      {p.bands.map((b) => (
        <ReferenceArea
          key={`band-${b.from}`}
          yAxisId="left"
          x1={b.from}
          x2={b.to}
          fill="#5794f2"
          fillOpacity={bandOpacity(b.effective)}
          stroke="none"
          ifOverflow="hidden"
        />
      ))}
      {p.windows && (
        <ReferenceArea
          yAxisId="left"
          x1={Math.max(p.windows.baseline.from, p.from)}
          x2={Math.min(p.windows.baseline.to, p.to)}
          fill="url(#hatch-baseline)"
          stroke="#a58cff"
          strokeOpacity={0.6}
          strokeDasharray="4 3"
          ifOverflow="hidden"
        />
      )}
      {p.windows && p.windows.canary.from !== p.windows.baseline.from && (
        <ReferenceArea
          yAxisId="left"
          x1={Math.max(p.windows.canary.from, p.from)}
          x2={Math.min(p.windows.canary.to, p.to)}
          fill="#2ec4b6"
          fillOpacity={0.05}
          stroke="#2ec4b6"
          strokeOpacity={0.5}
          strokeDasharray="4 3"
          ifOverflow="hidden"
        />
      )}
      {/* The data lines: one <path> per series (see PathLines), above the bands and below the markers. */}
      <PathLines series={lines} from={p.from} to={p.to} />
      {p.markers.map((m) => (
        <ReferenceLine
          key={m.change.id}
          yAxisId="left"
          x={m.change.at}
          stroke={placementColor(m)}
          strokeWidth={1.5}
          strokeDasharray="4 3"
          ifOverflow="discard"
          label={p.labelMarkers ? { content: (props: LabelProps) => <MarkerLabel {...cartesian(props)} placement={m} />, zIndex: LABEL_Z } : undefined}
        />
      ))}
      {p.onset && p.onset.at >= p.from && p.onset.at <= p.to && (
        <ReferenceLine
          yAxisId="left"
          x={p.onset.at}
          stroke={ONSET_COLOR}
          strokeWidth={2}
          ifOverflow="discard"
          label={
            p.labelOnset
              ? {
                  content: (props: LabelProps) => <OnsetLabel {...cartesian(props)} text={p.onset?.label ?? 'onset'} at={p.onset?.at ?? 0} plotRight={p.width - PLOT_RIGHT} />,
                  zIndex: LABEL_Z,
                }
              : undefined
          }
        />
      )}
      {p.labelBands &&
        p.bands.map((b) =>
          labelArea(`band-label-${b.from}`, b.from, b.to, (props) => <BandLabel {...cartesian(props)} text={b.label} />),
        )}
      {p.labelWindows &&
        p.windows &&
        labelArea('baseline-label', Math.max(p.windows.baseline.from, p.from), Math.min(p.windows.baseline.to, p.to), (props) => (
          <WindowLabel {...cartesian(props)} text={p.windows?.baseline.label ?? 'baseline'} color="#c3b3ff" dropWhenNarrow={false} />
        ))}
      {p.labelWindows &&
        p.windows &&
        p.windows.canary.from !== p.windows.baseline.from &&
        labelArea('canary-label', Math.max(p.windows.canary.from, p.from), Math.min(p.windows.canary.to, p.to), (props) => (
          <WindowLabel {...cartesian(props)} text={p.windows?.canary.label ?? 'canary'} color="#5fd9cc" dropWhenNarrow />
        ))}
    </LineChart>
  );
}

export const TimeChart = memo(TimeChartImpl);
