/**
 * Audit: every action Rampart took or refused — who (the configured user name), through which door (UI, CLI, a
 * plan…), when, what, why, and how it ended (with the refusal's reason, and a concurrent edit said plainly) — and
 * the whole log as CSV or JSON. FROM → TO and the concurrent-edit words are the CLI's (shared/domain/audit-text.ts).
 */
import { useMemo, useState } from 'react';
import type { AuditEntry } from '../../../../shared/domain/audit';
import { useQuery } from '../../data/use-query';
import {
  CONCURRENT_EDIT_MARK,
  concurrentEditOf,
  concurrentEditText,
  fromToText,
} from '../../../../shared/domain/audit-text';
import { formatDateTime, formatDuration } from '../../lib/time';
import { ErrorNotice } from '../../components/ErrorNotice';
import { auditMatches } from '../../lib/filters';
import { auditCsv, auditJson } from '../../lib/audit-export';
import { downloadText, fileStamp } from '../../lib/download';
import { zoneShort } from '../../lib/time';

const DOOR_NAME: Record<string, string> = {
  electron: 'desktop app',
  http: 'browser',
  cli: 'CLI',
  plan: 'plan',
  alertmanager: 'Alertmanager',
};

function took(ms: number): string {
  return ms < 1_000 ? `${Math.max(0, Math.round(ms))} ms` : formatDuration(ms);
}

export function AuditView(): React.JSX.Element {
  const q = useQuery('audit:list', { limit: 500 }, { refetchOn: ['audit:appended'] });
  const [search, setSearch] = useState('');
  const rows = useMemo(
    () => (q.data ?? []).filter((e) => auditMatches(e, search)).sort((a, b) => b.at - a.at),
    [q.data, search],
  );
  return (
    <section className="panel page" data-testid="audit-view">
      <div className="panel-header">
        <h2>Audit</h2>
        <span className="muted small">{q.data ? `${q.data.length} actions` : ''}</span>
        <span className="spacer" />
        <input
          className="search narrow"
          type="search"
          placeholder="Filter by flag, user, comment…"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          aria-label="Filter audit"
        />
        <button
          type="button"
          className="button subtle"
          disabled={rows.length === 0}
          onClick={() => downloadText(`rampart-audit-${fileStamp(Date.now())}.csv`, auditCsv(rows), 'text/csv')}
          data-testid="audit-export-csv"
        >
          CSV
        </button>
        <button
          type="button"
          className="button subtle"
          disabled={rows.length === 0}
          onClick={() =>
            downloadText(`rampart-audit-${fileStamp(Date.now())}.json`, auditJson(rows), 'application/json')
          }
          data-testid="audit-export-json"
        >
          JSON
        </button>
      </div>
      {q.error && <ErrorNotice error={q.error} title="Audit log" />}
      {q.data && rows.length === 0 && (
        <div className="empty">
          {search ? 'No action matches.' : 'No actions yet. Ramps and rollbacks appear here.'}
        </div>
      )}
      {rows.length > 0 && (
        <div className="table-scroll">
          <table className="table audit-table">
            <thead>
              <tr>
                <th>when · {zoneShort()}</th>
                <th>who · door</th>
                <th>flag</th>
                <th>environment</th>
                <th>action</th>
                <th>from → to</th>
                <th>comment</th>
                <th>result</th>
                <th>reason / error</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((e) => (
                <tr
                  key={e.actionId}
                  data-testid="audit-row"
                  data-action={e.action}
                  data-result={e.result}
                  data-door={e.door ?? ''}
                >
                  <td className="nowrap">{formatDateTime(e.at)}</td>
                  <td>
                    {e.user}
                    <div className="small muted" data-testid="audit-door">
                      {e.door ? (DOOR_NAME[e.door] ?? e.door) : '—'}
                    </div>
                  </td>
                  <td>
                    <code>{e.flagKey}</code>
                    <div className="small muted">{e.connectionId}</div>
                  </td>
                  <td>
                    <span className="env-chip">{e.env}</span>
                  </td>
                  <td>
                    {e.action}
                    {e.override && (
                      <span className="critical-chip" title="ramped despite a blocking verdict">
                        override
                      </span>
                    )}
                  </td>
                  <td className="nowrap" data-testid="audit-from-to">
                    {fromToText(e)}
                  </td>
                  <td className="comment">{e.comment}</td>
                  <td>
                    <span className={`result-chip result-${e.result}`}>{e.result}</span>
                    {concurrentEditOf(e) && (
                      <span className="critical-chip" data-testid="audit-concurrent-edit">
                        {CONCURRENT_EDIT_MARK}
                      </span>
                    )}
                    {e.finishedAt !== null && <div className="small muted">in {took(e.finishedAt - e.at)}</div>}
                  </td>
                  <td className="error-text">
                    {e.reason && (
                      <div className="small" data-testid="audit-reason">
                        {e.reason}
                      </div>
                    )}
                    {e.error && e.error !== e.reason ? e.error : ''}
                    {concurrentEditOf(e) && <div className="small">{concurrentEditText(concurrentEditOf(e)!)}</div>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
