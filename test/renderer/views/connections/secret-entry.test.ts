import { describe, expect, it } from 'vitest';
import { fromWireError, RampartError, toWireError } from '../../../../shared/errors';
import { initialValues } from '../../../../renderer/src/views/connections/connection-fields';
import { isPlaintextRefusal, secretMode, secretSlots } from '../../../../renderer/src/views/connections/secret-entry';

describe('secret entry in the connection form', () => {
  it('has one secret slot per env-var field a kind shows', () => {
    expect(secretSlots('unleash', initialValues('unleash')).map((s) => [s.which, s.label])).toEqual([
      ['token', 'Admin token'],
    ]);
    expect(secretSlots('datadog', initialValues('datadog')).map((s) => [s.which, s.label])).toEqual([
      ['token', 'API key'],
      ['appKey', 'Application key'],
    ]);
    expect(secretSlots('flagd', initialValues('flagd'))).toEqual([]);
    // Prometheus asks for a secret only with bearer or basic auth.
    expect(secretSlots('prometheus', { ...initialValues('prometheus'), auth: 'none' })).toEqual([]);
    expect(secretSlots('prometheus', { ...initialValues('prometheus'), auth: 'bearer' }).map((s) => s.which)).toEqual([
      'token',
    ]);
  });

  it('types secrets only in the desktop app; the browser host and CLI take env-var names', () => {
    expect(secretMode('electron')).toBe('keychain');
    expect(secretMode('http')).toBe('env-only');
    expect(secretMode('cli')).toBe('env-only');
    expect(secretMode(undefined)).toBe('env-only');
  });

  it('offers the plain-text opt-in only for the keychain’s plain-text refusal', () => {
    // The fact main/electron/secrets.ts attaches to the refusal, as it arrives over the wire.
    const plain = fromWireError(
      toWireError(new RampartError('blocked', 'stored as plain text', { refusal: 'plaintext_keychain' })),
    );
    expect(isPlaintextRefusal(plain)).toBe(true);
    expect(isPlaintextRefusal(new RampartError('blocked', 'the token could only be stored as plain text'))).toBe(false);
    expect(isPlaintextRefusal(new RampartError('blocked', 'No OS keychain is available to store this token'))).toBe(
      false,
    );
    expect(isPlaintextRefusal(new RampartError('bad_request', 'stored as plain text'))).toBe(false);
  });
});
