import type { SafeStorage } from 'electron';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RampartError, type ErrorFacts } from '../../shared/errors';
import type { SecretStore } from '../core/secret-store';

/**
 * Connection secrets in the OS keychain via Electron safeStorage (Keychain, DPAPI, libsecret/kwallet). The file
 * holds only ciphertext. When Linux has no keyring, safeStorage falls back to `basic_text` — effectively
 * plaintext — so storing then requires the user's explicit opt-in (docs/security.md).
 */
export function createSafeStorageSecrets(safeStorage: SafeStorage, userData: string): SecretStore {
  const file = join(userData, 'secrets.json');
  const load = (): Record<string, string> =>
    existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>) : {};
  const save = (all: Record<string, string>) => {
    const tmp = `${file}.tmp`;
    writeFileSync(tmp, JSON.stringify(all), { mode: 0o600 });
    renameSync(tmp, file);
  };
  const backend = () => (process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : 'os');

  return {
    backend,
    get(connectionId, which) {
      const enc = load()[`${connectionId}:${which}`];
      if (!enc || !safeStorage.isEncryptionAvailable()) return undefined;
      return safeStorage.decryptString(Buffer.from(enc, 'base64'));
    },
    has(connectionId, which) {
      return load()[`${connectionId}:${which}`] !== undefined;
    },
    set(connectionId, which, secret, allowPlaintext) {
      if (!safeStorage.isEncryptionAvailable())
        throw new RampartError('blocked', 'No OS keychain is available to store this token');
      if (backend() === 'basic_text' && !allowPlaintext) {
        throw new RampartError(
          'blocked',
          'No keyring (gnome-keyring/kwallet) is running, so the token could only be stored as plain text. Confirm to store it anyway, or use an environment variable.',
          { refusal: 'plaintext_keychain' } satisfies ErrorFacts,
        );
      }
      const all = load();
      all[`${connectionId}:${which}`] = safeStorage.encryptString(secret).toString('base64');
      save(all);
    },
    remove(connectionId) {
      const all = load();
      for (const k of Object.keys(all)) if (k.startsWith(`${connectionId}:`)) delete all[k];
      save(all);
    },
  };
}
