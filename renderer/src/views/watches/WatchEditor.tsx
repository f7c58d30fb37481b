/**
 * Create or edit a watch in the UI (issue 11): which flag in which environment, which metrics connection, the
 * selector with a live preview of what it matches, the variant label and which of its values are treatment and
 * control, the metric set and the thresholds. A new watch starts from the core's proposal for the flag (the
 * provider's default metrics under the names it really has). Saved, it opens in the Canary watch with its chart.
 */
import { useEffect, useMemo, useState } from 'react';
import type { Connection } from '../../../../shared/domain/connections';
import { isFlagConnection, isMetricsConnection } from '../../../../shared/domain/connections';
import { Watch } from '../../../../shared/domain/metrics';
import { api } from '../../api';
import { asRampartError } from '../../api/envelope';
import { queryClient } from '../../data/query';
import { useQuery } from '../../data/use-query';
import { Modal } from '../../components/Modal';
import { useToasts } from '../../state/toast-store';
import { useUi } from '../../state/ui-store';
import { fieldErrors, type FieldErrors } from '../connections/field-errors';
import { MetricRows } from './MetricRows';
import { WatchPreview } from './WatchPreview';
import { applySuggestion, formField, fromWatch, toWatch, type WatchForm } from './watch-form';

const EMPTY: WatchForm = {
  id: '',
  flagConnectionId: '',
  flagKey: '',
  env: '',
  metricsConnectionId: '',
  selector: '',
  variantLabel: 'feature_flag_result_variant',
  treatment: '',
  control: '',
  stepSec: '60',
  unitsQuery: '',
  confidence: '0.98',
  allowedIncrease: '1.1',
  passScore: '95',
  marginalScore: '75',
  metrics: [],
};

function Field({
  label,
  name,
  problems,
  children,
  help,
}: {
  label: string;
  name: string;
  problems: FieldErrors;
  children: React.ReactNode;
  help?: string;
}): React.JSX.Element {
  return (
    <label className="field" data-field={name}>
      <span>{label}</span>
      {children}
      {problems[name] && (
        <span className="field-error" role="alert" data-testid={`watch-error-${name}`}>
          {problems[name]}
        </span>
      )}
      {help && <span className="help small muted">{help}</span>}
    </label>
  );
}

