/**
 * Incident timeline — "p99 jumped at 14:02, what changed?": a watch's metric over a window with every flag change
 * from every connection and environment on it, where the metric shifted (onset), and the changes ranked as
 * suspects. A suspect opens its flag in the Canary watch.
 */
import { useEffect, useMemo } from 'react';
import { useQuery } from '../../data/use-query';
import { ErrorNotice } from '../../components/ErrorNotice';
import { onsetLabel } from '../../lib/extras';
import { canaryWindowFor, connectionColors, suspectRows, type SuspectRow } from '../../lib/incident';
import { formatDateTime, formatDuration } from '../../lib/time';
import { useUi } from '../../state/ui-store';
import { IncidentChart } from './IncidentChart';
import { IncidentControls } from './IncidentControls';
import { SuspectTable } from './SuspectTable';
import { defaultMetric, incidentWindow, useIncident } from './incident-store';

export function IncidentView(): React.JSX.Element {
  const st = useIncident();
  const selection = useUi((s) => s.selection);
  const watchesQ = useQuery('watches:list', {});
  const connectionsQ = useQuery('connections:list', {});
  const watches = useMemo(() => watchesQ.data ?? [], [watchesQ.data]);

  // Start on the watch of the flag open in the Canary watch, else the first watch.
  useEffect(() => {
    if (watches.length === 0 || (st.watchId && watches.some((w) => w.id === st.watchId))) return;
    const mine = watches.find((w) => selection && w.flagConnectionId === selection.connectionId && w.flagKey === selection.flagKey && w.env === selection.env);
    st.setWatch((mine ?? watches[0]).id);
  }, [watches, st, selection]);

  const watch = watches.find((w) => w.id === st.watchId) ?? null;
  const metric = watch && st.metric && watch.metrics.some((m) => m.name === st.metric) ? st.metric : watch ? defaultMetric(watch.metrics) : null;
  const { from, to } = incidentWindow(st);
  const q = useQuery('incident:analyze', watch && metric ? { watchId: watch.id, metric, from, to } : null, {
    refetchOn: ['flags:changed'],
    keepPreviousIn: watch && metric ? `${watch.id}\u0000${metric}` : undefined,
  });
  const result = q.data;

  const connectionIds = useMemo(() => (connectionsQ.data ?? []).map((c) => c.connection.id), [connectionsQ.data]);
  const changes = useMemo(() => result?.changes ?? [], [result]);
  const colors = useMemo(() => connectionColors([...connectionIds, ...changes.map((c) => c.connectionId)]), [connectionIds, changes]);
  const names = useMemo(() => Object.fromEntries((connectionsQ.data ?? []).map((c) => [c.connection.id, c.connection.name])), [connectionsQ.data]);
  const rows = useMemo(() => (result?.onset ? suspectRows(result.suspects, changes, result.onset.at, result.series) : []), [result, changes]);

  const openSuspect = (r: SuspectRow): void => {
    if (!r.change) return;
    const ui = useUi.getState();
    ui.select({ connectionId: r.change.connectionId, flagKey: r.change.flagKey, env: r.change.env });
    ui.setZoom(canaryWindowFor(r.at, { from, to }, Date.now()));
    ui.setView('canary');
  };

  return (
    <section className="panel page incident" data-testid="incident-view">
      <div className="panel-header">
        <h2>Incident timeline</h2>
        <span className="muted small">every flag change from every connection and environment, on one metric — what changed when it jumped?</span>
      </div>
      <IncidentControls watches={watches} watch={watch} metric={metric} from={from} to={to} fetching={q.fetching} />
      {watchesQ.error && <ErrorNotice error={watchesQ.error} title="Watches" />}
      {watchesQ.data && watches.length === 0 && <div className="empty">No watch yet: open a flag in the Canary watch and save its watch first.</div>}
      {q.error && <ErrorNotice error={q.error} title="Incident analysis" />}
      {watch && (
        <IncidentChart
          from={from}
          to={to}
          series={result?.series ?? null}
          specs={watch.metrics}
          changes={changes}
          onset={result?.onset ?? null}
          suspects={result?.suspects ?? []}
          colors={colors}
          connectionNames={names}
          fetching={q.fetching}
          onZoom={st.setZoom}
        />
      )}
      {result && (
        <div className="incident-findings" data-testid="incident-findings">
          <div className="card-title">Onset</div>
          {result.onset ? (
            <div className="onset-line" data-testid="incident-onset" data-at={result.onset.at}>
              <span className="onset-chip">{onsetLabel(result.onset)}</span>
              <span className="num-text">at {formatDateTime(result.onset.at)}</span>
              <span className="small muted">{result.onset.method}</span>
            </div>
          ) : (
            <div className="muted" data-testid="incident-onset" data-at="">
              No rise of {metric} found in this window ({formatDuration(to - from)}). Widen the window or pick another metric.
            </div>
          )}
          <div className="card-title">Suspects</div>
          <div className="small muted">
            {changes.length} flag change(s) in the window from {new Set(changes.map((c) => c.connectionId)).size} connection(s); the ones near the onset ranked by
            distance to it and by the metric&apos;s shift across them
          </div>
          {result.onset && rows.length === 0 && <div className="muted small">No flag change lies near the onset: look beyond flags (deploys, traffic, dependencies).</div>}
          {rows.length > 0 && <SuspectTable rows={rows} colors={colors} onOpen={openSuspect} />}
        </div>
      )}
    </section>
  );
}
