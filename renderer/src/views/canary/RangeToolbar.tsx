/**
 * Time range presets, live/zoom state and Reset zoom. "● live" only when it is true: while the core or the metrics
 * provider is unreachable the toolbar says "not live" and how old the data on screen is.
 */
import { formatClock, formatWindow } from '../../lib/time';
import { RANGE_PRESETS, useUi } from '../../state/ui-store';

export function RangeToolbar({
  fetching,
  notLive,
  dataAt,
}: {
  fetching: boolean;
  notLive: string | null;
  dataAt: number | null;
}): React.JSX.Element {
  const rangeMs = useUi((s) => s.rangeMs);
  const zoom = useUi((s) => s.zoom);
  const setRange = useUi((s) => s.setRange);
  const setZoom = useUi((s) => s.setZoom);
  return (
    <div className="toolbar">
      <div className="segmented" role="group" aria-label="Time range">
        {RANGE_PRESETS.map((p) => (
          <button
            key={p.label}
            type="button"
            className={!zoom && rangeMs === p.ms ? 'seg active' : 'seg'}
            aria-pressed={!zoom && rangeMs === p.ms}
            onClick={() => setRange(p.ms)}
            data-testid={`range-${p.label}`}
          >
            {p.label}
          </button>
        ))}
      </div>
      {zoom && (
        <>
          <span className="zoom-info small">{formatWindow(zoom.from, zoom.to)}</span>
          <button type="button" className="button subtle" onClick={() => setZoom(null)} data-testid="reset-zoom">
            Reset zoom
          </button>
        </>
      )}
      {notLive ? (
        <span className="not-live-chip small" data-testid="not-live" title={notLive}>
          ⚠ not live — {notLive}
          {dataAt ? `; data fetched ${formatClock(dataAt)}` : ''}
        </span>
      ) : (
        !zoom && (
          <span
            className="live-chip small"
            title="The window follows now; drag on a chart to zoom"
            data-testid="live-chip"
          >
            ● live
          </span>
        )
      )}
      <span className="spacer" />
      <span className="muted small hint">drag to zoom · double-click to reset</span>
      <span className={fetching ? 'fetch-dot busy' : 'fetch-dot'} title={fetching ? 'refreshing' : 'up to date'} />
    </div>
  );
}
