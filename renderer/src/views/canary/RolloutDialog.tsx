/**
 * Confirmation for Ramp and Rollback: the decision and its reason, flag, environment, from → to, and a required
 * comment (autofocused; Enter confirms, Escape cancels, focus stays in the dialog). "Ramp anyway…" (the decision says
 * roll back) goes out as an explicit, audited override. Errors come back by code: conflict shows the live state and
 * offers a reload, approval_required says an approval was requested, blocked says why once and offers the override.
 */
import { localizeTimes } from '../../lib/time';
import { useState } from 'react';
import type { FlagRow } from '../../../../shared/contract';
import type { WatchDecision } from '../../../../shared/domain/decision';
import { RAMP_STEPS, formatPercent, nextRampStep } from '../../../../shared/domain/flags';
import type { RampartError } from '../../../../shared/errors';
import { api } from '../../api';
import { asRampartError } from '../../api/envelope';
import { Modal } from '../../components/Modal';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useToasts } from '../../state/toast-store';
import { applyReadBack, invalidateAfterWrite, invalidateFlagState } from './invalidate';
import { useRolloutDialog, type RolloutMode } from './rollout-dialog-store';
import { validateRampTarget, MIN_COMMENT } from './rollout-rules';
import { concurrentEditText } from '../../../../shared/domain/audit-text';
import { blockedText } from '../../lib/decision';

export interface RolloutDialogProps {
  mode: RolloutMode;
  row: FlagRow;
  exposureStep: number;
  decision: WatchDecision | null;
  /** Why the core may not take this right now (core unreachable…), said before the user confirms. */
  warning: string | null;
}

function DecisionFacts({
  decision,
  exposure,
}: {
  decision: WatchDecision | null;
  exposure: number;
}): React.JSX.Element {
  if (!decision)
    return <div className="notice notice-info small">No decision for this flag (no watch, or not computed yet).</div>;
  return (
    <div
      className={`dialog-decision tone-${decision.action}`}
      data-testid="dialog-decision"
      data-action={decision.action}
    >
      <strong>
        Decision: {decision.action === 'rollback' ? 'ROLL BACK' : decision.action === 'advance' ? 'RAMP' : 'HOLD'} ·{' '}
        {decision.verdict.verdict.toUpperCase()}
      </strong>
      <span>{localizeTimes(decision.reason)}</span>
      {decision.exposure !== undefined && decision.exposure !== exposure && (
        <span className="small muted" data-testid="dialog-decision-other-step">
          This decision was about {formatPercent(decision.exposure)}; the flag is at {formatPercent(exposure)} now — the
          next decision comes with this step&apos;s data.
        </span>
      )}
      {decision.stale && <span className="stale-chip">stale: {decision.stale.message}</span>}
    </div>
  );
}

