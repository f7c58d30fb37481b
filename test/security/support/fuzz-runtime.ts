import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Connection } from '../../../shared/domain/connections';
import { REQUEST_CHANNELS, type Channel } from '../../../shared/contract';
import { createCore, type Core } from '../../../main/core/core';
import { createHandlers } from '../../../main/core/handlers';
import { layeredResolver, type SecretStore } from '../../../main/core/secret-store';
import { envSecretResolver } from '../../../main/host/env-secrets';
import { createRegistrar, type Handlers, type Registrar } from '../../../main/host/registrar';
import { registerIpc } from '../../../main/electron/ipc';
import { startFakeUnleash, type FakeUnleash } from '../../support/vendor-servers/fake-unleash-strict';
import { ENV_TOKEN, STORED_TOKEN } from './planted-secrets';

/**
 * The real core behind the real registrar, with secrets planted where a careless handler could reach them:
 * an Unleash token in an environment variable a connection names, and a second token in the (fake) keychain.
 * Every handler is wrapped by a spy that counts its runs. Reads run the real handler; writes are counted and
 * answered with a stub — a fuzzer's randomly valid write would otherwise rewrite the workspace it is fuzzing.
 */
export const TOKEN_ENV_NAME = 'RAMPART_FUZZ_UNLEASH_TOKEN';

const REPO = resolve(__dirname, '..', '..', '..');
const WRITES = new Set<Channel>([
  'connections:save',
  'connections:remove',
  'connections:setSecret',
  'flags:ramp',
  'flags:rollback',
  'watches:save',
  'watches:remove',
]);

/** An in-memory stand-in for the Electron safeStorage store (the real one is tested in safe-storage-secrets). */
export function memorySecretStore(initial: Record<string, string> = {}): SecretStore {
  const all = new Map(Object.entries(initial));
  return {
    backend: () => 'memory',
    get: (id, which) => all.get(`${id}:${which}`),
    has: (id, which) => all.has(`${id}:${which}`),
    set: (id, which, secret) => void all.set(`${id}:${which}`, secret),
    remove: (id) => {
      for (const k of [...all.keys()]) if (k.startsWith(`${id}:`)) all.delete(k);
    },
  };
}

export interface FuzzRuntime {
  core: Core;
  registrar: Registrar;
  /**
   * A call exactly as Electron delivers it: the `ipcMain.handle` function registerIpc installed for the channel,
   * invoked with an event from the app's own frame (main/electron/ipc.ts: sender check, then the registrar).
   */
  ipc(channel: Channel, payload: unknown): Promise<unknown>;
  unleash: FakeUnleash;
  dataDir: string;
  /** Handler runs per channel, as the spies counted them. */
  calls: Record<Channel, number>;
  close(): Promise<void>;
}

export async function startFuzzRuntime(): Promise<FuzzRuntime> {
  const unleash = await startFakeUnleash({ tokens: [ENV_TOKEN, STORED_TOKEN] });
  const dataDir = mkdtempSync(join(tmpdir(), 'rampart-fuzz-'));
  const secretStore = memorySecretStore({ 'fuzz-unleash-keychain:token': STORED_TOKEN });
  let core: Core | undefined;
  const env = { [TOKEN_ENV_NAME]: ENV_TOKEN } as NodeJS.ProcessEnv;
  const secrets = layeredResolver(
    secretStore,
    envSecretResolver((id) => core?.store.records.connections.get(id), env),
  );
  core = createCore({
    dataDir,
    resourcesDir: join(REPO, 'resources'),
    secrets,
    secretStore,
    version: '0.0.0-fuzz',
    user: () => 'fuzzer',
  });
  const connections: Connection[] = [
    {
      id: 'fuzz-unleash',
      name: 'Fuzz Unleash (env token)',
      kind: 'unleash',
      url: unleash.url,
      project: 'default',
      rollbackMode: 'off',
      tokenEnv: TOKEN_ENV_NAME,
    },
    {
      id: 'fuzz-unleash-keychain',
      name: 'Fuzz Unleash (keychain token)',
      kind: 'unleash',
      url: unleash.url,
      project: 'default',
      rollbackMode: 'zero',
      hasStoredSecret: true,
    },
  ];
  for (const c of connections) core.connections.save(c);

  const real = createHandlers(core);
  const calls = Object.fromEntries(REQUEST_CHANNELS.map((c) => [c, 0])) as Record<Channel, number>;
  const spied = Object.fromEntries(
    REQUEST_CHANNELS.map((channel) => [
      channel,
      (input: unknown, ctx: Parameters<Handlers[Channel]>[1]) => {
        calls[channel]++;
        if (WRITES.has(channel)) return { stubbed: channel };
        return (real[channel] as (i: unknown, c: typeof ctx) => unknown)(input, ctx);
      },
    ]),
  ) as unknown as Handlers;
  const registrar = createRegistrar(spied);
  type IpcHandler = (event: { senderFrame: { url: string } }, payload: unknown) => Promise<unknown>;
  const ipcHandlers = new Map<string, IpcHandler>();
  registerIpc(
    {
      handle: (channel: string, fn: IpcHandler) => ipcHandlers.set(channel, fn),
      removeHandler: () => undefined,
    } as never,
    registrar,
  );
  const appFrame = { senderFrame: { url: 'app://rampart/index.html' } };

  return {
    core,
    registrar,
    ipc: (channel, payload) => {
      const handler = ipcHandlers.get(channel);
      if (!handler) throw new Error(`registerIpc installed no handler for '${channel}'`);
      return handler(appFrame, payload);
    },
    unleash,
    dataDir,
    calls,
    async close() {
      core?.close();
      await unleash.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
