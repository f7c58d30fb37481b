import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { createCore, type Core } from '../../core/core';
import { createHandlers } from '../../core/handlers';
import { createRegistrar } from '../registrar';
import { allowedEnvNames, envSecretResolver } from '../env-secrets';
import pkg from '../../../package.json';

/** Where the CLI and browser host keep their data: --data-dir, else RAMPART_HOME, else the XDG config dir. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.RAMPART_HOME) return resolve(env.RAMPART_HOME);
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'rampart');
}

/** The resources folder next to the built output (out/main → ../../resources), or beside the sources in tests. */
export function resourcesDir(): string {
  const candidates = [
    join(__dirname, '..', '..', 'resources'),
    join(__dirname, '..', '..', '..', 'resources'),
    join(process.cwd(), 'resources'),
  ];
  return candidates.find((c) => existsSync(join(c, 'demo'))) ?? candidates[0];
}

export function staticDir(): string {
  const candidates = [
    join(__dirname, '..', 'renderer'),
    join(__dirname, '..', '..', 'out', 'renderer'),
    join(process.cwd(), 'out', 'renderer'),
  ];
  return candidates.find((c) => existsSync(join(c, 'index.html'))) ?? candidates[0];
}

export const VERSION: string = pkg.version;

export interface RuntimeOptions {
  /** `--allow-env` values: variables a connection may name beyond the RAMPART_ prefix (with RAMPART_ALLOW_ENV). */
  allowEnv?: readonly string[];
  env?: NodeJS.ProcessEnv;
}

/** One core + registrar for a CLI invocation or a served host. */
export function openRuntime(
  dataDir: string,
  o: RuntimeOptions = {},
): { core: Core; registrar: ReturnType<typeof createRegistrar> } {
  let core: Core | undefined;
  const env = o.env ?? process.env;
  const allowEnv = allowedEnvNames(env, o.allowEnv);
  const secrets = envSecretResolver((id) => core?.store.records.connections.get(id), env, allowEnv);
  core = createCore({ dataDir, resourcesDir: resourcesDir(), secrets, version: VERSION, allowEnv });
  const registrar = createRegistrar(createHandlers(core));
  return { core, registrar };
}
