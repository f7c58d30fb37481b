/**
 * Start a guarded rollout plan on the watched flag: steps, bake floor, minimum sample, approval gates, a change
 * window and freeze dates — or a saved policy — and the required comment. The core validates; this only shapes.
 */
import { useState } from 'react';
import type { Watch } from '../../../../shared/domain/metrics';
import { parseWindow } from '../../../../shared/domain/plan-schedule';
import type { RampartError } from '../../../../shared/errors';
import { api } from '../../api';
import { asRampartError } from '../../api/envelope';
import { Modal } from '../../components/Modal';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useQuery } from '../../data/use-query';
import { useToasts } from '../../state/toast-store';
import { parseSteps } from './plan-format';
import { refreshPlans } from './PlanActions';

function problems(f: {
  steps: string;
  bake: string;
  samples: string;
  approve: string;
  window: string;
  freeze: string;
}) {
  const steps = parseSteps(f.steps);
  const out: Record<string, string> = {};
  if ('error' in steps) out.steps = steps.error;
  if (!/^\d+(\.\d+)?$/.test(f.bake.trim())) out.bake = 'minutes, e.g. 10';
  if (!/^\d+$/.test(f.samples.trim())) out.samples = 'a whole number of requests';
  const gates = f.approve
    .split(/[,\s]+/)
    .filter(Boolean)
    .map(Number);
  if ('steps' in steps && gates.some((g) => !steps.steps.includes(g)))
    out.approve = 'each approval must be one of the steps';
  if (f.window.trim()) {
    try {
      parseWindow(f.window);
    } catch (e) {
      out.window = (e as Error).message;
    }
  }
  if (
    f.freeze
      .split(/[,\s]+/)
      .filter(Boolean)
      .some((d) => !/^\d{4}-\d{2}-\d{2}(\.\.\d{4}-\d{2}-\d{2})?$/.test(d))
  )
    out.freeze = 'dates YYYY-MM-DD, comma-separated';
  return { out, steps: 'steps' in steps ? steps.steps : [], gates };
}

export function StartPlanDialog({ watch, onClose }: { watch: Watch; onClose: () => void }): React.JSX.Element {
  const policies = useQuery('plans:policies', {});
  const [f, setF] = useState({
    policy: '',
    steps: '1, 5, 25, 50, 100',
    bake: '10',
    samples: '0',
    approve: '',
    window: '',
    freeze: '',
    comment: '',
  });
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<RampartError | null>(null);
  const push = useToasts((s) => s.push);
  const { out, steps, gates } = problems(f);
  const usePolicy = f.policy !== '';
  const ok = (usePolicy || Object.keys(out).length === 0) && f.comment.trim().length >= 3 && !sending;
  const set = (k: keyof typeof f) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) =>
    setF({ ...f, [k]: e.target.value });

  const submit = async (): Promise<void> => {
    if (!ok) return;
    setSending(true);
    setError(null);
    const ids = { connectionId: watch.flagConnectionId, flagKey: watch.flagKey, env: watch.env };
    const policy = usePolicy
      ? undefined
      : {
          steps: steps.map((exposure) => ({ exposure, approval: gates.includes(exposure) })),
          bakeMs: Math.round(Number(f.bake) * 60_000),
          minSamples: Number(f.samples),
          windows: f.window.trim() ? [parseWindow(f.window)] : [],
          freezeDates: f.freeze.split(/[,\s]+/).filter(Boolean),
          ...(f.window.trim() ? { timeZone: parseWindow(f.window).timeZone } : {}),
        };
    try {
      const plan = await api.call('plans:start', {
        ...ids,
        policyName: usePolicy ? f.policy : undefined,
        policy,
        comment: f.comment.trim(),
      });
      push(
        'ok',
        `${plan.flagKey}: plan started at ${plan.expected.enabled ? `${plan.expected.exposure}%` : 'off'} — ${plan.reason}`,
      );
      refreshPlans();
      onClose();
    } catch (e) {
      setError(asRampartError(e));
    } finally {
      setSending(false);
    }
  };

  const field = (k: keyof typeof out, label: string, input: React.ReactNode, wide = false) => (
    <label className={wide ? 'field wide' : 'field'}>
      <span>{label}</span>
      {input}
      {!usePolicy && out[k] && <span className="field-error">{out[k]}</span>}
    </label>
  );
  return (
    <Modal title={`Start a plan — ${watch.flagKey} in ${watch.env}`} onCancel={onClose} testId="start-plan-dialog">
      <div className="notice notice-info small">
        The plan advances only on the watch’s decision: baked, sampled, passing, inside the window; it rolls back on its
        own when the decision says so.
      </div>
      <div className="plan-form">
        <label className="field wide">
          <span>Policy</span>
          <select value={f.policy} onChange={set('policy')} data-testid="plan-policy">
            <option value="">— custom (below) —</option>
            {(policies.data ?? []).map((p) => (
              <option key={p.name} value={p.name}>
                {p.name}: {p.policy.steps.map((s) => `${s.exposure}%`).join(' → ')}
              </option>
            ))}
          </select>
        </label>
        {!usePolicy && (
          <>
            {field(
              'steps',
              'Steps (%)',
              <input value={f.steps} onChange={set('steps')} data-testid="plan-steps-input" />,
              true,
            )}
            {field('bake', 'Bake floor per step (min)', <input value={f.bake} onChange={set('bake')} />)}
            {field('samples', 'Min treatment requests per step', <input value={f.samples} onChange={set('samples')} />)}
            {field(
              'approve',
              'Approval before (%)',
              <input value={f.approve} placeholder="e.g. 50" onChange={set('approve')} />,
            )}
            {field(
              'freeze',
              'Freeze dates',
              <input value={f.freeze} placeholder="2025-12-24, 2025-12-31" onChange={set('freeze')} />,
            )}
            {field(
              'window',
              'Change window',
              <input value={f.window} placeholder="Mon-Thu 09:00-17:00 Europe/Berlin" onChange={set('window')} />,
              true,
            )}
          </>
        )}
        <label className="field wide">
          <span>
            Comment <span className="muted small">(required — kept in the audit log)</span>
          </span>
          <input
            value={f.comment}
            onChange={set('comment')}
            autoFocus
            maxLength={1000}
            data-testid="plan-start-comment"
            onKeyDown={(e) => e.key === 'Enter' && void submit()}
          />
        </label>
      </div>
      {error && <ErrorNotice error={error} />}
      <div className="modal-actions">
        <button type="button" className="button subtle" onClick={onClose}>
          Cancel
        </button>
        <button
          type="button"
          className="button primary"
          disabled={!ok}
          onClick={() => void submit()}
          data-testid="plan-start-confirm"
        >
          {sending ? 'Starting…' : 'Start plan'}
        </button>
      </div>
    </Modal>
  );
}
