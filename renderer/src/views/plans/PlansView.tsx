/**
 * Plans: every plan across every store (issue 12) — state, step and exposure, bake progress, the next decision and
 * when, who drives it — with the same actions as the canary watch's strip; a row opens the flag there. Saved
 * policies (templates) are listed below, and the browser host can turn on desktop notifications here.
 */
import { useState } from 'react';
import { useQuery } from '../../data/use-query';
import { useUi } from '../../state/ui-store';
import { ErrorNotice } from '../../components/ErrorNotice';
import { api } from '../../api';
import { formatAgo, formatDuration, formatHourMinute, zoneLabel } from '../../lib/time';
import { PlanActions } from './PlanActions';
import { PlanState } from './PlanStrip';
import { PlanSteps } from './PlanSteps';
import { evaluatingText, exposureOf, progress } from './plan-format';
import { notificationsPermission, requestNotifications } from './PlanNotifier';
import './plans.css';

function NotificationSwitch(): React.JSX.Element | null {
  const [state, setState] = useState(notificationsPermission());
  if (api.transport === 'ipc') return <span className="muted small">Desktop notifications: on (the app)</span>;
  if (state === 'unsupported') return <span className="muted small">This browser has no desktop notifications</span>;
  if (state === 'granted')
    return (
      <span className="muted small" data-testid="notifications-on">
        Desktop notifications: on
      </span>
    );
  return (
    <button
      type="button"
      className="button subtle"
      onClick={() => void requestNotifications().then(setState)}
      data-testid="notifications-enable"
      disabled={state === 'denied'}
    >
      {state === 'denied' ? 'Desktop notifications blocked by the browser' : 'Enable desktop notifications'}
    </button>
  );
}

export function PlansView(): React.JSX.Element {
  const [all, setAll] = useState(true);
  const plans = useQuery('plans:list', all ? {} : { active: true }, {
    refetchOn: ['plans:updated', 'decision:updated'],
  });
  const policies = useQuery('plans:policies', {}, { refetchOn: ['plans:updated'] });
  const connections = useQuery('connections:list', {});
  const select = useUi((s) => s.select);
  const setView = useUi((s) => s.setView);
  const name = (id: string) => connections.data?.find((c) => c.connection.id === id)?.connection.name ?? id;
  const now = plans.fetchedAt ?? Date.now();
  const open = (p: { connectionId: string; flagKey: string; env: string }) => {
    select({ connectionId: p.connectionId, flagKey: p.flagKey, env: p.env });
    setView('canary');
  };
  const rows = plans.data ?? [];
  return (
    <div className="plans-view" data-testid="plans-view">
      <div className="plans-toolbar">
        <h1>Plans</h1>
        <span className="muted small">
          {
            rows.filter((p) => ['running', 'holding', 'paused', 'awaiting-approval', 'rolled-back'].includes(p.state))
              .length
          }{' '}
          active · times in {zoneLabel()}
        </span>
        <div className="segmented" role="group" aria-label="Which plans">
          <button type="button" className={all ? 'seg active' : 'seg'} onClick={() => setAll(true)}>
            All
          </button>
          <button
            type="button"
            className={!all ? 'seg active' : 'seg'}
            onClick={() => setAll(false)}
            data-testid="plans-active-only"
          >
            Active
          </button>
        </div>
        <span style={{ flex: 1 }} />
        <NotificationSwitch />
      </div>
      {plans.error && <ErrorNotice error={plans.error} title="Plans" />}
      <div className="panel table-scroll">
        <table className="table">
          <thead>
            <tr>
              <th>flag</th>
              <th className="hide-narrow">env</th>
              <th className="hide-narrow">store</th>
              <th>state</th>
              <th>steps</th>
              <th className="num">at</th>
              <th className="hide-narrow">bake</th>
              <th>next</th>
              <th className="hide-narrow">started</th>
              <th>actions</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((p) => {
              const pr = progress(p);
              return (
                <tr
                  key={p.id}
                  className="clickable"
                  data-testid="plan-row"
                  data-plan-id={p.id}
                  data-state={p.state}
                  onDoubleClick={() => open(p)}
                >
                  <td>
                    <button
                      type="button"
                      className="link-button"
                      onClick={() => open(p)}
                      title="Open in the canary watch"
                    >
                      <code>{p.flagKey}</code>
                    </button>
                    <span className="show-narrow muted small"> {p.env}</span>
                  </td>
                  <td className="hide-narrow">
                    <span className="env-chip">{p.env}</span>
                  </td>
                  <td className="hide-narrow small">{name(p.connectionId)}</td>
                  <td>
                    <PlanState plan={p} />
                  </td>
                  <td>
                    <PlanSteps plan={p} />
                  </td>
                  <td className="num">{exposureOf(p)}</td>
                  <td className="small hide-narrow">
                    {['running', 'holding', 'awaiting-approval'].includes(p.state)
                      ? `${formatDuration(Math.min(p.outlook.bake.elapsedMs, p.outlook.bake.requiredMs))} / ${formatDuration(p.outlook.bake.requiredMs)} (${Math.round(pr.bake * 100)}%)`
                      : '—'}
                  </td>
                  <td className="small next-cell">
                    {p.outlook.next.text}
                    {evaluatingText(p, now, formatHourMinute) && (
                      <span className="muted"> · {evaluatingText(p, now, formatHourMinute)}</span>
                    )}
                    {p.outlook.next.at !== null && (
                      <span className="muted"> · ≈ {formatHourMinute(p.outlook.next.at)}</span>
                    )}
                  </td>
                  <td className="hide-narrow small">
                    {formatAgo(p.startedAt, now)} by {p.startedBy}
                  </td>
                  <td>
                    <PlanActions plan={p} exports={false} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {rows.length === 0 && !plans.error && (
          <div className="empty">
            {plans.data
              ? 'No plans yet: start one from a flag’s canary watch (or `rampart plan start`).'
              : 'Loading plans…'}
          </div>
        )}
      </div>
      <div className="panel">
        <div className="panel-header">
          <h2>Policies</h2>
          <span className="muted small">
            plan templates: start any flag of any store with one (rampart plan save-policy)
          </span>
        </div>
        <table className="table" data-testid="policies">
          <tbody>
            {(policies.data ?? []).map((p) => (
              <tr key={p.name}>
                <td>
                  <code>{p.name}</code>
                </td>
                <td>{p.policy.steps.map((s) => `${s.exposure}%${s.approval ? ' (approval)' : ''}`).join(' → ')}</td>
                <td className="small">bake ≥ {formatDuration(p.policy.bakeMs)}</td>
                <td className="small">
                  {p.policy.windows.length ? `${p.policy.windows.length} window(s)` : 'any time'}
                </td>
                <td className="small muted">{p.description}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
