import { useQuery } from './data/use-query';
import { useUi, type ViewId } from './state/ui-store';
import { useConnectionStatus } from './state/connection-store';
import { CanaryWatchView } from './views/canary/CanaryWatchView';
import { AuditView } from './views/audit/AuditView';
import { IncidentView } from './views/incident/IncidentView';
import { ConnectionsView } from './views/connections/ConnectionsView';
import { CohortsView } from './views/cohorts/CohortsView';
import { PlansView } from './views/plans/PlansView';
import { PlanNotifier } from './views/plans/PlanNotifier';
import { LifecycleView } from './views/lifecycle/LifecycleView';
import { LifecycleNotifier } from './views/lifecycle/LifecycleNotifier';
import { Toasts } from './components/Toasts';
import { ErrorNotice } from './components/ErrorNotice';
import { formatClock, zoneLabel } from './lib/time';

const NAV: { id: ViewId; label: string; hint: string }[] = [
  { id: 'canary', label: 'Canary watch', hint: 'One flag, live charts, the decision, ramp / rollback' },
  {
    id: 'incident',
    label: 'Incident timeline',
    hint: '"p99 jumped — what changed?" Every flag change from every store on one metric, with the onset and ranked suspects',
  },
  {
    id: 'cohorts',
    label: 'Cohorts',
    hint: 'A beta cohort: who is in it, how many are exposed, is their experience worse',
  },
  { id: 'plans', label: 'Plans', hint: 'Guarded rollout plans across every store: what each will do next, and when' },
  {
    id: 'lifecycle',
    label: 'Lifecycle',
    hint: 'Stale flags with the code that still reads them, version history with restore, promote staging → production',
  },
  { id: 'audit', label: 'Audit', hint: 'Every action Rampart took or refused' },
  { id: 'connections', label: 'Connections', hint: 'Flag stores, metrics providers and watches' },
];

const VIEWS: Partial<Record<ViewId, () => React.JSX.Element>> = {
  canary: CanaryWatchView,
  incident: IncidentView,
  cohorts: CohortsView,
  plans: PlansView,
  lifecycle: LifecycleView,
  audit: AuditView,
  connections: ConnectionsView,
};

/** One display zone for every time on screen, named and switchable (issue 11). */
function ZoneSwitch(): React.JSX.Element {
  const zone = useUi((s) => s.timeZone);
  const setZone = useUi((s) => s.setTimeZone);
  return (
    <div
      className="segmented zone-switch"
      role="group"
      aria-label="Time zone"
      title={`Times are shown in ${zoneLabel()}`}
    >
      <button
        type="button"
        className={zone === 'local' ? 'seg active' : 'seg'}
        aria-pressed={zone === 'local'}
        onClick={() => setZone('local')}
        data-testid="zone-local"
      >
        {zoneLabel('local')}
      </button>
      <button
        type="button"
        className={zone === 'utc' ? 'seg active' : 'seg'}
        aria-pressed={zone === 'utc'}
        onClick={() => setZone('utc')}
        data-testid="zone-utc"
      >
        UTC
      </button>
    </div>
  );
}

export function App(): React.JSX.Element {
  const view = useUi((s) => s.view);
  const setView = useUi((s) => s.setView);
  const zone = useUi((s) => s.timeZone);
  const streamConnected = useConnectionStatus((s) => s.streamConnected);
  const core = useConnectionStatus((s) => s.core);
  const info = useQuery('app:info', {});
  const View = VIEWS[view] ?? CanaryWatchView;

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
          <span
            className="demo-badge"
            data-testid="demo-badge"
            title="A demo workspace: a flagd file and a simulated service"
          >
            DEMO
          </span>
        )}
        <span className="topbar-spacer" />
        {!core.reachable ? (
          <span className="core-down" role="alert" data-testid="core-down" title={core.lastError ?? ''}>
            ⚠ core unreachable since {formatClock(core.downSince ?? Date.now())} — nothing on screen is live
          </span>
        ) : (
          !streamConnected && (
            <span className="stream-lost" title="The push-event stream dropped; reconnecting">
              live updates paused — reconnecting
            </span>
          )
        )}
        <ZoneSwitch />
        {info.data && (
          <span className="muted small" data-testid="who">
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
      {/* Re-mounted on a zone switch, so every memoized chart and label is drawn again in the new zone. */}
      <main className="content" key={zone}>
        {info.error && info.error.code !== 'unreachable' && <ErrorNotice error={info.error} />}
        <View />
      </main>
      <Toasts />
      <PlanNotifier />
      <LifecycleNotifier />
    </div>
  );
}
