/**
 * Secret entry in the connection form. Desktop app: a password field per secret, stored in the OS keychain by the
 * core and never shown again; a plain-text-only keychain is said plainly and needs an explicit opt-in. Browser
 * host: no secret fields at all — only env-var names, and why.
 */
import { useEffect, useRef } from 'react';
import { ErrorNotice } from '../../components/ErrorNotice';
import { ENV_ONLY_REASON, type SecretSlot } from './secret-entry';
import type { SecretEntry } from './use-secret-entry';

export function SecretFields({
  mode,
  slots,
  entry,
  hasStoredSecret,
}: {
  mode: 'keychain' | 'env-only';
  slots: readonly SecretSlot[];
  entry: SecretEntry;
  hasStoredSecret: boolean;
}): React.JSX.Element | null {
  const refusalRef = useRef<HTMLDivElement>(null);
  // The refusal appears at the bottom of a long form: bring it (and its opt-in) into view.
  useEffect(() => {
    if (entry.refusal) refusalRef.current?.scrollIntoView({ block: 'nearest' });
  }, [entry.refusal]);
  if (slots.length === 0) return null;
  if (mode === 'env-only') {
    return (
      <div className="notice notice-info small" data-testid="secret-env-only">
        <span>{ENV_ONLY_REASON}</span>
      </div>
    );
  }
  return (
    <>
      {slots.map((slot) => {
        const id = `conn-secret-${slot.which}`;
        const held = entry.isHeld(slot.which);
        return (
          <div className="field" key={slot.which}>
            <label htmlFor={id}>{slot.label} — stored in the OS keychain</label>
            <input
              id={id}
              type="password"
              autoComplete="new-password"
              spellCheck={false}
              value={entry.typed[slot.which] ?? ''}
              placeholder={
                held
                  ? 'held until you confirm plain-text storage below'
                  : hasStoredSecret
                    ? 'a secret is stored — type to replace it'
                    : 'paste it here'
              }
              onChange={(e) => entry.setTyped(slot.which, e.target.value)}
              data-testid={`secret-${slot.which}`}
            />
            <span className="help small muted">
              Sent once to the core, kept encrypted, never shown again. Or leave it empty and name an environment
              variable.
            </span>
          </div>
        );
      })}
      {entry.refusal && (
        <div ref={refusalRef}>
          <ErrorNotice error={entry.refusal} title="Not stored">
            <label className="field-check plaintext-optin">
              <input
                type="checkbox"
                checked={entry.allowPlaintext}
                onChange={(e) => entry.setAllowPlaintext(e.target.checked)}
                data-testid="allow-plaintext"
              />
              <span>
                Store as plain text anyway — anyone who can read this account&apos;s files can read it. Tick, then Save
                again.
              </span>
            </label>
          </ErrorNotice>
        </div>
      )}
    </>
  );
}
