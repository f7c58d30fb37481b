/**
 * The incident's one chart: the metric over the window, every flag change from every connection as a marker
 * (coloured by connection, "flag: old → new", suspects numbered by rank) and the onset as a magenta line.
 * Drag to zoom into a narrower window (which is analysed again), double-click to go back to the preset.
 */
import { useEffect, useMemo } from 'react';
import type { FlagChange } from '../../../../shared/domain/flags';
import type { MetricSpec, WireSeries } from '../../../../shared/domain/metrics';
import type { VerdictExtras } from '../../../../shared/domain/verdict';
import { MARGIN, PLOT_LEFT, X_AXIS_HEIGHT, plotWidth, timeToX } from '../../lib/chart-geometry';
import { onsetLabel } from '../../lib/extras';
import { incidentMarkerText, spansEnvironments, suspectRanks } from '../../lib/incident';
import { estimateLabelWidth, layoutLabels } from '../../lib/label-layout';
import { countPoints, toPlotSeries } from '../../lib/series';
import { timeTicks } from '../../lib/time';
import { markAppReady } from '../../components/app-ready';
import { useElementWidth } from '../../components/use-element-width';
import { ChartOverlay } from '../canary/ChartOverlay';
import { HoverTooltip } from '../canary/HoverTooltip';
import { TimeChart, type MarkerPlacement } from '../canary/TimeChart';
import { ONSET_COLOR } from '../canary/chart-labels';

const HEIGHT = 320;
const MARKER_ROWS = 5;

export interface IncidentChartProps {
  from: number;
  to: number;
  series: WireSeries | null;
  specs: readonly MetricSpec[];
  changes: readonly FlagChange[];
  onset: VerdictExtras['onset'];
  suspects: VerdictExtras['suspects'];
  colors: Record<string, string>;
  connectionNames: Record<string, string>;
  fetching: boolean;
  onZoom: (zoom: { from: number; to: number } | null) => void;
}

export function IncidentChart(p: IncidentChartProps): React.JSX.Element {
  const [boxRef, width] = useElementWidth<HTMLDivElement>();
  const plotW = plotWidth(width);
  const plot = useMemo(() => toPlotSeries(p.series ? [p.series] : [], p.specs, {}), [p.series, p.specs]);
  const visibleChanges = useMemo(() => p.changes.filter((c) => c.at >= p.from && c.at <= p.to).sort((a, b) => a.at - b.at), [p.changes, p.from, p.to]);
  const showEnv = spansEnvironments(visibleChanges);
  const ranks = useMemo(() => suspectRanks(p.suspects), [p.suspects]);
  const colorOf = (c: FlagChange): string => p.colors[c.connectionId] ?? '#b0b7c3';
  const markers: MarkerPlacement[] = useMemo(() => {
    const texts = visibleChanges.map((c) => incidentMarkerText(c, ranks.get(c.id) ?? null, showEnv));
    const boxes = visibleChanges.map((c, i) => ({ x: timeToX(c.at, p.from, p.to, plotW), width: estimateLabelWidth(texts[i]) }));
    // Suspects first, by rank: when labels crowd, the ones that matter keep theirs.
    const rows = layoutLabels(boxes, MARKER_ROWS, plotW, 4, visibleChanges.map((c) => -(ranks.get(c.id) ?? 1e6)));
    return visibleChanges.map((c, i) => ({
      change: c,
      row: rows[i].row,
      flipped: rows[i].flipped,
      width: boxes[i].width,
      color: p.colors[c.connectionId] ?? '#b0b7c3',
      text: texts[i],
    }));
  }, [visibleChanges, ranks, showEnv, p.from, p.to, p.colors, plotW]);
  const onset = useMemo(() => (p.onset ? { at: p.onset.at, label: onsetLabel(p.onset) } : null), [p.onset]);
  const { ticks, interval } = useMemo(() => timeTicks(p.from, p.to, plotW), [p.from, p.to, plotW]);
  const points = countPoints(plot);
  useEffect(() => {
    if (points > 0) markAppReady();
  }, [points]);
  const height = HEIGHT + X_AXIS_HEIGHT;
  const connections = Object.keys(p.colors).filter((id) => visibleChanges.some((c) => c.connectionId === id));

  return (
    <div className="incident-chart">
      <ul className="legend incident-legend" aria-label="Legend">
        {plot.map((s) => (
          <li key={s.key} className="legend-item">
            <svg width="20" height="8" aria-hidden="true">
              <line x1="0" y1="4" x2="20" y2="4" stroke={s.color} strokeWidth="2" />
            </svg>
            {s.name}
          </li>
        ))}
        <li className="legend-item">
          <span className="swatch" style={{ background: ONSET_COLOR }} /> onset
        </li>
        {connections.map((id) => (
          <li key={id} className="legend-item" data-testid="incident-connection-legend" data-connection-id={id}>
            <span className="swatch dashed" style={{ borderColor: p.colors[id] }} /> {p.connectionNames[id] ?? id}
          </li>
        ))}
      </ul>
      <div className="chart-area" ref={boxRef} data-testid="incident-chart" data-points={points} data-markers={markers.length}>
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
              markers={markers}
              labelMarkers
              labelBands={false}
              labelWindows={false}
              bands={[]}
              windows={null}
              showXAxis
              onset={onset}
              labelOnset
            />
            {points === 0 && !p.fetching && <div className="chart-empty">No data in this window</div>}
            <ChartOverlay box={{ left: PLOT_LEFT, top: MARGIN.top, width: plotW, height: HEIGHT - MARGIN.top - MARGIN.bottom }} from={p.from} to={p.to} onZoom={p.onZoom} />
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
          describeChange={(c) => `${c.flagKey} (${c.env}): ${c.label} · ${p.connectionNames[c.connectionId] ?? c.connectionId}`}
          changeColor={colorOf}
        />
      </div>
    </div>
  );
}
