import { envVarRefusal, type Connection } from '../../shared/domain/connections';
import { RampartError } from '../../shared/errors';
import { kindSpec, type SecretWhich } from '../../shared/kinds';
import type { AdapterDeps } from './types';

/**
 * A secret an adapter cannot work without, or `unauthorized` saying why it is missing — a variable not opted in
 * (docs/security.md, the env-var rule), one not set, or none named — in the vendor's name, never the value.
 */
export function requireSecret(c: Connection, deps: AdapterDeps, which: SecretWhich): string {
  const s = deps.secrets(c.id, which);
  if (s) return s;
  const vendor = kindSpec(c).label;
  const where = which === 'token' ? c.tokenEnv : c.appKeyEnv;
  throw new RampartError(
    'unauthorized',
    where
      ? `${vendor}: ${envVarRefusal(where, deps.allowEnv ?? []) ?? `the environment variable ${where} named by connection '${c.name}' is not set`}`
      : `${vendor}: connection '${c.name}' has no ${which === 'token' ? 'token' : 'application key'} configured`,
  );
}
