/**
 * The stacked charts on one time axis: traffic & errors, then latency. The series come from the watch's SeriesView
 * (data/series-view.ts: asked on the input, held as columns, appended by pushes), the flag's changes over the window
 * from its history, the verdict's windows from the shown verdict; the change labels are laid out so they never overlap.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { FlagRow } from '../../../../shared/contract';
import type { Watch } from '../../../../shared/domain/metrics';
import { countDrawable, NO_POINTS } from '../../charts/columns';
import { HoverTooltip } from '../../charts/HoverTooltip';
import { markAppReady } from '../../components/app-ready';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useElementWidth } from '../../components/use-element-width';
import { useSeriesView } from '../../data/series-views';
import {
  placeMetric,
  styleSeries,
  bySpecOrder,
  isVisible,
  type ChartId,
  type ChartSeries,
  type SeriesStyle,
  type VariantNames,
} from '../../lib/series';
import { formatDuration } from '../../lib/time';
import { useUi, visibleRange } from '../../state/ui-store';
import { usePlanBands } from '../plans/use-plan-bands';
import { RangeToolbar } from './RangeToolbar';
import { StackChart } from './StackChart';
import { useChartMarks } from './use-chart-marks';
import { useShownVerdict } from './use-verdict';
import { useWeekPrefetch } from './use-week-prefetch';

export function ChartStack({
  watch,
  row,
  names,
  stale: coreStale,
}: {
  watch: Watch;
  row: FlagRow;
  names: VariantNames;
  stale: boolean;
}): React.JSX.Element {
  const [fullScale, setFullScale] = useState<Record<ChartId, boolean>>({ traffic: false, latency: false });
  const [boxRef, width] = useElementWidth<HTMLDivElement>();
  const { frame, fetching, error } = useSeriesView(watch.id, width);
  const fallback = visibleRange(useUi.getState());
  // The frame's window: the lines, axes, markers and bands of one render always share it.
  const from = frame?.from ?? fallback.from;
  const to = frame?.to ?? fallback.to;

  const styled = useMemo(
    () => (frame?.series ?? []).map((s) => styleSeries(s, watch.metrics, names)).sort(bySpecOrder(watch.metrics)),
    [frame?.series, watch.metrics, names],
  );
  const overrides = useUi((s) => s.seriesVisibility);
  const setSeriesVisible = useUi((s) => s.setSeriesVisible);
  // Stable callbacks and per-chart errors: the memoized charts re-render when what they draw changed, not per render.
  const visible = useCallback((s: SeriesStyle): boolean => isVisible(s, styled, overrides), [styled, overrides]);
  const toggle = useCallback(
    (s: SeriesStyle): void => setSeriesVisible(s.key, !isVisible(s, styled, overrides)),
    [setSeriesVisible, styled, overrides],
  );
  const toggleFullScale = useCallback((id: ChartId) => setFullScale((f) => ({ ...f, [id]: !f[id] })), []);
  const shown: ChartSeries[] = useMemo(
    () =>
      styled.filter((s) => frame?.cols.has(s.key)).map((s) => ({ ...s, cols: frame?.cols.get(s.key) ?? NO_POINTS })),
    [styled, frame?.cols],
  );
  const verdict = useShownVerdict(watch.id).verdict;
  const marks = useChartMarks({ row, from, to, width, verdict });
  const planBands = usePlanBands(watch, from, to);

  const points = (series: readonly ChartSeries[]): number =>
    series.reduce((n, s) => n + countDrawable(s.cols, from, to), 0);
  const hasData = points(shown) > 0;
  useEffect(() => {
    if (hasData) markAppReady();
  }, [hasData]);
  useWeekPrefetch(watch.id, row, width, hasData);

  const stale = frame?.stale ?? null;
  const notLive = coreStale || stale !== null;
  const seriesErrors = frame?.errors;
  const errorsByChart = useMemo(() => {
    const of = (chart: ChartId) =>
      (seriesErrors ?? []).filter((e) => placeMetric(e.metric, watch.metrics).chart === chart);
    return { traffic: of('traffic'), latency: of('latency') };
  }, [seriesErrors, watch.metrics]);
  const charts = useMemo(
    () =>
      (['traffic', 'latency'] as const).map((id) => ({
        id,
        title: id === 'traffic' ? 'Traffic & errors' : 'Latency',
        all: styled.filter((s) => s.chart === id),
        series: shown.filter((s) => s.chart === id),
      })),
    [styled, shown],
  );

  return (
    <div className="panel chart-stack">
      <RangeToolbar
        fetching={fetching}
        notLive={
          coreStale
            ? 'the Rampart core is unreachable'
            : stale
              ? `metrics from ${formatDuration(stale.ageMs)} ago`
              : null
        }
        dataAt={frame?.dataAt ?? null}
      />
      {stale && (
        <div className="banner banner-warn" data-testid="stale-banner">
          Showing cached metrics from {formatDuration(stale.ageMs)} ago — {stale.message}
        </div>
      )}
      {error && <ErrorNotice error={error} title="Metrics" />}
      {marks.error && <ErrorNotice error={marks.error} title="Flag history (markers)" />}
      <div className="chart-area" ref={boxRef}>
        {width > 0 &&
          charts.map((c, i) => (
            <StackChart
              key={c.id}
              id={c.id}
              title={c.title}
              all={c.all}
              series={c.series}
              points={points(c.series)}
              top={i === 0}
              bottom={i === charts.length - 1}
              width={width}
              from={from}
              to={to}
              marks={marks}
              planBands={planBands}
              errors={errorsByChart[c.id]}
              notLive={notLive}
              fetching={fetching || frame === null}
              fullScale={fullScale[c.id]}
              onFullScale={toggleFullScale}
              visible={visible}
              onToggle={toggle}
            />
          ))}
        <HoverTooltip
          series={shown}
          changes={marks.changes}
          from={from}
          to={to}
          plotWidth={marks.plotWidth}
          containerWidth={width}
          stepMs={frame?.stepMs ?? 0}
          planBands={planBands}
        />
      </div>
    </div>
  );
}
