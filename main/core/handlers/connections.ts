import { envVarRefusal, type Connection } from '../../../shared/domain/connections';
import { kindSpec, secretsNeeded } from '../../../shared/kinds';
import { RampartError, type ErrorFacts } from '../../../shared/errors';
import { checkConnection } from '../../kinds';
import type { Core } from '../core';
import type { DomainHandlers } from './types';

export function connectionInfo(core: Core, c: Connection) {
  return {
    connection: c,
    role: kindSpec(c).role,
    // Every secret the connection needs as configured (none for a flagd file; Datadog's two keys).
    secretAvailable: secretsNeeded(c).every((which) => Boolean(core.secrets(c.id, which))),
  };
}

/** Refused up front, at save, rather than on the first Test: the variable must be one the user opted in. */
function checkEnvNames(core: Core, c: Connection): void {
  for (const [field, name] of [
    ['tokenEnv', c.tokenEnv],
    ['appKeyEnv', c.appKeyEnv],
  ] as const) {
    const refusal = name ? envVarRefusal(name, core.allowEnv) : null;
    if (refusal)
      throw new RampartError('bad_request', `Connection '${c.name}': ${refusal}`, { field } satisfies ErrorFacts);
  }
}

export function connectionHandlers(core: Core): Omit<DomainHandlers<'connections'>, 'connections:test'> {
  const { store, connections } = core;
  return {
    'connections:list': () => connections.list().map((c) => connectionInfo(core, c)),
    'connections:save': async ({ connection, replace }) => {
      if (!replace && connections.list().some((c) => c.id === connection.id)) {
        throw new RampartError(
          'conflict',
          `A connection '${connection.id}' exists already: replace it explicitly (CLI: --replace), or choose another id`,
          { field: 'id' } satisfies ErrorFacts,
        );
      }
      checkEnvNames(core, connection);
      await checkConnection(connection); // the kind's own rule (a flagd file: absolute, a regular file)
      return connectionInfo(core, connections.save(connection));
    },
    'connections:remove': ({ id }) => {
      if (core.watches.uses(id)) {
        throw new RampartError('conflict', `Connection '${id}' is used by a watch; remove the watch first`);
      }
      core.secretStore?.remove(id);
      return { removed: connections.remove(id) };
    },
    'connections:setSecret': ({ id, which, secret, allowPlaintext }) => {
      connections.get(id);
      if (!core.secretStore) {
        throw new RampartError(
          'bad_request',
          'This door keeps no secrets: name an environment variable in the connection (tokenEnv / appKeyEnv) instead',
        );
      }
      core.secretStore.set(id, which, secret, allowPlaintext);
      connections.save({ ...connections.get(id), hasStoredSecret: true }); // and rebuild adapters with the new secret
      return { stored: true, backend: core.secretStore.backend() };
    },
  };
}
