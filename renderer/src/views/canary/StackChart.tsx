/**
 * One chart of the canary watch's stack: its head (title, legend with show/hide, robust/full scale), the errors of
 * its metrics, and the TimeChart composed of the stack's layers — bands and verdict windows under the lines, change
 * markers and the onset over them; the top chart labels markers and bands, the bottom one the windows and the onset.
 */
import { memo, useMemo } from 'react';
import type { PlanBand } from '../../../../shared/domain/plans';
import { ChartOverlay } from '../../charts/ChartOverlay';
import { PlanBandsLayer } from '../../charts/PlanBandsLayer';
import { Areas, Labels, RefLines } from '../../charts/references';
import { TimeChart } from '../../charts/TimeChart';
import { MARGIN, PLOT_LEFT, X_AXIS_HEIGHT } from '../../lib/chart-geometry';
import type { ChartId, ChartSeries, SeriesStyle } from '../../lib/series';
import { zoneShort } from '../../lib/time';
import { ChartLegend } from './ChartLegend';
import type { ChartMarks } from './use-chart-marks';

const HEIGHTS: Record<ChartId, number> = { traffic: 190, latency: 230 };

interface StackChartProps {
  id: ChartId;
  title: string;
  all: readonly SeriesStyle[];
  series: readonly ChartSeries[];
  points: number;
  top: boolean;
  bottom: boolean;
  width: number;
  from: number;
  to: number;
  marks: ChartMarks;
  /** The flag's rollout plan steps in the window; labelled on the bottom chart (the top one labels ramp bands). */
  planBands: readonly PlanBand[];
  errors: { metric: string; message: string }[];
  notLive: boolean;
  fetching: boolean;
  fullScale: boolean;
  onFullScale: (id: ChartId) => void;
  visible: (s: SeriesStyle) => boolean;
  onToggle: (s: SeriesStyle) => void;
}

function StackChartImpl(p: StackChartProps): React.JSX.Element {
  const height = HEIGHTS[p.id] + (p.bottom ? X_AXIS_HEIGHT : 0);
  const rightUnit = p.all.find((s) => s.axis === 'right')?.unit ?? null;
  const leftUnit = p.all.find((s) => s.axis === 'left')?.unit ?? (p.id === 'latency' ? 'ms' : 'rps');
  const m = p.marks;
  // The layers as elements that keep their identity while their inputs do: a render of this chart for anything else
  // (fetching, a legend toggle) leaves the SVG layers as they are (issue 15).
  const under = useMemo(() => <Areas bands={m.bands} windows={m.windows} />, [m.bands, m.windows]);
  const over = useMemo(
    () => (
      <>
        <RefLines markers={m.markers} onset={m.onset} />
        <PlanBandsLayer bands={p.planBands} labels={p.bottom} />
        <Labels
          markers={p.top ? m.markers : undefined}
          bands={p.top ? m.bands : undefined}
          windows={p.bottom ? m.windows : null}
          onset={p.bottom ? m.onset : null}
        />
      </>
    ),
    [m.markers, m.onset, m.bands, m.windows, p.planBands, p.top, p.bottom],
  );
  return (
    <div
      className={p.notLive ? 'chart-box not-live' : 'chart-box'}
      data-testid={`chart-${p.id}`}
      data-points={p.points}
      data-live={!p.notLive}
    >
      <div className="chart-head">
        <h3>{p.title}</h3>
        <ChartLegend series={p.all} visible={p.visible} onToggle={p.onToggle} />
        <button
          type="button"
          className="link-button small"
          aria-pressed={p.fullScale}
          title="The y-axis follows the bulk of the values and marks spikes above it; show every point instead"
          onClick={() => p.onFullScale(p.id)}
          data-testid={`full-scale-${p.id}`}
        >
          {p.fullScale ? 'robust scale' : 'full scale'}
        </button>
      </div>
      {p.errors.map((e) => (
        <div key={e.metric} className="chart-error" role="alert" data-testid="series-error">
          <strong>{e.metric}:</strong> {e.message}
        </div>
      ))}
      <div className="chart-canvas" style={{ height }}>
        <TimeChart
          width={p.width}
          height={height}
          from={p.from}
          to={p.to}
          ticks={m.ticks}
          tickInterval={m.tickInterval}
          showXAxis={p.bottom}
          zone={zoneShort()}
          series={p.series}
          leftUnit={leftUnit}
          rightUnit={rightUnit}
          fullScale={p.fullScale}
          under={under}
          over={over}
        />
        {p.points === 0 && !p.fetching && <div className="chart-empty">No data in this range</div>}
        <ChartOverlay
          box={{
            left: PLOT_LEFT,
            top: MARGIN.top,
            width: m.plotWidth,
            height: height - MARGIN.top - MARGIN.bottom - (p.bottom ? X_AXIS_HEIGHT : 0),
          }}
          from={p.from}
          to={p.to}
        />
      </div>
    </div>
  );
}

export const StackChart = memo(StackChartImpl);
