/**
 * Incident timeline — "p99 jumped at 14:02, what changed?": a watch's metric over a window with every flag change
 * from every connection and environment on it, where the metric regressed (against its seasonal baseline), and the
 * changes up to a small tolerance after it ranked as suspects with per-variant evidence. It opens on the service
 * that regressed (incident:scan across every watch) with a window that holds the regression; a suspect opens its
 * flag in the Canary watch, zoomed onto the change.
 */
import { useEffect, useMemo } from 'react';
import { useQuery } from '../../data/use-query';
import { ErrorNotice } from '../../components/ErrorNotice';
import { onsetLabel, formatShift } from '../../lib/extras';
import { canaryWindowFor, flagColors, openingFor, suspectRows, type SuspectRow } from '../../lib/incident';
import { formatDateTime, formatDuration, zoneLabel } from '../../lib/time';
import { formatValue } from '../../lib/format';
import { useUi } from '../../state/ui-store';
import { IncidentChart } from './IncidentChart';
import { IncidentControls } from './IncidentControls';
import { SuspectTable } from './SuspectTable';
import { defaultMetric, incidentWindow, useIncident } from './incident-store';

const SCAN_MS = 24 * 3_600_000;

export function IncidentView(): React.JSX.Element {
  const st = useIncident();
  // The first visit's window ends at that visit, not at app start: a plan or a ramp made since must be in it.
  useEffect(() => {
    if (useIncident.getState().chosenBy === null) useIncident.getState().refreshNow();
  }, []);
  const watchesQ = useQuery('watches:list', {});
  const connectionsQ = useQuery('connections:list', {});
  const watches = useMemo(() => watchesQ.data ?? [], [watchesQ.data]);
  // Which service regressed, across every watch: the view opens there, not on whichever flag was open last.
  const scanQ = useQuery('incident:scan', { from: st.anchor - SCAN_MS, to: st.anchor });
  const scan = scanQ.data;

  useEffect(() => {
    if (watches.length === 0 || st.chosenBy !== null) return;
    if (scan) {
      const o = openingFor(scan.regressions, watches, st.anchor);
      if (o) st.openOn(o);
      else
        st.openOn({
          watchId: watches[0].id,
          metric: defaultMetric(watches[0].metrics) ?? watches[0].metrics[0].name,
          rangeMs: st.rangeMs,
        });
    } else if (scanQ.error)
      st.openOn({
        watchId: watches[0].id,
        metric: defaultMetric(watches[0].metrics) ?? watches[0].metrics[0].name,
        rangeMs: st.rangeMs,
      });
  }, [watches, scan, scanQ.error, st]);

  const watch = watches.find((w) => w.id === st.watchId) ?? null;
  const metric =
    watch && st.metric && watch.metrics.some((m) => m.name === st.metric)
      ? st.metric
      : watch
        ? defaultMetric(watch.metrics)
        : null;
  const { from, to } = incidentWindow(st);
  const q = useQuery('incident:analyze', watch && metric ? { watchId: watch.id, metric, from, to } : null, {
    refetchOn: ['flags:changed'],
    keepPreviousIn: watch && metric ? `${watch.id}\u0000${metric}` : undefined,
  });
  const result = q.data;

  const changes = useMemo(() => result?.changes ?? [], [result]);
  const colors = useMemo(() => flagColors(changes), [changes]);
  const names = useMemo(
    () => Object.fromEntries((connectionsQ.data ?? []).map((c) => [c.connection.id, c.connection.name])),
    [connectionsQ.data],
  );
  const rows = useMemo(
    () => (result?.onset ? suspectRows(result.suspects, changes, result.onset.at, result.series) : []),
    [result, changes],
  );
  const unit = watch?.metrics.find((m) => m.name === metric)?.unit ?? 'ms';
  const opened = scan?.regressions.find((r) => r.watchId === st.watchId && r.metric === metric) ?? null;

  const openSuspect = (r: SuspectRow): void => {
    if (!r.change) return;
    const ui = useUi.getState();
    ui.select({ connectionId: r.change.connectionId, flagKey: r.change.flagKey, env: r.change.env });
    ui.setZoom(canaryWindowFor(r.at, Date.now()));
    ui.setView('canary');
  };

  return (
    <section className="panel page incident" data-testid="incident-view" data-opened-by={st.chosenBy ?? ''}>
      <div className="panel-header">
        <h2>Incident timeline</h2>
        <span className="muted small">
          every flag change from every connection and environment, on one metric — what changed when it jumped? Times{' '}
          {zoneLabel()}.
        </span>
      </div>
      <IncidentControls watches={watches} watch={watch} metric={metric} from={from} to={to} fetching={q.fetching} />
      {opened && st.chosenBy === 'scan' && (
        <div className="small muted" data-testid="incident-opened-on">
          Opened on {opened.flagKey} ({opened.env}): its {opened.metric} rose {formatShift(opened.shift)} at{' '}
          {formatDateTime(opened.at)} in the 24 h scan across {watches.length} watch(es), its largest regression; the
          onset below is measured on this window, at its own resolution.
        </div>
      )}
      {watchesQ.error && <ErrorNotice error={watchesQ.error} title="Watches" />}
      {watchesQ.data && watches.length === 0 && (
        <div className="empty">No watch yet: open a flag in the Canary watch and save its watch first.</div>
      )}
      {q.error && <ErrorNotice error={q.error} title="Incident analysis" />}
      {watch && (
        <IncidentChart
          from={from}
          to={to}
          series={result?.series ?? null}
          seasonal={result?.seasonal ?? null}
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
              {result.onset.levelBefore !== undefined && result.onset.levelAfter !== undefined && (
                <span className="num-text">
                  {formatValue(result.onset.levelBefore, unit)} → {formatValue(result.onset.levelAfter, unit)}
                </span>
              )}
              <span className="small muted">{result.onset.method}</span>
            </div>
          ) : (
            <div className="muted" data-testid="incident-onset" data-at="">
              No rise of {metric} found in this window ({formatDuration(to - from)}): {result.method}. Widen the window
              or pick another metric.
            </div>
          )}
          <div className="card-title">Suspects</div>
          <div className="small muted">
            {changes.length} flag change(s) in the window from {new Set(changes.map((c) => c.connectionId)).size}{' '}
            connection(s); suspects are the changes from before the onset up to {formatDuration(result.toleranceMs)}{' '}
            after it, ranked by distance, by the metric&apos;s shift across them and by their own arms (treatment moved,
            control did not)
          </div>
          {result.onset && rows.length === 0 && (
            <div className="muted small">
              No flag change lies near the onset: look beyond flags (deploys, traffic, dependencies).
            </div>
          )}
          {rows.length > 0 && <SuspectTable rows={rows} colors={colors} onOpen={openSuspect} />}
        </div>
      )}
    </section>
  );
}
