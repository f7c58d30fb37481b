/**
 * The watches under Connections: which flag is watched on which metrics, with what selector, arms and margin —
 * created, edited and removed here (issue 11: a new connection is usable without the CLI).
 */
import { useState } from 'react';
import type { Connection } from '../../../../shared/domain/connections';
import type { Watch } from '../../../../shared/domain/metrics';
import { api } from '../../api';
import { asRampartError } from '../../api/envelope';
import { queryClient } from '../../data/query';
import { useQuery } from '../../data/use-query';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useToasts } from '../../state/toast-store';
import { useUi } from '../../state/ui-store';
import { WatchEditor } from './WatchEditor';

export function WatchesSection({ connections }: { connections: Connection[] }): React.JSX.Element {
  const q = useQuery('watches:list', {});
  const [editing, setEditing] = useState<{ existing?: Watch } | null>(null);
  const pushToast = useToasts((s) => s.push);
  const remove = async (w: Watch): Promise<void> => {
    try {
      await api.call('watches:remove', { id: w.id });
      queryClient.invalidate((c) => c === 'watches:list' || c === 'watches:forFlag');
      pushToast('ok', `Removed watch ${w.id}`);
    } catch (e) {
      pushToast('error', `Remove failed: ${asRampartError(e).message}`);
    }
  };
  const open = (w: Watch): void => {
    useUi.getState().select({ connectionId: w.flagConnectionId, flagKey: w.flagKey, env: w.env });
    useUi.getState().setView('canary');
  };
  return (
    <section className="watches-section" data-testid="watches-section">
      <div className="panel-header">
        <h2>Watches</h2>
        <span className="muted small">a flag in an environment, watched on a metrics connection</span>
        <span className="spacer" />
        <button type="button" className="button primary" onClick={() => setEditing({})} data-testid="watch-add">
          New watch
        </button>
      </div>
      {q.error && <ErrorNotice error={q.error} title="Watches" />}
      <div className="table-scroll">
        <table className="table">
          <thead>
            <tr>
              <th>flag</th>
              <th>metrics</th>
              <th>selector</th>
              <th>arms</th>
              <th>margin</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {(q.data ?? []).map((w) => (
              <tr key={w.id} data-testid="watch-row" data-watch-id={w.id}>
                <td>
                  <code>{w.flagKey}</code> <span className="env-chip">{w.env}</span>
                  <div className="small muted">{w.flagConnectionId}</div>
                </td>
                <td>
                  {w.metricsConnectionId}
                  <div className="small muted">
                    {w.metrics.map((m) => `${m.name}${m.critical ? '*' : ''}`).join(', ')}
                  </div>
                </td>
                <td>
                  <code className="query">{w.selector}</code>
                </td>
                <td className="small">
                  {w.arms
                    ? `${w.arms.treatment.join('|')} vs ${w.arms.control.join('|')}`
                    : `${w.variantLabel} (from the flag)`}
                </td>
                <td className="small">×{w.thresholds.allowedIncrease}</td>
                <td className="row-actions">
                  <button type="button" className="button subtle" onClick={() => open(w)}>
                    Open
                  </button>
                  <button
                    type="button"
                    className="button subtle"
                    onClick={() => setEditing({ existing: w })}
                    data-testid="watch-edit"
                  >
                    Edit
                  </button>
                  <button type="button" className="button subtle danger-text" onClick={() => void remove(w)}>
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {q.data && q.data.length === 0 && <div className="empty">No watches yet.</div>}
      {editing && (
        <WatchEditor existing={editing.existing} connections={connections} onClose={() => setEditing(null)} />
      )}
    </section>
  );
}
