import type { Connection } from '../../shared/domain/connections';
import type { SecretResolver } from '../flags/flag-store';

/**
 * Secrets for the browser host and CLI: a connection names the environment variable that holds its token, so no
 * secret is ever written to Rampart's database, config, logs or audit log.
 */
export function envSecretResolver(lookup: (id: string) => Connection | undefined, env: NodeJS.ProcessEnv = process.env): SecretResolver {
  return (connectionId, which) => {
    const c = lookup(connectionId);
    const name = which === 'token' ? c?.tokenEnv : c?.appKeyEnv;
    const value = name ? env[name] : undefined;
    return value && value.length > 0 ? value : undefined;
  };
}
