import { envVarRefusal, type Connection } from '../../shared/domain/connections';
import type { SecretResolver } from '../flags/flag-store';

const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

/**
 * The variables the user opted in at launch, beyond the RAMPART_ prefix: `RAMPART_ALLOW_ENV=A,B` and any
 * `--allow-env A[,B]` flags. Entries that are not variable names are dropped (they could never be named anyway).
 */
export function allowedEnvNames(env: NodeJS.ProcessEnv = process.env, flags: readonly string[] = []): string[] {
  const raw = [env.RAMPART_ALLOW_ENV ?? '', ...flags].flatMap((s) => s.split(','));
  return [...new Set(raw.map((s) => s.trim()).filter((s) => NAME.test(s)))];
}

/**
 * Secrets for the browser host and CLI: a connection names the environment variable that holds its token, so no
 * secret is ever written to Rampart's database, config, logs or audit log. Only opted-in variables are read
 * (shared/domain/connections.ts, envVarRefusal): another one is never read — the resolver answers "no secret", and
 * the adapter that needed it says why (main/kinds/secrets.ts, requireSecret, with the same rule). It never throws:
 * every caller (the audit redactor listing the known secrets, the connections list) can rely on that.
 */
export function envSecretResolver(
  lookup: (id: string) => Connection | undefined,
  env: NodeJS.ProcessEnv = process.env,
  allowlist: readonly string[] = allowedEnvNames(env),
): SecretResolver {
  return (connectionId, which) => {
    const c = lookup(connectionId);
    const name = which === 'token' ? c?.tokenEnv : c?.appKeyEnv;
    if (!name) return undefined;
    if (envVarRefusal(name, allowlist)) return undefined;
    const value = env[name];
    return value && value.length > 0 ? value : undefined;
  };
}
