/**
 * Add or edit a connection: the kind's fields, tokens as the NAME of an environment variable — and, in the
 * desktop app only, typed into a password field that goes straight to the OS keychain.
 */
import { useState } from 'react';
import { FLAG_STORE_KINDS, METRICS_KINDS, type Connection, type ConnectionKind } from '../../../../shared/domain/connections';
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
import { FIELDS, buildConnection, initialValues, isVisible, slugify, type FieldSpec, type FormValues } from './connection-fields';

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
  const [error, setError] = useState<RampartError | null>(null);
  const pushToast = useToasts((s) => s.push);
  const mode = secretMode(useQuery('app:info', {}).data?.door);
  const secrets = useSecretEntry();
  const slots = secretSlots(kind, values);

  const set = (name: string, v: string | boolean): void => setValues((prev) => ({ ...prev, [name]: v }));
  const changeKind = (k: ConnectionKind): void => {
    setKind(k);
    setValues((prev) => ({ ...initialValues(k), id: prev.id, name: prev.name }));
  };
  const save = async (): Promise<void> => {
    setSaving(true);
    setError(null);
    try {
      const saved = await api.call('connections:save', { connection: buildConnection(kind, values, existing) });
      queryClient.invalidate((c) => c === 'connections:list' || c === 'flags:list');
      if (mode === 'keychain') {
        const sent = await secrets.send(saved.connection.id, slots);
        for (const s of sent.stored) pushToast('ok', `${s.which === 'token' ? 'Token' : 'Application key'} stored (${s.backend}) for ${saved.connection.name}`);
        if (sent.stored.length > 0) queryClient.invalidate((c) => c === 'connections:list' || c === 'flags:list');
        // Refused or failed: the form stays open with the reason (and the plain-text opt-in when that was it).
        if (sent.error) setError(sent.error);
        if (!sent.ok) return;
      }
      pushToast('ok', `Saved connection ${saved.connection.name}`);
      onClose();
    } catch (e) {
      setError(asRampartError(e));
    } finally {
      setSaving(false);
    }
  };

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
        {f.help && <span className="help small muted">{f.help}</span>}
      </div>
    );
  };

  return (
    <Modal title={existing ? `Edit ${existing.name}` : 'Add connection'} onCancel={onClose} testId="connection-form">
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <div className="field">
          <label htmlFor="conn-kind">Kind</label>
          <select id="conn-kind" value={kind} disabled={Boolean(existing)} onChange={(e) => changeKind(e.target.value as ConnectionKind)}>
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
        </div>
        <div className="field">
          <label htmlFor="conn-id">
            Id<span className="required"> *</span>
          </label>
          <input
            id="conn-id"
            type="text"
            value={String(values.id)}
            disabled={Boolean(existing)}
            spellCheck={false}
            onChange={(e) => {
              setIdTouched(true);
              set('id', e.target.value);
            }}
          />
          <span className="help small muted">lower-case letters, digits and dashes</span>
        </div>
        {FIELDS[kind].map(field)}
        <SecretFields mode={mode} slots={slots} entry={secrets} hasStoredSecret={existing?.hasStoredSecret === true} />
        {error && <ErrorNotice error={error} title="Save" />}
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
