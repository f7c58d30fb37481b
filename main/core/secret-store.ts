import type { SecretResolver } from '../flags/flag-store';

/** Where a door keeps secrets it was handed (Electron: safeStorage). The browser host and CLI have none. */
export interface SecretStore {
  backend(): string;
  get(connectionId: string, which: 'token' | 'appKey'): string | undefined;
  has(connectionId: string, which: 'token' | 'appKey'): boolean;
  set(connectionId: string, which: 'token' | 'appKey', secret: string, allowPlaintext: boolean): void;
  remove(connectionId: string): void;
}

/** Stored secrets first, then the environment variable the connection names. */
export function layeredResolver(stored: SecretStore | undefined, fallback: SecretResolver): SecretResolver {
  return (id, which) => stored?.get(id, which) ?? fallback(id, which);
}
