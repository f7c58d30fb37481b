/** Connections: flag stores and metrics providers — list, add/edit, test, remove. Never shows a secret. */
import { useState } from 'react';
import type { Connection } from '../../../../shared/domain/connections';
import { isFlagConnection } from '../../../../shared/domain/connections';
import type { RampartError } from '../../../../shared/errors';
import type { ResponseOf } from '../../../../shared/contract';
import { api } from '../../api';
import { asRampartError } from '../../api/envelope';
import { queryClient } from '../../data/query';
import { useQuery } from '../../data/use-query';
import { Modal } from '../../components/Modal';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useToasts } from '../../state/toast-store';
import { ConnectionForm } from './ConnectionForm';
import { needsSecret } from './connection-fields';

type TestOutcome = { ok: true; result: ResponseOf<'connections:test'> } | { ok: false; error: RampartError };

/** Where a connection points, for the list: a URL, a file, a site, or the connection it simulates. */
function target(c: Connection): string {
  switch (c.kind) {
    case 'flagd':
      return `${c.file} (${c.environment})`;
    case 'simulated':
      return `simulates traffic for ${c.flagConnectionId}`;
    case 'datadog':
      return c.site;
    case 'unleash':
    case 'flagsmith':
    case 'launchdarkly':
      return `${c.url} · project ${c.project}`;
    case 'prometheus':
      return `${c.url}${c.auth !== 'none' ? ` · ${c.auth} auth` : ''}`;
  }
}

export function ConnectionsView(): React.JSX.Element {
  const q = useQuery('connections:list', {});
  const [editing, setEditing] = useState<{ existing?: Connection } | null>(null);
  const [removing, setRemoving] = useState<Connection | null>(null);
  const [tests, setTests] = useState<Record<string, TestOutcome | 'running'>>({});
  const pushToast = useToasts((s) => s.push);
  const list = q.data ?? [];
  const flagConnections = list.filter((i) => isFlagConnection(i.connection)).map((i) => ({ id: i.connection.id, name: i.connection.name }));

  const test = async (id: string): Promise<void> => {
    setTests((t) => ({ ...t, [id]: 'running' }));
    try {
      const result = await api.call('connections:test', { id });
      setTests((t) => ({ ...t, [id]: { ok: true, result } }));
    } catch (e) {
      setTests((t) => ({ ...t, [id]: { ok: false, error: asRampartError(e) } }));
    }
  };
  const remove = async (c: Connection): Promise<void> => {
    try {
      await api.call('connections:remove', { id: c.id });
      pushToast('ok', `Removed connection ${c.name}`);
      queryClient.invalidate((ch) => ch === 'connections:list' || ch === 'flags:list');
    } catch (e) {
      const err = asRampartError(e);
      pushToast('error', `Remove failed (${err.code}): ${err.message}`);
    }
    setRemoving(null);
  };

  return (
    <section className="panel page" data-testid="connections-view">
      <div className="panel-header">
        <h2>Connections</h2>
        <span className="muted small">flag stores and metrics providers</span>
        <span className="spacer" />
        <button type="button" className="button primary" onClick={() => setEditing({})} data-testid="connection-add">
          Add connection
        </button>
      </div>
      {q.error && <ErrorNotice error={q.error} title="Connections" />}
      <div className="table-scroll">
        <table className="table">
          <thead>
            <tr>
              <th>name</th>
              <th>kind</th>
              <th>role</th>
              <th>target</th>
              <th>secret available</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {list.map(({ connection: c, role, secretAvailable }) => {
              const t = tests[c.id];
              return (
                <tr key={c.id} data-testid="connection-row" data-connection-id={c.id}>
                  <td>
                    {c.name} {c.demo && <span className="demo-chip">demo</span>}
                    <div className="small muted">{c.id}</div>
                  </td>
                  <td>{c.kind}</td>
                  <td>{role === 'flags' ? 'flag store' : 'metrics'}</td>
                  <td className="small">
                    {target(c)}
                    {t && t !== 'running' && (
                      <div className={t.ok && t.result.ok ? 'test-result ok' : 'test-result bad'} data-testid="connection-test-result">
                        {t.ok ? (
                          <>
                            {t.result.ok ? '✓ ' : '✗ '}
                            {t.result.message}
                            {t.result.environments.length > 0 && <> — environments: {t.result.environments.map((e) => e.name || e.key).join(', ')}</>}
                          </>
                        ) : (
                          <>
                            ✗ <span className="code-chip">{t.error.code}</span> {t.error.message}
                          </>
                        )}
                      </div>
                    )}
                  </td>
                  <td>
                    {needsSecret(c) ? (
                      <span className={secretAvailable ? 'yes' : 'no'} data-testid="secret-available">
                        {secretAvailable ? (c.hasStoredSecret ? 'yes · OS keychain' : `yes${c.tokenEnv ? ` · $${c.tokenEnv}` : ''}`) : `no${c.tokenEnv ? ` (set ${c.tokenEnv})` : ''}`}
                      </span>
                    ) : (
                      <span className="muted">not needed</span>
                    )}
                  </td>
                  <td className="row-actions">
                    <button type="button" className="button subtle" disabled={t === 'running'} onClick={() => void test(c.id)} data-testid="connection-test">
                      {t === 'running' ? 'Testing…' : 'Test'}
                    </button>
                    <button type="button" className="button subtle" onClick={() => setEditing({ existing: c })}>
                      Edit
                    </button>
                    <button type="button" className="button subtle danger-text" onClick={() => setRemoving(c)} data-testid="connection-remove">
                      Remove
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {q.data && list.length === 0 && <div className="empty">No connections yet.</div>}
      {editing && <ConnectionForm existing={editing.existing} flagConnections={flagConnections} onClose={() => setEditing(null)} />}
      {removing && (
        <Modal title={`Remove ${removing.name}?`} onCancel={() => setRemoving(null)} testId="remove-dialog">
          <p>
            Rampart forgets this connection. Watches that use it stop working; the flag store itself and its flags are not touched.
          </p>
          <div className="modal-actions">
            <button type="button" className="button subtle" onClick={() => setRemoving(null)} autoFocus>
              Cancel
            </button>
            <button type="button" className="button danger" onClick={() => void remove(removing)} data-testid="remove-confirm">
              Remove
            </button>
          </div>
        </Modal>
      )}
    </section>
  );
}
