/**
 * Promote this flag's rollout to another environment — of this connection, or of another connection of the same
 * kind — as a reviewed action (issue 14): both states side by side, what will change, the blast radius; then copy
 * on/off and exposure through the rollout service, or start the source's plan there.
 */
import { useState } from 'react';
import type { LifecycleRow, PromotePreview } from '../../../../shared/domain/lifecycle';
import { errorFacts, type RampartError } from '../../../../shared/errors';
import { api } from '../../api';
import { asRampartError } from '../../api/envelope';
import { useQuery } from '../../data/use-query';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useToasts } from '../../state/toast-store';
import { rowKey, stateText } from './lifecycle-model';
import { refreshAfterWrite } from './write-refresh';

import { concurrentEditText } from '../../../../shared/domain/audit-text';
import { MIN_COMMENT_LENGTH as MIN_COMMENT } from '../../../../shared/contract/domains/common';

function Side({ side, label }: { side: PromotePreview['from']; label: string }): React.JSX.Element {
  return (
    <div className="side" data-testid={`promote-${label}`}>
      <div className="muted small">
        {label} · {side.env} · {side.connectionName}
      </div>
      <div className="side-state">{stateText(side.state)}</div>
      <div className="small muted">targeting: {side.state.targeting ?? '—'}</div>
    </div>
  );
}

export function PromotePanel({
  source,
  rows,
}: {
  source: LifecycleRow;
  rows: readonly LifecycleRow[];
}): React.JSX.Element {
  const targets = rows.filter(
    (r) =>
      r.flagKey === source.flagKey &&
      r.state !== null &&
      rowKey(r) !== rowKey(source) &&
      r.connectionKind === source.connectionKind,
  );
  const [targetKey, setTargetKey] = useState<string | null>(null);
  const target = targets.find((t) => rowKey(t) === targetKey) ?? targets[0];
  const [comment, setComment] = useState('');
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<RampartError | null>(null);
  const push = useToasts((s) => s.push);
  const from = { connectionId: source.connectionId, env: source.env };
  const to = target ? { connectionId: target.connectionId, env: target.env } : null;
  const preview = useQuery('lifecycle:promotePreview', to ? { flagKey: source.flagKey, from, to } : null, {
    refetchOn: ['flags:changed'],
  });
  if (!target || !to)
    return (
      <div className="empty">
        No other environment or {source.connectionKind} connection has <code>{source.flagKey}</code>: nothing to promote
        to.
      </div>
    );
  const p = preview.data;
  const ok = comment.trim().length >= MIN_COMMENT && !sending && p !== undefined;
  const send = async (mode: 'state' | 'plan', override = false): Promise<void> => {
    if (!ok || !p) return;
    setSending(true);
    setError(null);
    try {
      const expected = {
        from: { enabled: p.from.state.enabled, exposure: p.from.state.exposure },
        to: { enabled: p.to.state.enabled, exposure: p.to.state.exposure },
      };
      const res = await api.call('lifecycle:promote', {
        flagKey: source.flagKey,
        from,
        to,
        mode,
        expected,
        comment: comment.trim(),
        override,
      });
      push(
        'ok',
        res.mode === 'plan'
          ? `${source.flagKey}: plan ${res.plan.id} started in ${to.env}`
          : `${source.flagKey} in ${to.env}: ${res.result.change.label} — confirmed by read-back`,
      );
      if (res.mode !== 'plan' && res.result.concurrentEdit)
        push('error', concurrentEditText(res.result.concurrentEdit), 30_000);
      setComment('');
      refreshAfterWrite();
    } catch (e) {
      setError(asRampartError(e));
      refreshAfterWrite();
    } finally {
      setSending(false);
    }
  };
  return (
    <div className="promote" data-testid="promote-panel">
      <label className="field inline">
        <span>Promote to</span>
        <select value={rowKey(target)} onChange={(e) => setTargetKey(e.target.value)} data-testid="promote-target">
          {targets.map((t) => (
            <option key={rowKey(t)} value={rowKey(t)}>
              {t.env} · {t.connectionName}
            </option>
          ))}
        </select>
      </label>
      {preview.error && <ErrorNotice error={preview.error} title="Review" />}
      {p && (
        <>
          <div className="side-by-side">
            <Side side={p.from} label="from" />
            <div className="side-arrow">→</div>
            <Side side={p.to} label="to" />
          </div>
          <div className="small" data-testid="promote-changes">
            <strong>Will change:</strong>{' '}
            {p.changes.length
              ? p.changes.map((c) => `${c.field === 'enabled' ? 'on/off' : c.field} ${c.from} → ${c.to}`).join('; ')
              : 'nothing'}
          </div>
          <div className="notice notice-warn small" data-testid="blast-radius">
            <strong>Blast radius:</strong> {p.blastRadius.summary}
            {!p.blastRadius.targetWatched && ` — no watch on ${p.to.env}: no metrics will judge it`}
          </div>
          {p.warnings.map((w) => (
            <div key={w} className="notice notice-info small">
              {w}
            </div>
          ))}
          <label className="field">
            <span>
              Comment <span className="muted small">(required — kept in the audit log)</span>
            </span>
            <input
              type="text"
              maxLength={1000}
              value={comment}
              onChange={(e) => setComment(e.target.value)}
              data-testid="promote-comment"
            />
          </label>
          {error && <ErrorNotice error={error} />}
          <div className="promote-actions">
            <button
              type="button"
              className="button primary"
              disabled={!ok || !p.copy.ok}
              title={p.copy.reason ?? ''}
              onClick={() => void send('state')}
              data-testid="promote-confirm"
            >
              {sending ? 'Promoting…' : `Promote to ${p.to.env}`}
            </button>
            {error?.code === 'blocked' && errorFacts(error).refusal === 'metrics_guard' && (
              <button
                type="button"
                className="button warn"
                disabled={!ok}
                onClick={() => void send('state', true)}
                data-testid="promote-anyway"
              >
                Promote anyway (audited)
              </button>
            )}
            <button
              type="button"
              className="button subtle-strong"
              disabled={!ok || !p.plan.ok}
              title={p.plan.reason ?? ''}
              onClick={() => void send('plan')}
              data-testid="promote-plan"
            >
              Start the same plan there{p.plan.steps.length ? ` (${p.plan.steps.map((s) => `${s}%`).join(' → ')})` : ''}
            </button>
          </div>
          {!p.copy.ok && <div className="muted small">Can&apos;t copy: {p.copy.reason}</div>}
          {!p.plan.ok && <div className="muted small">No plan to start: {p.plan.reason}</div>}
        </>
      )}
    </div>
  );
}
