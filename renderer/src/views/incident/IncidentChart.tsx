/**
 * The incident's one chart: the metric over the window beside its seasonal reference (dashed grey), every flag change
 * from every connection as a marker (coloured by flag, "flag: old → new", suspects numbered by rank; only the
 * suspects and a few others get a text label, the rest a handle) and the onset as a magenta line. Drag to zoom
 * into a narrower window (which is analysed again), double-click to go back to the preset.
 */
import { useEffect, useMemo } from 'react';
import type { FlagChange } from '../../../../shared/domain/flags';
import type { MetricSpec, WireSeries } from '../../../../shared/domain/metrics';
import type { IncidentOnset, IncidentSuspect } from '../../../../shared/contract/domains/incident';
import { ONSET_COLOR, type MarkerPlacement } from '../../charts/chart-labels';
import { ChartOverlay } from '../../charts/ChartOverlay';
import { PlanBandsLayer } from '../../charts/PlanBandsLayer';
import { columnsFromPairs, countDrawable } from '../../charts/columns';
import { HoverTooltip } from '../../charts/HoverTooltip';
import { Labels, RefLines } from '../../charts/references';
import { TimeChart } from '../../charts/TimeChart';
import { MARGIN, PLOT_LEFT, X_AXIS_HEIGHT, plotWidth, timeToX } from '../../lib/chart-geometry';
import { onsetLabel } from '../../lib/extras';
import { flagKeyOf, incidentMarkerText, labelPriority, spansEnvironments, suspectRanks } from '../../lib/incident';
import { estimateLabelWidth, layoutLabels } from '../../lib/label-layout';
import { bySpecOrder, styleSeries, type ChartSeries } from '../../lib/series';
import { timeTicks, zoneShort } from '../../lib/time';
import { markAppReady } from '../../components/app-ready';
import { useElementWidth } from '../../components/use-element-width';
import { usePlanBandsAcross } from '../plans/use-plan-bands';

const HEIGHT = 320;
const MARKER_ROWS = 3;
const SEASONAL_COLOR = '#8a919c';

export interface IncidentChartProps {
  from: number;
  to: number;
  series: WireSeries | null;
  /** The same metric a week (or a day) earlier, moved onto the window: what the onset was measured against. */
  seasonal: WireSeries | null;
  specs: readonly MetricSpec[];
  changes: readonly FlagChange[];
  onset: IncidentOnset | null;
  suspects: readonly IncidentSuspect[];
  colors: Record<string, string>;
  connectionNames: Record<string, string>;
  fetching: boolean;
  onZoom: (zoom: { from: number; to: number } | null) => void;
}

