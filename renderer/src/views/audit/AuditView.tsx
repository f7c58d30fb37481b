/** Audit: every action Rampart took — who, when, what, why, and how it ended. */
import { useMemo, useState } from 'react';
import type { AuditEntry } from '../../../../shared/domain/audit';
import { useQuery } from '../../data/use-query';
import { formatPercent } from '../../lib/format';
import { formatDateTime, formatDuration } from '../../lib/time';
import { ErrorNotice } from '../../components/ErrorNotice';
import { auditMatches } from '../../lib/filters';

function stateText(s: AuditEntry['from']): string {
  if (s.enabled === false) return 'off';
  if (s.exposure !== null) return formatPercent(s.exposure);
  return s.enabled === true ? 'on' : '—';
}

function took(ms: number): string {
  return ms < 1_000 ? `${Math.max(0, Math.round(ms))} ms` : formatDuration(ms);
}

export function AuditView(): React.JSX.Element {
  const q = useQuery('audit:list', { limit: 500 }, { refetchOn: ['audit:appended'] });
  const [search, setSearch] = useState('');
  const rows = useMemo(() => (q.data ?? []).filter((e) => auditMatches(e, search)).sort((a, b) => b.at - a.at), [q.data, search]);
  return (
    <section className="panel page" data-testid="audit-view">
      <div className="panel-header">
        <h2>Audit</h2>
        <span className="muted small">{q.data ? `${q.data.length} actions` : ''}</span>
        <span className="spacer" />
        <input className="search narrow" type="search" placeholder="Filter by flag, user, comment…" value={search} onChange={(e) => setSearch(e.target.value)} aria-label="Filter audit" />
      </div>
      {q.error && <ErrorNotice error={q.error} title="Audit log" />}
      {q.data && rows.length === 0 && <div className="empty">{search ? 'No action matches.' : 'No actions yet. Ramps and rollbacks appear here.'}</div>}
      {rows.length > 0 && (
        <div className="table-scroll">
          <table className="table audit-table">
            <thead>
              <tr>
                <th>when</th>
                <th>who</th>
                <th>flag</th>
                <th>environment</th>
                <th>action</th>
                <th>from → to</th>
                <th>comment</th>
                <th>result</th>
                <th>error</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((e) => (
                <tr key={e.actionId} data-testid="audit-row" data-action={e.action} data-result={e.result}>
                  <td className="nowrap">{formatDateTime(e.at)}</td>
                  <td>{e.user}</td>
                  <td>
                    <code>{e.flagKey}</code>
                    <div className="small muted">{e.connectionId}</div>
                  </td>
                  <td>
                    <span className="env-chip">{e.env}</span>
                  </td>
                  <td>
                    {e.action}
                    {e.override && <span className="critical-chip" title="ramped despite a blocking verdict">override</span>}
                  </td>
                  <td className="nowrap">
                    {stateText(e.from)} → {stateText(e.to)}
                  </td>
                  <td className="comment">{e.comment}</td>
                  <td>
                    <span className={`result-chip result-${e.result}`}>{e.result}</span>
                    {e.finishedAt !== null && <div className="small muted">in {took(e.finishedAt - e.at)}</div>}
                  </td>
                  <td className="error-text">{e.error ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
