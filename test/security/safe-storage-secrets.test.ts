import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SafeStorage } from 'electron';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSafeStorageSecrets } from '../../main/electron/secrets';
import { createCore } from '../../main/core/core';
import { createHandlers } from '../../main/core/handlers';
import { layeredResolver } from '../../main/core/secret-store';
import { envSecretResolver } from '../../main/host/env-secrets';
import { createRegistrar } from '../../main/host/registrar';
import { grepDir } from './support/grep-secrets';

/**
 * The Electron secret store (main/electron/secrets.ts) against a stand-in for Electron's safeStorage that really
 * encrypts (AES-256-GCM under a key the "OS keychain" holds): on disk there is only ciphertext; with the
 * `basic_text` backend (Linux without a keyring) nothing is stored without the explicit opt-in.
 */
const SECRET = 'ld-api-token-5b9d1f3a7c2e4b6d8f0a1c3e5a7b9d1f';

function fakeSafeStorage(backend: string, available = true) {
  const key = randomBytes(32);
  const calls = { encrypt: 0 };
  const storage = {
    isEncryptionAvailable: () => available,
    getSelectedStorageBackend: () => backend,
    encryptString(plain: string): Buffer {
      calls.encrypt++;
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return Buffer.concat([Buffer.from('v10'), iv, c.getAuthTag(), body]);
    },
    decryptString(enc: Buffer): string {
      const iv = enc.subarray(3, 15);
      const d = createDecipheriv('aes-256-gcm', key, iv);
      d.setAuthTag(enc.subarray(15, 31));
      return Buffer.concat([d.update(enc.subarray(31)), d.final()]).toString('utf8');
    },
  };
  return { storage: storage as unknown as SafeStorage, calls };
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rampart-safestorage-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('safeStorage secret store', () => {
  it('stores only ciphertext, readable back through safeStorage, in a file only the user can read', () => {
    const { storage, calls } = fakeSafeStorage('gnome_libsecret');
    const store = createSafeStorageSecrets(storage, dir);
    store.set('prod-ld', 'token', SECRET, false);
    expect(calls.encrypt).toBe(1);
    expect(store.get('prod-ld', 'token')).toBe(SECRET);
    expect(store.has('prod-ld', 'token')).toBe(true);
    expect(grepDir(dir, SECRET)).toEqual([]);
    const file = join(dir, 'secrets.json');
    expect(Object.keys(JSON.parse(readFileSync(file, 'utf8')) as object)).toEqual(['prod-ld:token']);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('a second store over the same file reads it back; remove() forgets every secret of a connection', () => {
    const { storage } = fakeSafeStorage('kwallet5');
    const a = createSafeStorageSecrets(storage, dir);
    a.set('dd', 'token', 'api-key-1234567890', false);
    a.set('dd', 'appKey', 'app-key-0987654321', false);
    a.set('other', 'token', SECRET, false);
    const b = createSafeStorageSecrets(storage, dir);
    expect(b.get('dd', 'appKey')).toBe('app-key-0987654321');
    b.remove('dd');
    expect([b.has('dd', 'token'), b.has('dd', 'appKey'), b.get('other', 'token')]).toEqual([false, false, SECRET]);
    expect(grepDir(dir, 'api-key-1234567890')).toEqual([]);
  });

  it('basic_text (no keyring): refuses to store without the explicit opt-in, and says why', () => {
    const { storage, calls } = fakeSafeStorage('basic_text');
    const store = createSafeStorageSecrets(storage, dir);
    if (process.platform === 'linux') {
      expect(store.backend()).toBe('basic_text');
      expect(() => store.set('prod-ld', 'token', SECRET, false)).toThrow(/plain text.*Confirm|keyring/i);
      expect(calls.encrypt).toBe(0);
      expect(store.has('prod-ld', 'token')).toBe(false);
      store.set('prod-ld', 'token', SECRET, true);
      expect(store.get('prod-ld', 'token')).toBe(SECRET);
    } else {
      // Elsewhere safeStorage is always OS-backed (Keychain, DPAPI): there is no plaintext backend to opt into.
      expect(store.backend()).toBe('os');
    }
  });

  it('no encryption available: nothing is stored, nothing is returned', () => {
    const { storage, calls } = fakeSafeStorage('unknown', false);
    const store = createSafeStorageSecrets(storage, dir);
    expect(() => store.set('prod-ld', 'token', SECRET, true)).toThrow(/keychain/i);
    expect(calls.encrypt).toBe(0);
    expect(store.get('prod-ld', 'token')).toBeUndefined();
    expect(grepDir(dir, SECRET)).toEqual([]);
  });
});

describe('connections:setSecret through the registrar (the Electron door) into safeStorage', () => {
  function electronCore(backend: string) {
    const { storage } = fakeSafeStorage(backend);
    const secretStore = createSafeStorageSecrets(storage, dir);
    let core: ReturnType<typeof createCore> | undefined;
    const secrets = layeredResolver(
      secretStore,
      envSecretResolver((id) => core?.store.records.connections.get(id), {}),
    );
    core = createCore({
      dataDir: dir,
      resourcesDir: join(__dirname, '..', '..', 'resources'),
      secrets,
      secretStore,
      version: '0.0.0-test',
      demo: false,
    });
    core.connections.save({
      id: 'prod-unleash',
      name: 'Prod Unleash',
      kind: 'unleash',
      url: 'https://unleash.example.com',
      project: 'default',
      rollbackMode: 'off',
    });
    return { core, registrar: createRegistrar(createHandlers(core)) };
  }

  it('stores the token (ciphertext only, in the database nothing), and never sends it back', async () => {
    const { core, registrar } = electronCore('gnome_libsecret');
    try {
      const stored = await registrar.dispatch(
        'connections:setSecret',
        { id: 'prod-unleash', which: 'token', secret: SECRET },
        { door: 'electron' },
      );
      expect(stored).toEqual({ result: { stored: true, backend: 'gnome_libsecret' } });
      const list = await registrar.dispatch('connections:list', {}, { door: 'electron' });
      expect(JSON.stringify(list)).toContain('"secretAvailable":true');
      expect(JSON.stringify(list)).not.toContain(SECRET);
      expect(core.secrets('prod-unleash', 'token')).toBe(SECRET); // the core can use it…
      core.store.db.pragma('wal_checkpoint(FULL)');
      expect(grepDir(dir, SECRET)).toEqual([]); // …but no file holds it in the clear
    } finally {
      core.close();
    }
  });

  it('basic_text without the opt-in: a clear "blocked" answer and nothing stored; with it, stored', async () => {
    const { core, registrar } = electronCore('basic_text');
    try {
      const refused = await registrar.dispatch(
        'connections:setSecret',
        { id: 'prod-unleash', which: 'token', secret: SECRET },
        { door: 'electron' },
      );
      if (process.platform !== 'linux') return expect(refused).toEqual({ result: { stored: true, backend: 'os' } });
      expect(refused).toMatchObject({ error: { code: 'blocked' } });
      expect(JSON.stringify(refused)).not.toContain(SECRET);
      expect(core.secrets('prod-unleash', 'token')).toBeUndefined();
      const optedIn = await registrar.dispatch(
        'connections:setSecret',
        { id: 'prod-unleash', which: 'token', secret: SECRET, allowPlaintext: true },
        { door: 'electron' },
      );
      expect(optedIn).toEqual({ result: { stored: true, backend: 'basic_text' } });
    } finally {
      core.close();
    }
  });
});
