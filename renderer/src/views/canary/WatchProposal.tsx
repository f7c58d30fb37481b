/**
 * No watch saved for this flag yet: show the core's proposal (metrics, queries) and let the user save it, after
 * setting the label selector of the service behind the flag and the label that carries the variant.
 */
import { useState } from 'react';
import type { Watch } from '../../../../shared/domain/metrics';
import type { RampartError } from '../../../../shared/errors';
import { api } from '../../api';
import { asRampartError } from '../../api/envelope';
import { queryClient } from '../../data/query';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useQuery } from '../../data/use-query';
import { WatchEditor } from '../watches/WatchEditor';

export function WatchProposal({ watch }: { watch: Watch }): React.JSX.Element {
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<RampartError | null>(null);
  const [selector, setSelector] = useState(watch.selector);
  const [variantLabel, setVariantLabel] = useState(watch.variantLabel);
  const [editing, setEditing] = useState(false);
  const connections = useQuery('connections:list', {}).data?.map((c) => c.connection) ?? [];
  const save = async (): Promise<void> => {
    setSaving(true);
    setError(null);
    try {
      await api.call('watches:save', {
        watch: { ...watch, selector: selector.trim(), variantLabel: variantLabel.trim() },
      });
      queryClient.invalidate((channel) => channel === 'watches:forFlag' || channel === 'watches:list');
    } catch (e) {
      setError(asRampartError(e));
    } finally {
      setSaving(false);
    }
  };
  return (
    <div className="panel watch-proposal" data-testid="watch-proposal">
      <div className="panel-header">
        <h2>No watch for this flag yet</h2>
      </div>
      <p className="muted">
        Rampart proposes watching these metrics from <code>{watch.metricsConnectionId}</code>, for the series the
        selector picks, split by the variant label:
      </p>
      <div className="watch-fields">
        <label className="field">
          <span>Selector (the service behind this flag)</span>
          <input
            type="text"
            value={selector}
            spellCheck={false}
            onChange={(e) => setSelector(e.target.value)}
            placeholder='job="checkout"'
            data-testid="watch-selector"
          />
        </label>
        <label className="field">
          <span>Variant label</span>
          <input
            type="text"
            value={variantLabel}
            spellCheck={false}
            onChange={(e) => setVariantLabel(e.target.value)}
            data-testid="watch-variant-label"
          />
        </label>
      </div>
      <table className="table">
        <thead>
          <tr>
            <th>metric</th>
            <th>kind</th>
            <th>unit</th>
            <th>critical</th>
            <th>query</th>
          </tr>
        </thead>
        <tbody>
          {watch.metrics.map((m) => (
            <tr key={m.name}>
              <td>{m.name}</td>
              <td>{m.kind}</td>
              <td>{m.unit}</td>
              <td>{m.critical ? 'yes' : 'no'}</td>
              <td>
                <code className="query">{m.query}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {error && <ErrorNotice error={error} title="Save watch" />}
      <div className="modal-actions">
        <button
          type="button"
          className="button subtle"
          onClick={() => setEditing(true)}
          data-testid="watch-more-options"
        >
          More options… (metrics, arms, thresholds, live preview)
        </button>
        <button
          type="button"
          className="button primary"
          disabled={saving}
          onClick={() => void save()}
          data-testid="save-watch"
        >
          {saving ? 'Saving…' : 'Save and watch'}
        </button>
      </div>
      {editing && (
        <WatchEditor
          initial={{ ...watch, selector: selector.trim(), variantLabel: variantLabel.trim() }}
          connections={connections}
          onClose={() => setEditing(false)}
        />
      )}
    </div>
  );
}
