/**
 * The one tooltip of the chart stack: at the hover time, every series' value (nearest point within a couple of
 * pixel columns) and any flag change under the cursor.
 */
import type { FlagChange } from '../../../shared/domain/flags';
import type { PlanBand } from '../../../shared/domain/plans';
import { PLOT_LEFT, timeToX } from '../lib/chart-geometry';
import { formatValue } from '../lib/format';
import type { ChartSeries } from '../lib/series';
import { nearestValue } from './columns';
import { formatDateTime } from '../lib/time';
import { useUi } from '../state/ui-store';
import { markerColor } from './marker-style';
import { PlanBandTips } from './PlanBandsLayer';

const TOOLTIP_WIDTH = 300;

export function HoverTooltip({
  series,
  changes,
  from,
  to,
  plotWidth,
  containerWidth,
  stepMs,
  describeChange = (c) => c.label,
  changeColor = markerColor,
  planBands = [],
}: {
  series: readonly ChartSeries[];
  changes: FlagChange[];
  from: number;
  to: number;
  plotWidth: number;
  containerWidth: number;
  stepMs: number;
  /** How a change is named and coloured (the incident view adds the flag key and colours by connection). */
  describeChange?: (c: FlagChange) => string;
  changeColor?: (c: FlagChange) => string;
  /** A rollout plan's steps on these charts: the step under the cursor, a rollback near it with its reason. */
  planBands?: readonly PlanBand[];
}): React.JSX.Element | null {
  const hover = useUi((s) => s.hoverTime);
  if (hover === null || hover < from || hover > to || plotWidth <= 0) return null;
  const msPerPx = (to - from) / plotWidth;
  const maxGap = Math.max(stepMs, 3 * msPerPx);
  const near = changes.filter((c) => Math.abs(c.at - hover) <= 4 * msPerPx);
  const x = PLOT_LEFT + timeToX(hover, from, to, plotWidth);
  const left = x + 14 + TOOLTIP_WIDTH > containerWidth ? x - 14 - TOOLTIP_WIDTH : x + 14;
  return (
    // Placed by a transform on its own layer (issue 15): following the pointer repaints the tooltip, not the charts.
    <div
      className="hover-tooltip"
      style={{ left: 0, transform: `translateX(${left}px)`, willChange: 'transform', width: TOOLTIP_WIDTH }}
      data-testid="hover-tooltip"
    >
      <div className="tt-time">{formatDateTime(hover)}</div>
      {near.map((c) => (
        <div key={c.id} className="tt-change" style={{ borderLeftColor: changeColor(c) }}>
          <strong>{describeChange(c)}</strong>
          <span className="muted">
            {' '}
            at {formatDateTime(c.at).slice(11)}
            {c.actor ? ` by ${c.actor}` : ''}
          </span>
          {c.comment && <div className="muted">“{c.comment}”</div>}
        </div>
      ))}
      <PlanBandTips bands={planBands} hover={hover} msPerPx={msPerPx} />
      <table className="tt-values">
        <tbody>
          {series.map((s) => {
            const p = nearestValue(s.cols, hover, maxGap);
            return (
              <tr key={s.key}>
                <td>
                  <svg width="18" height="8" aria-hidden="true">
                    <line x1="0" y1="4" x2="18" y2="4" stroke={s.color} strokeWidth="2" strokeDasharray={s.dash} />
                  </svg>
                </td>
                <td className="tt-name">{s.name}</td>
                <td className="num">{formatValue(p?.v ?? null, s.unit)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
