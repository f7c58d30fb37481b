import { useQuery } from './data/use-query';
import { useUi, type ViewId } from './state/ui-store';
import { useConnectionStatus } from './state/connection-store';
import { CanaryWatchView } from './views/canary/CanaryWatchView';
import { AuditView } from './views/audit/AuditView';
import { IncidentView } from './views/incident/IncidentView';
import { ConnectionsView } from './views/connections/ConnectionsView';
import { CohortsView } from './views/cohorts/CohortsView';
import { Toasts } from './components/Toasts';
import { ErrorNotice } from './components/ErrorNotice';

const NAV: { id: ViewId; label: string; hint: string }[] = [
  { id: 'canary', label: 'Canary watch', hint: 'One flag, live charts, verdict, ramp / rollback' },
  { id: 'incident', label: 'Incident timeline', hint: '"p99 jumped — what changed?" Every flag change from every store on one metric, with the onset and ranked suspects' },
  { id: 'cohorts', label: 'Cohorts', hint: 'A beta cohort: who is in it, how many are exposed, is their experience worse' },
  { id: 'audit', label: 'Audit', hint: 'Every action Rampart took' },
  { id: 'connections', label: 'Connections', hint: 'Flag stores and metrics providers' },
];

export function App(): React.JSX.Element {
  const view = useUi((s) => s.view);
  const setView = useUi((s) => s.setView);
  const streamConnected = useConnectionStatus((s) => s.streamConnected);
  const info = useQuery('app:info', {});

  if (info.error?.code === 'unauthorized') {
    return (
      <div className="fatal">
        <h1>Rampart</h1>
        <ErrorNotice error={info.error} />
      </div>
    );
  }

  return (
    <div className="shell">
      <header className="topbar">
        <span className="brand">Rampart</span>
        {info.data?.demo && (
          <span className="demo-badge" data-testid="demo-badge" title="A demo workspace: a flagd file and a simulated service">
            DEMO
          </span>
        )}
        <span className="topbar-spacer" />
        {!streamConnected && (
          <span className="stream-lost" title="The push-event stream dropped; reconnecting">
            live updates paused — reconnecting
          </span>
        )}
        {info.data && (
          <span className="muted small">
            {info.data.user} · v{info.data.version} · {info.data.door === 'http' ? 'browser host' : info.data.door}
          </span>
        )}
      </header>
      <nav className="sidenav" aria-label="Views">
        {NAV.map((n) => (
          <button
            key={n.id}
            type="button"
            className={view === n.id ? 'nav-item active' : 'nav-item'}
            aria-current={view === n.id ? 'page' : undefined}
            title={n.hint}
            data-testid={`nav-${n.id}`}
            onClick={() => setView(n.id)}
          >
            {n.label}
          </button>
        ))}
      </nav>
      <main className="content">
        {info.error && <ErrorNotice error={info.error} />}
        {view === 'canary' && <CanaryWatchView />}
        {view === 'incident' && <IncidentView />}
        {view === 'cohorts' && <CohortsView />}
        {view === 'audit' && <AuditView />}
        {view === 'connections' && <ConnectionsView />}
      </main>
      <Toasts />
    </div>
  );
}
