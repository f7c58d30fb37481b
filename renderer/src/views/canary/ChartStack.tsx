/**
 * The stacked charts on one time axis: traffic & errors, then latency. Fetches the series for the visible range
 * at the plot's pixel width, the flag's changes over it and the verdict's windows, and lays the change labels
 * out so they do not overlap.
 */
import { useEffect, useMemo } from 'react';
import type { FlagRow } from '../../../../shared/contract';
import type { Watch } from '../../../../shared/domain/metrics';
import { useQuery } from '../../data/use-query';
import { rampBands } from '../../lib/bands';
import { MARGIN, PLOT_LEFT, X_AXIS_HEIGHT, plotWidth, requestWidth, timeToX } from '../../lib/chart-geometry';
import { estimateLabelWidth, layoutLabels } from '../../lib/label-layout';
import { countPoints, isVisible, placeMetric, toPlotSeries, type ChartId, type PlotSeries, type VariantNames } from '../../lib/series';
import { formatDuration, timeTicks } from '../../lib/time';
import { useElementWidth } from '../../components/use-element-width';
import { ErrorNotice } from '../../components/ErrorNotice';
import { markAppReady } from '../../components/app-ready';
import { onsetLabel } from '../../lib/extras';
import { useUi, visibleRange } from '../../state/ui-store';
import { ChartOverlay } from './ChartOverlay';
import { ChartLegend } from './ChartLegend';
import { HoverTooltip } from './HoverTooltip';
import { RangeToolbar } from './RangeToolbar';
import { TimeChart, type MarkerPlacement, type VerdictWindows } from './TimeChart';
import { useVerdict } from './use-verdict';

const HEIGHTS: Record<ChartId, number> = { traffic: 190, latency: 230 };
const MARKER_ROWS = 3;