/** `initial`: a new watch prefilled for a flag (the core's proposal); `existing`: a saved watch to edit. */
export function WatchEditor({
  existing,
  initial,
  connections,
  onClose,
}: {
  existing?: Watch;
  initial?: Watch;
  connections: Connection[];
  onClose: () => void;
}): React.JSX.Element {
  const [f, setF] = useState<WatchForm>(() => (existing ? fromWatch(existing) : initial ? fromWatch(initial) : EMPTY));
  const fixedFlag = Boolean(existing ?? initial);
  const [saving, setSaving] = useState(false);
  const [problems, setProblems] = useState<FieldErrors>({});
  const [saveError, setSaveError] = useState<string | null>(null);
  const pushToast = useToasts((s) => s.push);
  const set = (patch: Partial<WatchForm>): void => {
    setF((prev) => ({ ...prev, ...patch }));
    // An edited field's old message goes: it described the value that was there.
    setProblems((prev) =>
      Object.fromEntries(
        Object.entries(prev).filter(([k]) => !(k in patch) && !(k.startsWith('metrics') && 'metrics' in patch)),
      ),
    );
  };
  const flagConns = connections.filter(isFlagConnection);
  const metricsConns = connections.filter(isMetricsConnection);
  const flags = useQuery('flags:list', f.flagConnectionId ? { connectionId: f.flagConnectionId } : null);
  const envs = useMemo(
    () => (flags.data ?? []).filter((r) => r.flagKey === f.flagKey).map((r) => r.env),
    [flags.data, f.flagKey],
  );
  const proposal = useQuery(
    'watches:forFlag',
    !existing && !initial && f.flagConnectionId && f.flagKey && f.env
      ? { connectionId: f.flagConnectionId, flagKey: f.flagKey, env: f.env }
      : null,
  );

  // A new watch takes the core's proposal for the flag (or the saved one, which it then edits).
  const proposed = proposal.data?.watch;
  useEffect(() => {
    if (existing || !proposed) return;
    setF((prev) => ({ ...fromWatch(proposed), selector: prev.selector || proposed.selector }));
  }, [existing, proposed]);

  const candidate = useMemo(() => {
    const r = Watch.safeParse(toWatch(f));
    return r.success ? r.data : null;
  }, [f]);
  const editingSaved = existing !== undefined || proposal.data?.saved === true;

  const save = async (): Promise<void> => {
    setSaveError(null);
    const r = Watch.safeParse(toWatch(f));
    if (!r.success) {
      setProblems(Object.fromEntries(Object.entries(fieldErrors(r.error)).map(([k, v]) => [formField(k), v])));
      return;
    }
    setProblems({});
    setSaving(true);
    try {
      const saved = await api.call('watches:save', { watch: r.data });
      queryClient.invalidate((c) => c === 'watches:list' || c === 'watches:forFlag' || c === 'decision:get');
      pushToast('ok', `Saved watch ${saved.id}`);
      onClose();
      // See its chart: the Canary watch of that flag.
      useUi.getState().select({ connectionId: saved.flagConnectionId, flagKey: saved.flagKey, env: saved.env });
      useUi.getState().setView('canary');
    } catch (e) {
      setSaveError(asRampartError(e).message);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal title={existing ? `Edit watch ${existing.id}` : 'New watch'} onCancel={onClose} testId="watch-editor">
      <form
        className="form watch-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <div className="form-grid">
          <Field label="Flag store" name="flagConnectionId" problems={problems}>
            <select
              value={f.flagConnectionId}
              disabled={fixedFlag}
              onChange={(e) => set({ flagConnectionId: e.target.value, flagKey: '', env: '' })}
              data-testid="watch-flag-connection"
            >
              <option value="">— choose —</option>
              {flagConns.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Flag" name="flagKey" problems={problems}>
            <select
              value={f.flagKey}
              disabled={fixedFlag || !f.flagConnectionId}
              onChange={(e) => set({ flagKey: e.target.value, env: '' })}
              data-testid="watch-flag"
            >
              <option value="">— choose —</option>
              {[...new Set((flags.data ?? []).map((r) => r.flagKey))].map((k) => (
                <option key={k}>{k}</option>
              ))}
            </select>
          </Field>
          <Field label="Environment" name="env" problems={problems}>
            <select
              value={f.env}
              disabled={fixedFlag || !f.flagKey}
              onChange={(e) => set({ env: e.target.value })}
              data-testid="watch-env"
            >
              <option value="">— choose —</option>
              {envs.map((e) => (
                <option key={e}>{e}</option>
              ))}
            </select>
          </Field>
          <Field label="Metrics from" name="metricsConnectionId" problems={problems}>
            <select
              value={f.metricsConnectionId}
              onChange={(e) => set({ metricsConnectionId: e.target.value })}
              data-testid="watch-metrics-connection"
            >
              <option value="">— choose —</option>
              {metricsConns.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name} ({c.kind})
                </option>
              ))}
            </select>
          </Field>
          <Field
            label="Selector (the service behind the flag)"
            name="selector"
            problems={problems}
            help='e.g. job="checkout" — fills {{selector}} in every query'
          >
            <input
              type="text"
              value={f.selector}
              spellCheck={false}
              onChange={(e) => set({ selector: e.target.value })}
              data-testid="watch-editor-selector"
            />
          </Field>
          <Field
            label="Variant label"
            name="variantLabel"
            problems={problems}
            help="the label carrying each request's variant"
          >
            <input
              type="text"
              value={f.variantLabel}
              spellCheck={false}
              onChange={(e) => set({ variantLabel: e.target.value })}
              data-testid="watch-editor-variant-label"
            />
          </Field>
          <Field
            label="Treatment values"
            name="treatment"
            problems={problems}
            help="comma-separated; empty: the flag's own names and the boolean words"
          >
            <input
              type="text"
              value={f.treatment}
              spellCheck={false}
              placeholder="on, true"
              onChange={(e) => set({ treatment: e.target.value })}
              data-testid="watch-treatment"
            />
          </Field>
          <Field label="Control values" name="control" problems={problems}>
            <input
              type="text"
              value={f.control}
              spellCheck={false}
              placeholder="off, disabled"
              onChange={(e) => set({ control: e.target.value })}
              data-testid="watch-control"
            />
          </Field>
          <Field
            label="Step (s)"
            name="stepSec"
            problems={problems}
            help="one sample per step; at least two scrape intervals"
          >
            <input
              type="text"
              inputMode="numeric"
              value={f.stepSec}
              onChange={(e) => set({ stepSec: e.target.value })}
              data-testid="watch-step"
            />
          </Field>
          <Field
            label="Allowed increase (×)"
            name="allowedIncrease"
            problems={problems}
            help="the margin: 1.1 allows +10 %"
          >
            <input
              type="text"
              inputMode="decimal"
              value={f.allowedIncrease}
              onChange={(e) => set({ allowedIncrease: e.target.value })}
              data-testid="watch-allowed-increase"
            />
          </Field>
          <Field label="Confidence" name="confidence" problems={problems}>
            <input
              type="text"
              inputMode="decimal"
              value={f.confidence}
              onChange={(e) => set({ confidence: e.target.value })}
              data-testid="watch-confidence"
            />
          </Field>
          <Field label="Pass / marginal score" name="passScore" problems={problems}>
            <span className="inline-pair">
              <input
                type="text"
                inputMode="numeric"
                value={f.passScore}
                aria-label="pass score"
                onChange={(e) => set({ passScore: e.target.value })}
              />
              <input
                type="text"
                inputMode="numeric"
                value={f.marginalScore}
                aria-label="marginal score"
                onChange={(e) => set({ marginalScore: e.target.value })}
              />
            </span>
          </Field>
        </div>
        {editingSaved && !existing && (
          <div className="notice notice-info small">This flag already has a watch: saving replaces it.</div>
        )}
        <MetricRows metrics={f.metrics} onChange={(metrics) => set({ metrics })} problems={problems} />
        <WatchPreview
          watch={candidate}
          onSuggestion={(metric, name) =>
            set({
              metrics: f.metrics.map((m) => (m.name === metric ? { ...m, query: applySuggestion(m.query, name) } : m)),
            })
          }
        />
        {saveError && (
          <div className="notice notice-error small" role="alert" data-testid="watch-save-error">
            Not saved: {saveError}
          </div>
        )}
        <div className="modal-actions">
          <button type="button" className="button subtle" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button primary" disabled={saving} data-testid="watch-editor-save">
            {saving ? 'Saving…' : 'Save and watch'}
          </button>
        </div>
      </form>
    </Modal>
  );
}
