/**
 * Secrets typed into the desktop app: which secret slots a connection kind has (one per env-var field: the
 * token, and Datadog's application key), and how to read the core's refusal to store one as plain text (Linux
 * without a keyring), which the user may then explicitly accept. The secret itself never enters the connection
 * payload, the query cache or the page after it is sent.
 */
import type { ConnectionKind } from '../../../../shared/domain/connections';
import { errorFacts, type RampartError } from '../../../../shared/errors';
import { FIELDS, isVisible, type FormValues } from './connection-fields';

export type SecretWhich = 'token' | 'appKey';

export interface SecretSlot {
  which: SecretWhich;
  /** e.g. "Admin token", "Application key". */
  label: string;
  /** The env-var field it stands beside (tokenEnv / appKeyEnv). */
  envField: string;
}

const WHICH_BY_FIELD: Record<string, SecretWhich> = { tokenEnv: 'token', appKeyEnv: 'appKey' };

/** The secrets a kind takes, given the form's values (Prometheus needs none without bearer/basic auth). */
export function secretSlots(kind: ConnectionKind, values: FormValues): SecretSlot[] {
  return FIELDS[kind]
    .filter((f) => f.type === 'envvar' && WHICH_BY_FIELD[f.name] !== undefined && isVisible(f, values))
    .map((f) => ({ which: WHICH_BY_FIELD[f.name], label: f.label.replace(/\s+env var$/i, ''), envField: f.name }));
}

/**
 * The keychain refused because only a plain-text backend exists (`basic_text`): the one refusal the user may
 * override, by an explicit opt-in. Any other `blocked` (no keychain at all) is shown as it is.
 */
export function isPlaintextRefusal(error: RampartError): boolean {
  return error.code === 'blocked' && errorFacts(error).refusal === 'plaintext_keychain';
}

/** Where secrets go for a door: typed into the OS keychain (Electron), or named as env vars (browser host, CLI). */
export function secretMode(door: 'electron' | 'http' | 'cli' | undefined): 'keychain' | 'env-only' {
  return door === 'electron' ? 'keychain' : 'env-only';
}

export const ENV_ONLY_REASON =
  'The browser host never accepts a token through this page: it would travel over HTTP and sit in the browser, out of any keychain. Name an environment variable of the `rampart serve` process instead; the desktop app can keep tokens in the OS keychain.';
