/**
 * Connections: flag stores, metrics providers and notification targets — list, add/edit, test (what the core's
 * truthful test proved, check by check), remove — and the watches that bind a flag to its metrics. Never shows a
 * secret.
 */
import { useState } from 'react';
import type { Connection } from '../../../../shared/domain/connections';
import { isFlagConnection } from '../../../../shared/domain/connections';
import { kindSpec } from '../../../../shared/kinds';
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
import { WatchesSection } from '../watches/WatchesSection';

type TestOutcome = { ok: true; result: ResponseOf<'connections:test'> } | { ok: false; error: RampartError };

/** What the test proved: ✓/✗ with the core's message, then each check it made, the failing one saying what to fix. */
function TestResult({ outcome }: { outcome: TestOutcome }): React.JSX.Element {
  if (!outcome.ok) {
    return (
      <div className="test-result bad" data-testid="connection-test-result" data-ok="false">
        ✗ could not run the test: {outcome.error.message}
      </div>
    );
  }
  const r = outcome.result;
  return (
    <div className={r.ok ? 'test-result ok' : 'test-result bad'} data-testid="connection-test-result" data-ok={r.ok}>
      <div>
        {r.ok ? '✓ ' : '✗ '}
        {r.message}
        {r.environments.length > 0 && <> — environments: {r.environments.map((e) => e.name || e.key).join(', ')}</>}
      </div>
      {(r.checks ?? []).length > 1 && (
        <ul className="test-checks">
          {(r.checks ?? []).map((c, i) => (
            <li key={`${c.name}-${i}`} className={c.ok ? 'ok' : 'bad'} data-testid="connection-check" data-ok={c.ok}>
              {c.ok ? '✓' : '✗'} <strong>{c.name}</strong> — {c.detail}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function ConnectionsView(): React.JSX.Element {
  const q = useQuery('connections:list', {});
  const [editing, setEditing] = useState<{ existing?: Connection } | null>(null);
  const [removing, setRemoving] = useState<Connection | null>(null);
  const [tests, setTests] = useState<Record<string, TestOutcome | 'running'>>({});
  const pushToast = useToasts((s) => s.push);
  const list = q.data ?? [];
  const flagConnections = list
    .filter((i) => isFlagConnection(i.connection))
    .map((i) => ({ id: i.connection.id, name: i.connection.name }));

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
        <span className="muted small">flag stores, metrics providers and notification targets</span>
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
                  <td>{role === 'flags' ? 'flag store' : role === 'notify' ? 'notifications' : 'metrics'}</td>
                  <td className="small">
                    {kindSpec(c).target(c)}
                    {t && t !== 'running' && <TestResult outcome={t} />}
                  </td>
                  <td>
                    {needsSecret(c) ? (
                      <span className={secretAvailable ? 'yes' : 'no'} data-testid="secret-available">
                        {secretAvailable
                          ? c.hasStoredSecret
                            ? 'yes · OS keychain'
                            : `yes${c.tokenEnv ? ` · $${c.tokenEnv}` : ''}`
                          : `no${c.tokenEnv ? ` (set ${c.tokenEnv})` : ''}`}
                      </span>
                    ) : (
                      <span className="muted">not needed</span>
                    )}
                  </td>
                  <td className="row-actions">
                    <button
                      type="button"
                      className="button subtle"
                      disabled={t === 'running'}
                      onClick={() => void test(c.id)}
                      data-testid="connection-test"
                    >
                      {t === 'running' ? 'Testing…' : 'Test'}
                    </button>
                    <button type="button" className="button subtle" onClick={() => setEditing({ existing: c })}>
                      Edit
                    </button>
                    <button
                      type="button"
                      className="button subtle danger-text"
                      onClick={() => setRemoving(c)}
                      data-testid="connection-remove"
                    >
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
      <WatchesSection connections={list.map((i) => i.connection)} />
      {editing && (
        <ConnectionForm
          existing={editing.existing}
          flagConnections={flagConnections}
          onClose={() => setEditing(null)}
        />
      )}
      {removing && (
        <Modal title={`Remove ${removing.name}?`} onCancel={() => setRemoving(null)} testId="remove-dialog">
          <p>
            Rampart forgets this connection. Watches that use it stop working; the flag store itself and its flags are
            not touched.
          </p>
          <div className="modal-actions">
            <button type="button" className="button subtle" onClick={() => setRemoving(null)} autoFocus>
              Cancel
            </button>
            <button
              type="button"
              className="button danger"
              onClick={() => void remove(removing)}
              data-testid="remove-confirm"
            >
              Remove
            </button>
          </div>
        </Modal>
      )}
    </section>
  );
}