export function RolloutDialog({ mode, row, exposureStep, decision, warning }: RolloutDialogProps): React.JSX.Element {
  const close = useRolloutDialog((s) => s.close);
  const openedAsOverride = useRolloutDialog((s) => s.override);
  const pushToast = useToasts((s) => s.push);
  // What the user saw when deciding: sent as `expected`, so a change made elsewhere meanwhile is refused by the
  // core (read-compare-write) instead of being silently overwritten.
  const [seen, setSeen] = useState(() => ({ enabled: row.enabled, exposure: row.exposure }));
  const current = seen.enabled ? (seen.exposure ?? 100) : 0;
  const movedElsewhere = seen.enabled !== row.enabled || seen.exposure !== row.exposure;
  const [toText, setToText] = useState(String(nextRampStep(row.enabled ? row.exposure : 0)));
  const [comment, setComment] = useState('');
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<RampartError | null>(null);
  const override = mode === 'ramp' && openedAsOverride;

  const to = Number(toText);
  const targetProblem = mode === 'ramp' ? validateRampTarget(toText, current, exposureStep) : null;
  const commentOk = comment.trim().length >= MIN_COMMENT;
  const approvalRequested = error?.code === 'approval_required';
  const canConfirm = commentOk && !targetProblem && !sending && !approvalRequested;

  const submit = async (withOverride: boolean): Promise<void> => {
    if (!commentOk || (mode === 'ramp' && targetProblem) || sending) return;
    setSending(true);
    setError(null);
    const ids = { connectionId: row.connectionId, flagKey: row.flagKey, env: row.env };
    try {
      const result =
        mode === 'ramp'
          ? await api.call('flags:ramp', {
              ...ids,
              to,
              expected: seen.exposure,
              // On/off as shown too: a ramp never silently re-enables an environment turned off meanwhile.
              expectedEnabled: seen.enabled,
              comment: comment.trim(),
              override: withOverride,
            })
          : await api.call('flags:rollback', { ...ids, comment: comment.trim() });
      applyReadBack(ids, result.readBack);
      invalidateAfterWrite(result.change.at);
      pushToast('ok', `confirmed by read-back: ${result.change.label}`);
      // Said plainly, and kept on screen longer: another edit landed around this write (issue 9).
      if (result.concurrentEdit) pushToast('error', concurrentEditText(result.concurrentEdit), 30_000);
      close();
    } catch (e) {
      const err = asRampartError(e);
      setError(err);
      // Whatever failed, the audit log has a new row, and on conflict the live state is what the user must see.
      invalidateAfterWrite();
      if (err.code === 'conflict') invalidateFlagState();
    } finally {
      setSending(false);
    }
  };

  /** Take the live state as the new starting point (after a conflict, or a change seen while open). */
  const reload = (): void => {
    invalidateFlagState();
    setSeen({ enabled: row.enabled, exposure: row.exposure });
    setToText(String(nextRampStep(row.enabled ? row.exposure : 0)));
    setError(null);
  };

  const title = mode === 'ramp' ? (override ? 'Ramp anyway (override)' : 'Ramp flag') : 'Roll back flag';
  const confirmLabel = sending
    ? 'Confirming…'
    : mode === 'ramp'
      ? `${override ? 'Ramp anyway' : 'Ramp'} to ${targetProblem ? '…' : formatPercent(to)}`
      : 'Roll back';
  return (
    <Modal title={title} onCancel={close} testId="confirm-dialog">
      <DecisionFacts decision={decision} exposure={row.enabled ? (row.exposure ?? 100) : 0} />
      {override && (
        <div className="notice notice-warn small" data-testid="override-note">
          <span>
            The decision says roll back. Ramping anyway is an explicit override: it is sent as an override and audited
            with your comment.
          </span>
        </div>
      )}
      {warning && (
        <div className="notice notice-warn small" role="status" data-testid="dialog-warning">
          {warning}
        </div>
      )}
      <dl className="confirm-facts">
        <dt>flag</dt>
        <dd>
          <code>{row.flagKey}</code> <span className="muted">({row.connectionName})</span>
        </dd>
        <dt>environment</dt>
        <dd>
          <span className="env-chip">{row.env}</span>
        </dd>
        <dt>change</dt>
        <dd className="confirm-change" data-testid="confirm-change">
          {seen.enabled ? `rollout ${formatPercent(current)}` : 'off'} →{' '}
          <strong>
            {mode === 'ramp'
              ? targetProblem
                ? '?'
                : `rollout ${formatPercent(to)}`
              : 'rolled back (0% / off, per connection)'}
          </strong>
        </dd>
      </dl>
      {mode === 'ramp' && (
        <div className="ramp-target">
          <div className="segmented" role="group" aria-label="Ramp steps">
            {RAMP_STEPS.map((s) => (
              <button
                key={s}
                type="button"
                className={to === s ? 'seg active' : 'seg'}
                onClick={() => setToText(String(s))}
              >
                {s}%
              </button>
            ))}
          </div>
          <label className="inline-field">
            or
            <input
              type="number"
              min={0}
              max={100}
              step={exposureStep}
              value={toText}
              onChange={(e) => setToText(e.target.value)}
              data-testid="ramp-to-input"
              aria-label="Target exposure in percent"
            />
            %
          </label>
          {targetProblem && <span className="field-error">{targetProblem}</span>}
        </div>
      )}
      <label className="field">
        <span>
          Comment <span className="muted small">(required, why — kept in the audit log)</span>
        </span>
        <input
          type="text"
          autoFocus
          value={comment}
          maxLength={1000}
          placeholder={
            mode === 'ramp' ? 'e.g. p99 flat for 30 min at 25%' : 'e.g. error rate rising since the last step'
          }
          onChange={(e) => setComment(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              void submit(override);
            }
          }}
          data-testid="confirm-comment"
        />
      </label>
      {movedElsewhere && mode === 'ramp' && !error && (
        <div className="notice notice-warn" role="status" data-testid="moved-elsewhere">
          <span>
            Changed elsewhere while this dialog was open: live state is now{' '}
            <strong>{row.enabled ? `rollout ${formatPercent(row.exposure ?? 100)}` : 'off'}</strong>.
          </span>
          <button type="button" className="button subtle" onClick={reload}>
            Use live state
          </button>
        </div>
      )}
      {error && error.code === 'conflict' && (
        <ErrorNotice error={error} title="The flag changed since you looked">
          <div className="notice-actions">
            <span className="small">
              Live state now: {row.enabled ? `rollout ${formatPercent(row.exposure ?? 100)}` : 'off'}
            </span>
            <button type="button" className="button subtle" onClick={reload} data-testid="conflict-reload">
              Reload live state
            </button>
          </div>
        </ErrorNotice>
      )}
      {approvalRequested && error && (
        <div className="notice notice-info" role="status" data-testid="approval-requested">
          <span className="code-chip">{error.code}</span>
          <span>
            <strong>Approval requested.</strong> {error.message}
          </span>
        </div>
      )}
      {error && error.code === 'blocked' && (
        <div className="notice notice-error" role="alert" data-testid="error-notice" data-error-code="blocked">
          <span className="code-chip">blocked</span>
          <span data-testid="blocked-message">
            <strong>Not ramped:</strong> {blockedText(error.message)}{' '}
            <span className="muted">(this refusal is in the audit log)</span>
          </span>
          {mode === 'ramp' && !override && (
            <button
              type="button"
              className="button warn"
              disabled={!commentOk || sending}
              onClick={() => void submit(true)}
              data-testid="ramp-anyway"
            >
              Ramp anyway (override, audited)
            </button>
          )}
        </div>
      )}
      {error && !['conflict', 'approval_required', 'blocked'].includes(error.code) && (
        <ErrorNotice error={error} title={mode === 'ramp' ? 'Ramp failed' : 'Rollback failed'} />
      )}
      <div className="modal-actions">
        <button type="button" className="button subtle" onClick={close} data-testid="confirm-cancel">
          {approvalRequested ? 'Close' : 'Cancel'}
        </button>
        <button
          type="button"
          className={mode === 'ramp' ? (override ? 'button warn' : 'button primary') : 'button danger'}
          disabled={!canConfirm}
          onClick={() => void submit(override)}
          data-testid="confirm-ok"
        >
          {confirmLabel}
        </button>
      </div>
    </Modal>
  );
}