export function IncidentChart(p: IncidentChartProps): React.JSX.Element {
  const [boxRef, width] = useElementWidth<HTMLDivElement>();
  const plotW = plotWidth(width);
  const plot = useMemo((): ChartSeries[] => {
    const main = (p.series ? [p.series] : [])
      .map((s) => ({ ...styleSeries(s, p.specs, {}), cols: columnsFromPairs(s.points) }))
      .sort(bySpecOrder(p.specs));
    if (!p.seasonal || main.length === 0) return main;
    const period = p.seasonal.labels.seasonal || 'earlier';
    return [
      ...main,
      {
        ...main[0],
        key: 'seasonal',
        variant: 'seasonal',
        role: 'other',
        color: SEASONAL_COLOR,
        dash: '4 3',
        name: `${main[0].metric} · ${period} earlier`,
        cols: columnsFromPairs(p.seasonal.points),
      },
    ];
  }, [p.series, p.seasonal, p.specs]);
  const visibleChanges = useMemo(
    () => p.changes.filter((c) => c.at >= p.from && c.at <= p.to).sort((a, b) => a.at - b.at),
    [p.changes, p.from, p.to],
  );
  const showEnv = spansEnvironments(visibleChanges);
  const ranks = useMemo(() => suspectRanks(p.suspects), [p.suspects]);
  const colorOf = (c: FlagChange): string => p.colors[flagKeyOf(c)] ?? '#b0b7c3';
  const markers: MarkerPlacement[] = useMemo(() => {
    const texts = visibleChanges.map((c) => incidentMarkerText(c, ranks.get(c.id) ?? null, showEnv));
    const boxes = visibleChanges.map((c, i) => ({
      x: timeToX(c.at, p.from, p.to, plotW),
      width: estimateLabelWidth(texts[i]),
    }));
    // Suspects first, by rank, then a few of the newest: the rest keep a handle (no text), so labels never pile up.
    const priority = labelPriority(visibleChanges, ranks);
    const rows = layoutLabels(boxes, MARKER_ROWS, plotW, 4, priority);
    return visibleChanges.map((c, i) => ({
      change: c,
      row: priority[i] < 0 ? -1 : rows[i].row,
      flipped: rows[i].flipped,
      width: boxes[i].width,
      color: p.colors[flagKeyOf(c)] ?? '#b0b7c3',
      text: texts[i],
    }));
  }, [visibleChanges, ranks, showEnv, p.from, p.to, p.colors, plotW]);
  const onset = useMemo(() => (p.onset ? { at: p.onset.at, label: onsetLabel(p.onset) } : null), [p.onset]);
  // Plans that ran in the window, across flags: each band names its flag ("checkout-v2: plan step 2/5 · 25%").
  const planData = usePlanBandsAcross(p.from, p.to);
  const planBands = useMemo(() => planData.map((b) => ({ ...b, label: `${b.flagKey}: ${b.label}` })), [planData]);
  const { ticks, interval } = useMemo(() => timeTicks(p.from, p.to, plotW), [p.from, p.to, plotW]);
  const points = plot.reduce((n, s) => n + countDrawable(s.cols), 0);
  useEffect(() => {
    if (points > 0) markAppReady();
  }, [points]);
  const height = HEIGHT + X_AXIS_HEIGHT;
  const flags = Object.keys(p.colors).filter((k) => visibleChanges.some((c) => flagKeyOf(c) === k));

  return (
    <div className="incident-chart">
      <ul className="legend incident-legend" aria-label="Legend">
        {plot.map((s) => (
          <li key={s.key} className="legend-item">
            <svg width="20" height="8" aria-hidden="true">
              <line x1="0" y1="4" x2="20" y2="4" stroke={s.color} strokeWidth="2" strokeDasharray={s.dash} />
            </svg>
            {s.name}
          </li>
        ))}
        <li className="legend-item">
          <span className="swatch" style={{ background: ONSET_COLOR }} /> onset
        </li>
        {flags.map((k) => {
          const [connectionId, flagKey] = k.split('\u0000');
          return (
            <li
              key={k}
              className="legend-item"
              data-testid="incident-flag-legend"
              data-flag-key={flagKey}
              data-connection-id={connectionId}
            >
              <span className="swatch dashed" style={{ borderColor: p.colors[k] }} /> {flagKey}{' '}
              <span className="muted">({p.connectionNames[connectionId] ?? connectionId})</span>
            </li>
          );
        })}
      </ul>
      <div
        className="chart-area"
        ref={boxRef}
        data-testid="incident-chart"
        data-points={points}
        data-markers={markers.length}
        data-from={p.from}
        data-to={p.to}
      >
        {width > 0 && (
          <div className="chart-canvas" style={{ height }}>
            <TimeChart
              width={width}
              height={height}
              from={p.from}
              to={p.to}
              ticks={ticks}
              tickInterval={interval}
              series={plot}
              leftUnit={plot[0]?.unit ?? 'ms'}
              rightUnit={null}
              showXAxis
              zone={zoneShort()}
              over={
                <>
                  <RefLines markers={markers} onset={onset} />
                  <PlanBandsLayer bands={planBands} labels />
                  <Labels markers={markers} onset={onset} />
                </>
              }
            />
            {points === 0 && !p.fetching && <div className="chart-empty">No data in this window</div>}
            <ChartOverlay
              box={{ left: PLOT_LEFT, top: MARGIN.top, width: plotW, height: HEIGHT - MARGIN.top - MARGIN.bottom }}
              from={p.from}
              to={p.to}
              onZoom={p.onZoom}
            />
          </div>
        )}
        <HoverTooltip
          series={plot}
          changes={visibleChanges}
          from={p.from}
          to={p.to}
          plotWidth={plotW}
          containerWidth={width}
          stepMs={0}
          describeChange={(c) =>
            `${c.flagKey} (${c.env}): ${c.label} · ${p.connectionNames[c.connectionId] ?? c.connectionId}`
          }
          changeColor={colorOf}
          planBands={planBands}
        />
      </div>
    </div>
  );
}
