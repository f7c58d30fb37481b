/**
 * Approve / Pause / Resume / Abort (= roll back) for one plan, each with a required comment (audited), and the
 * decision record's export. Errors come back by code and are shown once.
 */
import { useState } from 'react';
import type { PlanView } from '../../../../shared/domain/plans';
import type { RampartError } from '../../../../shared/errors';
import { api } from '../../api';
import { asRampartError } from '../../api/envelope';
import { Modal } from '../../components/Modal';
import { ErrorNotice } from '../../components/ErrorNotice';
import { queryClient } from '../../data/query';
import { useToasts } from '../../state/toast-store';
import { allowedActions, VERB_LABELS, type PlanVerb } from './plan-format';

import { MIN_COMMENT_LENGTH as MIN_COMMENT } from '../../../../shared/contract/domains/common';
const WHAT: Record<PlanVerb, string> = {
  approve: 'Approve the next gated step: the plan moves to it on its next passing, baked decision.',
  pause: 'Pause: the plan stops advancing (it still rolls back if the decision says so).',
  resume: 'Resume from what the store serves now.',
  abort: 'Abort: roll the flag back now, confirmed by read-back, whatever the metrics say.',
};

export function refreshPlans(): void {
  queryClient.invalidate(
    (c) =>
      c.startsWith('plans:') || c === 'audit:list' || c === 'flags:list' || c === 'flags:get' || c === 'flags:history',
  );
}

function ActionDialog({
  plan,
  verb,
  onClose,
}: {
  plan: PlanView;
  verb: PlanVerb;
  onClose: () => void;
}): React.JSX.Element {
  const [comment, setComment] = useState('');
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<RampartError | null>(null);
  const push = useToasts((s) => s.push);
  const ok = comment.trim().length >= MIN_COMMENT && !sending;
  const submit = async (): Promise<void> => {
    if (!ok) return;
    setSending(true);
    setError(null);
    try {
      const res = await api.call(`plans:${verb}`, { planId: plan.id, comment: comment.trim() });
      push(
        'ok',
        `${plan.flagKey}: plan ${res.state}${verb === 'abort' ? ' — rolled back, confirmed by read-back' : ''}`,
      );
      refreshPlans();
      onClose();
    } catch (e) {
      setError(asRampartError(e));
      refreshPlans();
    } finally {
      setSending(false);
    }
  };
  return (
    <Modal
      title={`${VERB_LABELS[verb]} — ${plan.flagKey} in ${plan.env}`}
      onCancel={onClose}
      testId="plan-action-dialog"
    >
      <div className={verb === 'abort' ? 'notice notice-warn small' : 'notice notice-info small'}>{WHAT[verb]}</div>
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
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              void submit();
            }
          }}
          data-testid="plan-action-comment"
        />
      </label>
      {error && <ErrorNotice error={error} />}
      <div className="modal-actions">
        <button type="button" className="button subtle" onClick={onClose}>
          Cancel
        </button>
        <button
          type="button"
          className={verb === 'abort' ? 'button danger' : 'button primary'}
          disabled={!ok}
          onClick={() => void submit()}
          data-testid="plan-action-confirm"
        >
          {sending ? 'Sending…' : VERB_LABELS[verb]}
        </button>
      </div>
    </Modal>
  );
}

async function download(plan: PlanView, format: 'markdown' | 'json'): Promise<void> {
  const file = await api.call('plans:export', { planId: plan.id, format });
  const url = URL.createObjectURL(new Blob([file.content], { type: file.mimeType }));
  const a = document.createElement('a');
  a.href = url;
  a.download = file.filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}

export function PlanActions({ plan, exports = true }: { plan: PlanView; exports?: boolean }): React.JSX.Element {
  const [verb, setVerb] = useState<PlanVerb | null>(null);
  const push = useToasts((s) => s.push);
  return (
    <div className="plan-actions">
      {allowedActions(plan).map((v) => (
        <button
          key={v}
          type="button"
          className={
            v === 'abort' ? 'button danger-outline' : v === 'approve' ? 'button primary' : 'button subtle-strong'
          }
          onClick={() => setVerb(v)}
          data-testid={`plan-${v}`}
        >
          {VERB_LABELS[v]}
        </button>
      ))}
      {exports &&
        (['markdown', 'json'] as const).map((f) => (
          <button
            key={f}
            type="button"
            className="button subtle"
            title="The decision record: every transition with its decision snapshot"
            onClick={() => void download(plan, f).catch((e) => push('error', asRampartError(e).message))}
            data-testid={`plan-export-${f}`}
          >
            Record .{f === 'markdown' ? 'md' : 'json'}
          </button>
        ))}
      {verb && <ActionDialog plan={plan} verb={verb} onClose={() => setVerb(null)} />}
    </div>
  );
}
