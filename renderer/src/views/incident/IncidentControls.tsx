/** The incident's question: which watch, which metric, which window (presets, or a window dragged on the chart). */
import type { Watch } from '../../../../shared/domain/metrics';
import { formatDateTime } from '../../lib/time';
import { INCIDENT_PRESETS, useIncident } from './incident-store';

export function IncidentControls({
  watches,
  watch,
  metric,
  from,
  to,
  fetching,
}: {
  watches: readonly Watch[];
  watch: Watch | null;
  metric: string | null;
  from: number;
  to: number;
  fetching: boolean;
}): React.JSX.Element {
  const st = useIncident();
  return (
    <div className="toolbar incident-controls">
      <label className="inline-field">
        watch
        <select
          value={watch?.id ?? ''}
          onChange={(e) => st.setWatch(e.target.value)}
          data-testid="incident-watch"
          aria-label="Watch"
        >
          {watches.map((w) => (
            <option key={w.id} value={w.id}>
              {w.flagKey} · {w.env} · {w.metricsConnectionId}
            </option>
          ))}
        </select>
      </label>
      <label className="inline-field">
        metric
        <select
          value={metric ?? ''}
          onChange={(e) => st.setMetric(e.target.value)}
          data-testid="incident-metric"
          aria-label="Metric"
        >
          {(watch?.metrics ?? []).map((m) => (
            <option key={m.name} value={m.name}>
              {m.name} ({m.kind})
            </option>
          ))}
        </select>
      </label>
      <div className="segmented" role="group" aria-label="Window">
        {INCIDENT_PRESETS.map((p) => {
          const active = !st.zoom && st.rangeMs === p.ms;
          return (
            <button
              key={p.label}
              type="button"
              className={active ? 'seg active' : 'seg'}
              aria-pressed={active}
              onClick={() => st.setRange(p.ms)}
              data-testid={`incident-range-${p.label}`}
            >
              {p.label}
            </button>
          );
        })}
      </div>
      <span className="zoom-info small num-text" data-testid="incident-window">
        {formatDateTime(from)} →{' '}
        {formatDateTime(to).slice(0, 10) === formatDateTime(from).slice(0, 10)
          ? formatDateTime(to).slice(11)
          : formatDateTime(to)}
      </span>
      {st.zoom ? (
        <button
          type="button"
          className="button subtle"
          onClick={() => st.setZoom(null)}
          data-testid="incident-reset-zoom"
        >
          Reset zoom
        </button>
      ) : (
        <button type="button" className="button subtle" onClick={st.refreshNow} title="Move the window's end to now">
          Up to now
        </button>
      )}
      <span className="spacer" />
      <span className="muted small hint">drag on the chart to zoom · double-click to reset</span>
      <span className={fetching ? 'fetch-dot busy' : 'fetch-dot'} title={fetching ? 'analysing' : 'up to date'} />
    </div>
  );
}
