/**
 * Add or edit a connection: the kind's fields, tokens as the NAME of an environment variable — and, in the
 * desktop app only, typed into a password field that goes straight to the OS keychain.
 */
import { useState } from 'react';
import {
  Connection as ConnectionSchema,
  FLAG_STORE_KINDS,
  METRICS_KINDS,
  NOTIFY_KINDS,
  type Connection,
  type ConnectionKind,
} from '../../../../shared/domain/connections';
import type { RampartError } from '../../../../shared/errors';
import { api } from '../../api';
import { asRampartError } from '../../api/envelope';
import { queryClient } from '../../data/query';
import { Modal } from '../../components/Modal';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useToasts } from '../../state/toast-store';
import { useQuery } from '../../data/use-query';
import { SecretFields } from './SecretFields';
import { secretMode, secretSlots } from './secret-entry';
import { useSecretEntry } from './use-secret-entry';
import {
  FIELDS,
  buildConnection,
  initialValues,
  isVisible,
  slugify,
  type FieldSpec,
  type FormValues,
} from './connection-fields';
import { fieldErrors, serverFieldError, type FieldErrors } from './field-errors';

export function ConnectionForm({
  existing,
  flagConnections,
  onClose,
}: {
  existing?: Connection;
  flagConnections: { id: string; name: string }[];
  onClose: () => void;
}): React.JSX.Element {
  const [kind, setKind] = useState<ConnectionKind>(existing?.kind ?? 'unleash');
  const [values, setValues] = useState<FormValues>(() => initialValues(existing?.kind ?? 'unleash', existing));
  const [idTouched, setIdTouched] = useState(Boolean(existing));
  const [saving, setSaving] = useState(false);
  // The id this form has saved already (a save whose secret was then refused keeps the form open): saving it again
  // replaces this form's own record, while any other existing id is still refused by connections:save.
  const [savedId, setSavedId] = useState<string | null>(null);
  const [error, setError] = useState<RampartError | null>(null);
  const [problems, setProblems] = useState<FieldErrors>({});
  const pushToast = useToasts((s) => s.push);
  const mode = secretMode(useQuery('app:info', {}).data?.door);
  const secrets = useSecretEntry();
  const slots = secretSlots(kind, values);

  const set = (name: string, v: string | boolean): void => {
    setValues((prev) => ({ ...prev, [name]: v }));
    setProblems((prev) => Object.fromEntries(Object.entries(prev).filter(([k]) => k !== name)));
  };
  const changeKind = (k: ConnectionKind): void => {
    setKind(k);
    setValues((prev) => ({ ...initialValues(k), id: prev.id, name: prev.name }));
  };
  const save = async (): Promise<void> => {
    setError(null);
    // The contract's schema says what is valid; checked here first, so each problem shows under its field.
    const payload = buildConnection(kind, values, existing);
    const checked = ConnectionSchema.safeParse(payload);
    if (!checked.success) {
      setProblems(fieldErrors(checked.error));
      return;
    }
    setProblems({});
    setSaving(true);
    try {
      const replace = Boolean(existing) || payload.id === savedId;
      const saved = await api.call('connections:save', { connection: payload, replace });
      setSavedId(saved.connection.id);
      queryClient.invalidate((c) => c === 'connections:list' || c === 'flags:list');
      if (mode === 'keychain') {
        const sent = await secrets.send(saved.connection.id, slots);
        for (const s of sent.stored)
          pushToast(
            'ok',
            `${s.which === 'token' ? 'Token' : 'Application key'} stored (${s.backend}) for ${saved.connection.name}`,
          );
        if (sent.stored.length > 0) queryClient.invalidate((c) => c === 'connections:list' || c === 'flags:list');
        // Refused or failed: the form stays open with the reason (and the plain-text opt-in when that was it).
        if (sent.error) setError(sent.error);
        if (!sent.ok) return;
      }
      pushToast('ok', `Saved connection ${saved.connection.name}`);
      onClose();
    } catch (e) {
      const err = asRampartError(e);
      const onField = serverFieldError(err, ['id', 'name', ...FIELDS[kind].map((f) => f.name)]);
      if (onField) setProblems({ [onField.field]: onField.message });
      else setError(err);
    } finally {
      setSaving(false);
    }
  };
  const problem = (name: string): React.JSX.Element | null =>
    problems[name] ? (
      <span className="field-error" data-testid={`field-error-${name}`} role="alert">
        {problems[name]}
      </span>
    ) : null;

  const field = (f: FieldSpec): React.JSX.Element | null => {
    if (!isVisible(f, values)) return null;
    const v = values[f.name];
    const id = `conn-${f.name}`;
    let input: React.JSX.Element;
    if (f.type === 'checkbox') {
      input = <input id={id} type="checkbox" checked={v === true} onChange={(e) => set(f.name, e.target.checked)} />;
    } else if (f.type === 'select') {
      input = (
        <select id={id} value={String(v)} onChange={(e) => set(f.name, e.target.value)}>
          {f.options?.map((o) => (
            <option key={o}>{o}</option>
          ))}
        </select>
      );
    } else if (f.type === 'connection') {
      input = (
        <select id={id} value={String(v)} onChange={(e) => set(f.name, e.target.value)}>
          <option value="">— choose —</option>
          {flagConnections.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name} ({c.id})
            </option>
          ))}
        </select>
      );
    } else {
      input = (
        <input
          id={id}
          type={f.type === 'url' ? 'url' : 'text'}
          value={String(v)}
          placeholder={f.placeholder}
          autoComplete="off"
          spellCheck={false}
          onChange={(e) => set(f.name, e.target.value)}
        />
      );
    }
    return (
      <div className={f.type === 'checkbox' ? 'field field-check' : 'field'} key={f.name}>
        <label htmlFor={id}>
          {f.label}
          {f.required && <span className="required"> *</span>}
        </label>
        {input}
        {problem(f.name)}
        {f.help && <span className="help small muted">{f.help}</span>}
      </div>
    );
  };

  return (
    <Modal title={existing ? `Edit ${existing.name}` : 'Add connection'} onCancel={onClose} testId="connection-form">
      <form
        className="form"
        // Our own checks (the contract's schema, in plain words under each field) rather than the browser's bubbles.
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <div className="field">
          <label htmlFor="conn-kind">Kind</label>
          <select
            id="conn-kind"
            value={kind}
            disabled={Boolean(existing)}
            onChange={(e) => changeKind(e.target.value as ConnectionKind)}
          >
            <optgroup label="Flag stores">
              {FLAG_STORE_KINDS.map((k) => (
                <option key={k}>{k}</option>
              ))}
            </optgroup>
            <optgroup label="Metrics providers">
              {METRICS_KINDS.map((k) => (
                <option key={k}>{k}</option>
              ))}
            </optgroup>
            <optgroup label="Notifications and alerts">
              {NOTIFY_KINDS.map((k) => (
                <option key={k}>{k}</option>
              ))}
            </optgroup>
          </select>
        </div>
        <div className="field">
          <label htmlFor="conn-name">
            Name<span className="required"> *</span>
          </label>
          <input
            id="conn-name"
            type="text"
            autoFocus
            value={String(values.name)}
            onChange={(e) => {
              set('name', e.target.value);
              if (!idTouched) set('id', slugify(e.target.value));
            }}
          />
          {problem('name')}
        </div>
        <div className="field">
          <label htmlFor="conn-id">
            Id<span className="required"> *</span>
          </label>
          <input
            id="conn-id"
            type="text"
            value={String(values.id)}
            disabled={Boolean(existing) || savedId !== null}
            spellCheck={false}
            onChange={(e) => {
              setIdTouched(true);
              set('id', e.target.value);
            }}
          />
          {problem('id')}
          <span className="help small muted">lower-case letters, digits and dashes</span>
        </div>
        {FIELDS[kind].map(field)}
        <SecretFields mode={mode} slots={slots} entry={secrets} hasStoredSecret={existing?.hasStoredSecret === true} />
        {error && <ErrorNotice error={error} title="Not saved" />}
        {Object.keys(problems).length > 0 && (
          <div className="small warn-text" data-testid="form-problems">
            Not saved:{' '}
            {Object.keys(problems).length === 1 ? 'one field needs' : `${Object.keys(problems).length} fields need`}{' '}
            attention.
          </div>
        )}
        <div className="modal-actions">
          <button type="button" className="button subtle" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button primary" disabled={saving} data-testid="connection-save">
            {saving ? 'Saving…' : 'Save'}
          </button>
        </div>
      </form>
    </Modal>
  );
}