export function ChartStack({ watch, row, names }: { watch: Watch; row: FlagRow; names: VariantNames }): React.JSX.Element {
  const zoom = useUi((s) => s.zoom);
  const liveNow = useUi((s) => s.liveNow);
  const rangeMs = useUi((s) => s.rangeMs);
  const { from, to } = visibleRange({ zoom, liveNow, rangeMs });
  const [boxRef, width] = useElementWidth<HTMLDivElement>();
  const plotW = plotWidth(width);

  const group = `${watch.id}`;
  const seriesQ = useQuery(
    'series:range',
    width > 0 ? { watchId: watch.id, from: Math.floor(from), to: Math.ceil(to), width: requestWidth(width) } : null,
    // Live: the window itself moves on each tick (liveNow); zoomed: the fixed window is refetched on ticks.
    { refetchOn: zoom ? ['series:tick'] : [], keepPreviousIn: group },
  );
  const historyQ = useQuery(
    'flags:history',
    { connectionId: row.connectionId, flagKey: row.flagKey, env: row.env, from: Math.floor(from), to: Math.ceil(to) },
    { refetchOn: ['flags:changed'], keepPreviousIn: group },
  );
  const verdictQ = useVerdict(watch.id);

  const plot = useMemo(
    () => toPlotSeries(seriesQ.data?.series ?? [], watch.metrics, names),
    [seriesQ.data, watch.metrics, names],
  );
  const overrides = useUi((s) => s.seriesVisibility);
  const setSeriesVisible = useUi((s) => s.setSeriesVisible);
  const shown = useMemo(() => plot.filter((s) => isVisible(s, plot, overrides)), [plot, overrides]);
  const visible = (s: PlotSeries): boolean => isVisible(s, plot, overrides);
  const toggle = (s: PlotSeries): void => setSeriesVisible(s.key, !visible(s));
  const changes = useMemo(
    () => (historyQ.data ?? []).filter((c) => c.flagKey === row.flagKey && c.env === row.env && c.at >= from && c.at <= to),
    [historyQ.data, row.flagKey, row.env, from, to],
  );
  const bands = useMemo(
    () => rampBands(historyQ.data ?? [], from, to, { enabled: row.enabled, exposure: row.exposure }),
    [historyQ.data, from, to, row.enabled, row.exposure],
  );
  const markers: MarkerPlacement[] = useMemo(() => {
    const boxes = changes.map((c) => ({ x: timeToX(c.at, from, to, plotW), width: estimateLabelWidth(c.label) }));
    // Newest first: the change just made (or just seen) always gets its label; older ones yield when crowded.
    const rows = layoutLabels(boxes, MARKER_ROWS, plotW, 4, changes.map((c) => c.at));
    return changes.map((c, i) => ({ change: c, row: rows[i].row, flipped: rows[i].flipped, width: boxes[i].width }));
  }, [changes, from, to, plotW]);
  const verdict = verdictQ.data;
  const windows: VerdictWindows | null = useMemo(
    // Short labels on the chart; the verdict panel spells the windows out.
    () => (verdict ? { baseline: { ...verdict.baseline, label: `baseline (${verdict.baseline.kind})` }, canary: { ...verdict.canary, label: 'canary' } } : null),
    [verdict],
  );
  const extrasOnset = verdict?.extras?.onset ?? null;
  const onset = useMemo(() => (extrasOnset ? { at: extrasOnset.at, label: onsetLabel(extrasOnset) } : null), [extrasOnset]);
  const { ticks, interval } = useMemo(() => timeTicks(from, to, plotW), [from, to, plotW]);
  const errorsByChart = (chart: ChartId): { metric: string; message: string }[] =>
    (seriesQ.data?.errors ?? []).filter((e) => placeMetric(e.metric, watch.metrics).chart === chart);

  const hasData = countPoints(shown) > 0;
  useEffect(() => {
    if (hasData && !seriesQ.placeholder) markAppReady();
  }, [hasData, seriesQ.placeholder]);

  const stale = seriesQ.data?.stale ?? null;
  const charts = useMemo(
    (): { id: ChartId; title: string; all: PlotSeries[]; series: PlotSeries[] }[] =>
      (['traffic', 'latency'] as const).map((id) => ({
        id,
        title: id === 'traffic' ? 'Traffic & errors' : 'Latency',
        all: plot.filter((s) => s.chart === id),
        series: shown.filter((s) => s.chart === id),
      })),
    [plot, shown],
  );

  return (
    <div className="panel chart-stack">
      <RangeToolbar fetching={seriesQ.fetching} />
      {stale && (
        <div className="banner banner-warn" data-testid="stale-banner">
          Showing cached metrics from {formatDuration(stale.ageMs)} ago — {stale.reason}
        </div>
      )}
      {seriesQ.error && <ErrorNotice error={seriesQ.error} title="Metrics" />}
      {historyQ.error && <ErrorNotice error={historyQ.error} title="Flag history (markers)" />}
      <div className="chart-area" ref={boxRef}>
        {width > 0 &&
          charts.map((c, i) => {
            const top = i === 0;
            const bottom = i === charts.length - 1;
            const height = HEIGHTS[c.id] + (bottom ? X_AXIS_HEIGHT : 0);
            const rightUnit = c.all.find((s) => s.axis === 'right')?.unit ?? null;
            const leftUnit = c.all.find((s) => s.axis === 'left')?.unit ?? (c.id === 'latency' ? 'ms' : 'rps');
            const errs = errorsByChart(c.id);
            const pts = countPoints(c.series);
            return (
              <div key={c.id} className="chart-box" data-testid={`chart-${c.id}`} data-points={pts}>
                <div className="chart-head">
                  <h3>{c.title}</h3>
                  <ChartLegend series={c.all} visible={visible} onToggle={toggle} />
                </div>
                {errs.map((e) => (
                  <div key={e.metric} className="chart-error" role="alert" data-testid="series-error">
                    <strong>{e.metric}:</strong> {e.message}
                  </div>
                ))}
                <div className="chart-canvas" style={{ height }}>
                  <TimeChart
                    width={width}
                    height={height}
                    from={from}
                    to={to}
                    ticks={ticks}
                    tickInterval={interval}
                    series={c.series}
                    leftUnit={leftUnit}
                    rightUnit={rightUnit}
                    markers={markers}
                    labelMarkers={top}
                    labelBands={top}
                    labelWindows={bottom}
                    bands={bands}
                    windows={windows}
                    showXAxis={bottom}
                    onset={onset}
                    labelOnset={bottom}
                  />
                  {pts === 0 && !seriesQ.fetching && <div className="chart-empty">No data in this range</div>}
                  <ChartOverlay
                    box={{ left: PLOT_LEFT, top: MARGIN.top, width: plotW, height: height - MARGIN.top - MARGIN.bottom - (bottom ? X_AXIS_HEIGHT : 0) }}
                    from={from}
                    to={to}
                  />
                </div>
              </div>
            );
          })}
        <HoverTooltip series={shown} changes={changes} from={from} to={to} plotWidth={plotW} containerWidth={width} stepMs={seriesQ.data?.stepMs ?? 0} />
      </div>
    </div>
  );
}
