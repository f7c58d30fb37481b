/**
 * One time-series chart, as composable layers over columnar data (issue 13/15): the grid, whatever the caller puts
 * `under` the lines (bands, verdict windows), the line canvases (PlotCanvas), the axes with their units and clip
 * marks, and whatever goes `over` everything (markers, labels). Layers read the chart's geometry from context
 * (useChart), so they take only what they draw. No recharts: each layer is a few SVG elements, and a change of
 * window, data or style re-renders exactly one chart once, the lines repainted in the same commit.
 */
import { createContext, memo, useContext, useId, useMemo } from 'react';
import type { Unit } from '../lib/format';
import type { ChartSeries } from '../lib/series';
import { Axes, Grid, type AxisSpec } from './AxesLayer';
import { AxisUnits, ClipMarks } from './marks';
import { LINE_WIDTH } from './draw-lines';
import { PlotCanvas, type PlotLine } from './PlotCanvas';
import { plotBox, type PlotBox } from './plot-box';
import { robustYAxis } from './y-axis';

export interface ChartGeometry {
  box: PlotBox;
  from: number;
  to: number;
  width: number;
  height: number;
  clipId: string;
}

const ChartContext = createContext<ChartGeometry | null>(null);

/** The geometry of the TimeChart a layer is drawn in. */
export function useChart(): ChartGeometry {
  const g = useContext(ChartContext);
  if (!g) throw new Error('a chart layer was rendered outside a TimeChart');
  return g;
}

export interface TimeChartProps {
  width: number;
  height: number;
  from: number;
  to: number;
  ticks: readonly number[];
  tickInterval: number;
  showXAxis: boolean;
  /** Name of the display time zone under the x-axis ("UTC", "UTC+01:00"), on the chart with the x-axis. */
  zone?: string;
  /** The series drawn, each with its columns for this window. */
  series: readonly ChartSeries[];
  leftUnit: Unit;
  rightUnit: Unit | null;
  /** Scale the y-axes to every point, spikes included; default: robust (spikes above the axis are marked). */
  fullScale?: boolean;
  under?: React.ReactNode;
  over?: React.ReactNode;
}

/** Control arms dashed, as the legend shows them. */
function toLine(s: ChartSeries): PlotLine {
  return {
    key: s.key,
    id: `${s.metric}:${s.variant ?? 'all'}`,
    axis: s.axis,
    color: s.color,
    width: LINE_WIDTH,
    dash: s.dash,
    cols: s.cols,
  };
}

/**
 * The axis spec, the same object while its domain, ticks and unit are the same values: a live tick or new data that
 * keeps the y-scale does not re-render the y-axes (issue 15).
 */
function useAxisSpec(y: { domain: readonly [number, number]; ticks: readonly number[] }, unit: Unit): AxisSpec {
  const key = `${y.domain[0]},${y.domain[1]}|${y.ticks.join(',')}|${unit}`;
  // Keyed by value: the key holds every value the spec is made of.
  return useMemo(() => ({ domain: y.domain, ticks: y.ticks, unit }), [key]);
}

function TimeChartImpl(p: TimeChartProps): React.JSX.Element {
  const box = useMemo(() => plotBox(p.width, p.height, p.showXAxis), [p.width, p.height, p.showXAxis]);
  const clipId = `plot-clip-${useId().replace(/[^a-zA-Z0-9_-]/g, '')}`;
  const lines = useMemo(() => p.series.map(toLine), [p.series]);
  const leftY = useMemo(
    () =>
      robustYAxis(
        p.series.filter((s) => s.axis === 'left').map((s) => s.cols),
        p.from,
        p.to,
        { full: p.fullScale },
      ),
    [p.series, p.from, p.to, p.fullScale],
  );
  const rightY = useMemo(
    () =>
      robustYAxis(
        p.series.filter((s) => s.axis === 'right').map((s) => s.cols),
        p.from,
        p.to,
        { full: p.fullScale },
      ),
    [p.series, p.from, p.to, p.fullScale],
  );
  const left = useAxisSpec(leftY, p.leftUnit);
  const rightSpec = useAxisSpec(rightY, p.rightUnit ?? p.leftUnit);
  const right = p.rightUnit ? rightSpec : null;
  const geometry = useMemo(
    () => ({ box, from: p.from, to: p.to, width: p.width, height: p.height, clipId }),
    [box, p.from, p.to, p.width, p.height, clipId],
  );
  return (
    <ChartContext.Provider value={geometry}>
      <svg className="chart-surface" width={p.width} height={p.height} viewBox={`0 0 ${p.width} ${p.height}`}>
        <defs>
          <pattern id="hatch-baseline" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
            <rect width="6" height="6" fill="#a58cff" fillOpacity="0.06" />
            <line x1="0" y1="0" x2="0" y2="6" stroke="#a58cff" strokeWidth="2" strokeOpacity="0.35" />
          </pattern>
          <clipPath id={clipId}>
            <rect x={box.x} y={box.y} width={box.width} height={box.height} />
          </clipPath>
        </defs>
        <Grid box={box} from={p.from} to={p.to} xTicks={p.ticks} left={left} />
        {p.under}
        <PlotCanvas
          lines={lines}
          from={p.from}
          to={p.to}
          box={box}
          left={leftY.domain}
          right={p.rightUnit ? rightY.domain : null}
        />
        <Axes
          box={box}
          from={p.from}
          to={p.to}
          xTicks={p.ticks}
          tickInterval={p.tickInterval}
          showXAxis={p.showXAxis}
          left={left}
          right={right}
        />
        <AxisUnits box={box} left={p.leftUnit} right={p.rightUnit} zone={p.showXAxis ? (p.zone ?? null) : null} />
        <ClipMarks
          box={box}
          from={p.from}
          to={p.to}
          clipped={leftY.clipped}
          max={leftY.clipMax}
          unit={p.leftUnit}
          side="left"
        />
        {p.rightUnit && (
          <ClipMarks
            box={box}
            from={p.from}
            to={p.to}
            clipped={rightY.clipped}
            max={rightY.clipMax}
            unit={p.rightUnit}
            side="right"
          />
        )}
        {p.over}
      </svg>
    </ChartContext.Provider>
  );
}

export const TimeChart = memo(TimeChartImpl);
