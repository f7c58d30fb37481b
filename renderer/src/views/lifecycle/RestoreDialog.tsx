/**
 * "Restore this state": both states side by side, what will change, a required comment; then a `restore` through the
 * rollout service (read-compare-write against the live state shown here, audited, read back).
 */
import { useState } from 'react';
import type { FlagVersion, FlagVersions } from '../../../../shared/domain/lifecycle';
import { errorFacts, type RampartError } from '../../../../shared/errors';
import { api } from '../../api';
import { asRampartError } from '../../api/envelope';
import { Modal } from '../../components/Modal';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useToasts } from '../../state/toast-store';
import { formatDateTime } from '../../lib/time';
import { formatPercent } from '../../lib/format';
import { stateText, versionStateText } from './lifecycle-model';
import { refreshAfterWrite } from './write-refresh';

import { concurrentEditText } from '../../../../shared/domain/audit-text';
import { MIN_COMMENT_LENGTH as MIN_COMMENT } from '../../../../shared/contract/domains/common';

export function RestoreDialog({
  history,
  version,
  onClose,
}: {
  history: FlagVersions;
  version: FlagVersion;
  onClose: () => void;
}): React.JSX.Element {
  const [comment, setComment] = useState('');
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<RampartError | null>(null);
  const push = useToasts((s) => s.push);
  const { live } = history;
  const ok = comment.trim().length >= MIN_COMMENT && !sending;
  const submit = async (override = false): Promise<void> => {
    if (!ok) return;
    setSending(true);
    setError(null);
    try {
      const res = await api.call('lifecycle:restore', {
        connectionId: history.connectionId,
        flagKey: history.flagKey,
        env: history.env,
        version: version.id,
        expected: { enabled: live.enabled, exposure: live.exposure },
        comment: comment.trim(),
        override,
      });
      push(
        'ok',
        `${history.flagKey} in ${history.env}: restored version ${version.version} (${res.change.label}) — confirmed by read-back`,
      );
      if (res.concurrentEdit) push('error', concurrentEditText(res.concurrentEdit), 30_000);
      refreshAfterWrite();
      onClose();
    } catch (e) {
      setError(asRampartError(e));
      refreshAfterWrite();
    } finally {
      setSending(false);
    }
  };
  const changes = [
    live.enabled !== version.state.enabled &&
      `${live.enabled ? 'on' : 'off'} → ${version.state.enabled ? 'on' : 'off'}`,
    version.state.exposure !== live.exposure &&
      `exposure ${formatPercent(live.exposure)} → ${formatPercent(version.state.exposure)}`,
  ].filter(Boolean);
  return (
    <Modal
      title={`Restore version ${version.version} — ${history.flagKey} in ${history.env}`}
      onCancel={onClose}
      testId="restore-dialog"
    >
      <div className="side-by-side">
        <div className="side">
          <div className="muted small">live now</div>
          <div className="side-state">{stateText(live)}</div>
          <div className="small muted">targeting: {live.targeting ?? '—'}</div>
        </div>
        <div className="side-arrow">→</div>
        <div className="side">
          <div className="muted small">
            version {version.version} · {formatDateTime(version.at)}
          </div>
          <div className="side-state">{versionStateText(version.state)}</div>
          <div className="small muted">
            {version.actor ? `by ${version.actor}` : ''}
            {version.comment ? ` — “${version.comment}”` : ''}
          </div>
        </div>
      </div>
      <div className="notice notice-info small">
        Will change: {changes.join('; ') || 'nothing'}. Targeting stays as it is; the write is compared with the live
        state above first, audited and read back.
      </div>
      <label className="field">
        <span>
          Comment <span className="muted small">(required — kept in the audit log)</span>
        </span>
        <input
          type="text"
          autoFocus
          maxLength={1000}
          value={comment}
          onChange={(e) => setComment(e.target.value)}
          onKeyDown={(e) => e.key === 'Enter' && (e.preventDefault(), void submit())}
          data-testid="restore-comment"
        />
      </label>
      {error && <ErrorNotice error={error} />}
      <div className="modal-actions">
        <button type="button" className="button subtle" onClick={onClose}>
          Cancel
        </button>
        {error?.code === 'blocked' && errorFacts(error).refusal === 'metrics_guard' && (
          <button
            type="button"
            className="button warn"
            disabled={!ok}
            onClick={() => void submit(true)}
            data-testid="restore-anyway"
          >
            Restore anyway (audited)
          </button>
        )}
        <button
          type="button"
          className="button primary"
          disabled={!ok}
          onClick={() => void submit()}
          data-testid="restore-confirm"
        >
          {sending ? 'Restoring…' : `Restore version ${version.version}`}
        </button>
      </div>
    </Modal>
  );
}
