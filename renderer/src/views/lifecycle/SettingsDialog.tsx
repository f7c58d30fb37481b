/** Lifecycle settings: the stale threshold, the reminder, and the local source folders searched for code references. */
import { useState } from 'react';
import type { LifecycleSettings } from '../../../../shared/domain/lifecycle';
import type { RampartError } from '../../../../shared/errors';
import { api } from '../../api';
import { asRampartError } from '../../api/envelope';
import { Modal } from '../../components/Modal';
import { ErrorNotice } from '../../components/ErrorNotice';
import { queryClient } from '../../data/query';

export function SettingsDialog({
  settings,
  onClose,
}: {
  settings: LifecycleSettings;
  onClose: () => void;
}): React.JSX.Element {
  const [days, setDays] = useState(String(settings.staleDays.default));
  const [roots, setRoots] = useState(settings.codeRoots.join('\n'));
  const [remind, setRemind] = useState(settings.reminder.enabled);
  const [every, setEvery] = useState(String(settings.reminder.everyDays));
  const [error, setError] = useState<RampartError | null>(null);
  const save = async (): Promise<void> => {
    setError(null);
    try {
      await api.call('lifecycle:saveSettings', {
        staleDays: { default: Number(days) },
        reminder: { enabled: remind, everyDays: Number(every) },
        codeRoots: roots
          .split('\n')
          .map((s) => s.trim())
          .filter(Boolean),
      });
      queryClient.invalidate((c) => c.startsWith('lifecycle:'));
      onClose();
    } catch (e) {
      setError(asRampartError(e));
    }
  };
  return (
    <Modal title="Lifecycle settings" onCancel={onClose} testId="lifecycle-settings">
      <label className="field">
        <span>Stale after (days unchanged; per-connection thresholds: rampart or the API)</span>
        <input
          type="number"
          min={1}
          max={3650}
          value={days}
          onChange={(e) => setDays(e.target.value)}
          data-testid="settings-stale-days"
        />
      </label>
      <label className="field">
        <span>
          Source folders to search for flag keys (absolute paths, one per line; git working trees are searched with git)
        </span>
        <textarea rows={3} value={roots} onChange={(e) => setRoots(e.target.value)} data-testid="settings-roots" />
      </label>
      <label className="field inline">
        <input
          type="checkbox"
          checked={remind}
          onChange={(e) => setRemind(e.target.checked)}
          data-testid="settings-remind"
        />
        <span>Remind about newly stale flags every</span>
        <input
          type="number"
          min={1}
          max={90}
          value={every}
          onChange={(e) => setEvery(e.target.value)}
          style={{ width: 64 }}
        />
        <span>days (desktop, and the Slack / webhook connections)</span>
      </label>
      {error && <ErrorNotice error={error} />}
      <div className="modal-actions">
        <button type="button" className="button subtle" onClick={onClose}>
          Cancel
        </button>
        <button type="button" className="button primary" onClick={() => void save()} data-testid="settings-save">
          Save
        </button>
      </div>
    </Modal>
  );
}
