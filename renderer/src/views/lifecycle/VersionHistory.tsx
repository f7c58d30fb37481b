/**
 * Version history of one flag × environment (issue 14): every state from the store's history and Rampart's audit,
 * newest first, with what changed, who and why, and "Restore" where the rollout service can express that state.
 */
import { useState } from 'react';
import type { FlagVersion } from '../../../../shared/domain/lifecycle';
import { useQuery } from '../../data/use-query';
import { ErrorNotice } from '../../components/ErrorNotice';
import { formatDateTime, zoneLabel } from '../../lib/time';
import { newestFirst, versionStateText } from './lifecycle-model';
import { RestoreDialog } from './RestoreDialog';

export function VersionHistory({
  connectionId,
  flagKey,
  env,
}: {
  connectionId: string;
  flagKey: string;
  env: string;
}): React.JSX.Element {
  const history = useQuery(
    'lifecycle:versions',
    { connectionId, flagKey, env },
    { refetchOn: ['flags:changed', 'audit:appended'] },
  );
  const [restoring, setRestoring] = useState<FlagVersion | null>(null);
  if (history.error) return <ErrorNotice error={history.error} title="Version history" />;
  if (!history.data) return <div className="empty">Reading the history…</div>;
  const rows = newestFirst(history.data.versions);
  return (
    <div className="version-history" data-testid="version-history">
      <div className="muted small">
        {rows.length} version{rows.length === 1 ? '' : 's'} from the store&apos;s history and Rampart&apos;s audit ·
        times in {zoneLabel()}
      </div>
      <div className="table-scroll">
        <table className="table">
          <thead>
            <tr>
              <th>v</th>
              <th>when</th>
              <th>state</th>
              <th>what changed</th>
              <th>who · why</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map((v) => (
              <tr
                key={v.id}
                data-testid="version-row"
                data-version={v.version}
                className={v.current ? 'current-version' : ''}
              >
                <td className="num">{v.version}</td>
                <td className="small nowrap">{formatDateTime(v.at)}</td>
                <td className="nowrap">{versionStateText(v.state)}</td>
                <td className="small">
                  {v.diff.length ? (
                    v.diff.map((d) => (
                      <div key={d.field}>{`${d.field === 'enabled' ? 'on/off' : d.field}: ${d.from} → ${d.to}`}</div>
                    ))
                  ) : (
                    <span className="muted">{v.label}</span>
                  )}
                </td>
                <td className="small">
                  {v.actor ?? <span className="muted">—</span>}
                  {v.audit && <span className="muted"> (Rampart{v.audit.door ? `, ${v.audit.door}` : ''})</span>}
                  {v.comment && <div className="muted">“{v.comment}”</div>}
                </td>
                <td className="small">
                  {v.current ? (
                    <span className="live-chip">live</span>
                  ) : v.restorable.ok ? (
                    <button
                      type="button"
                      className="button subtle-strong"
                      onClick={() => setRestoring(v)}
                      data-testid="restore-version"
                    >
                      Restore
                    </button>
                  ) : (
                    <span className="muted not-restorable" title={v.restorable.reason ?? ''}>
                      can&apos;t restore: {v.restorable.reason}
                    </span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {restoring && <RestoreDialog history={history.data} version={restoring} onClose={() => setRestoring(null)} />}
    </div>
  );
}
