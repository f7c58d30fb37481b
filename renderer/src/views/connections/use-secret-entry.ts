/**
 * The desktop app's secret entry: what the user typed per slot, sent once to `connections:setSecret` and then
 * cleared from the field. When the core refuses because only plain-text storage exists, the secret is held in
 * memory (never shown) until the user opts in to plain text and saves again, or closes the form.
 */
import { useRef, useState } from 'react';
import type { RampartError } from '../../../../shared/errors';
import { api } from '../../api';
import { asRampartError } from '../../api/envelope';
import { isPlaintextRefusal, type SecretSlot, type SecretWhich } from './secret-entry';

export interface SecretSendResult {
  /** Every typed or held secret was stored. */
  ok: boolean;
  /** Stored secrets with the backend that holds them, for the confirmation. */
  stored: { which: SecretWhich; backend: string }[];
  /** A failure other than the plain-text refusal (which is in `refusal`). */
  error: RampartError | null;
}

export interface SecretEntry {
  typed: Partial<Record<SecretWhich, string>>;
  setTyped(which: SecretWhich, value: string): void;
  isHeld(which: SecretWhich): boolean;
  refusal: RampartError | null;
  allowPlaintext: boolean;
  setAllowPlaintext(allow: boolean): void;
  send(connectionId: string, slots: readonly SecretSlot[]): Promise<SecretSendResult>;
}

export function useSecretEntry(): SecretEntry {
  const [typed, setTypedState] = useState<Partial<Record<SecretWhich, string>>>({});
  const held = useRef(new Map<SecretWhich, string>());
  const [refusal, setRefusal] = useState<RampartError | null>(null);
  const [allowPlaintext, setAllowPlaintext] = useState(false);

  const setTyped = (which: SecretWhich, value: string): void => setTypedState((t) => ({ ...t, [which]: value }));

  const send = async (connectionId: string, slots: readonly SecretSlot[]): Promise<SecretSendResult> => {
    const stored: SecretSendResult['stored'] = [];
    let refused: RampartError | null = null;
    for (const slot of slots) {
      const secret = typed[slot.which] || held.current.get(slot.which);
      if (!secret) continue;
      // Out of the field at once: the page keeps no visible copy, whatever the answer.
      setTyped(slot.which, '');
      try {
        const r = await api.call('connections:setSecret', {
          id: connectionId,
          which: slot.which,
          secret,
          allowPlaintext,
        });
        held.current.delete(slot.which);
        stored.push({ which: slot.which, backend: r.backend });
      } catch (e) {
        const err = asRampartError(e);
        if (isPlaintextRefusal(err) && !allowPlaintext) {
          held.current.set(slot.which, secret);
          refused = err;
          continue;
        }
        held.current.delete(slot.which);
        setRefusal(null);
        return { ok: false, stored, error: err };
      }
    }
    setRefusal(refused);
    if (!refused) setAllowPlaintext(false);
    return { ok: refused === null, stored, error: null };
  };

  return { typed, setTyped, isHeld: (w) => held.current.has(w), refusal, allowPlaintext, setAllowPlaintext, send };
}
