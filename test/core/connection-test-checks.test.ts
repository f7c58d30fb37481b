import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../main/core/core';
import { createHandlers } from '../../main/core/handlers';
import { createRegistrar, type Registrar } from '../../main/host/registrar';
import { envSecretResolver } from '../../main/host/env-secrets';
import type { Channel, RequestOf, ResponseOf } from '../../shared/contract';

/**
 * A connection's Test tests what Rampart needs (the independent tester's findings): a server that answers an empty
 * list to everything (`{"items": []}`) — not the vendor's API, or a token that sees nothing — used to pass as "✓ 0 environment(s)
 * readable"; a flagd file with a flag flagd-core rejects passed, while `flags show` promised a rollback that then
 * refused. Now: no environment is a failed check; the flags check counts the flags Rampart cannot interpret; and
 * the flag's own text says neither a ramp nor a rollback can change it.
 */
let core: Core;
let r: Registrar;
let dir: string;
let empty: Server;
const env: NodeJS.ProcessEnv = { RAMPART_ANY_TOKEN: 'any-token-0123456789' };
const call = <C extends Channel>(c: C, p: RequestOf<C>): Promise<ResponseOf<C>> =>
  r.call(c, p as never, { door: 'http' });

beforeAll(async () => {
  empty = createServer((_req, res) =>
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"items":[],"totalCount":0}'),
  );
  await new Promise<void>((ok) => empty.listen(0, '127.0.0.1', () => ok()));
  dir = mkdtempSync(join(tmpdir(), 'rampart-conn-test-'));
  core = createCore({
    dataDir: join(dir, 'data'),
    resourcesDir: join(__dirname, '..', '..', 'resources'),
    secrets: envSecretResolver((id) => core.store.records.connections.get(id), env),
    version: 'test',
  });
  r = createRegistrar(createHandlers(core));
});
afterAll(async () => {
  core.close();
  await new Promise((ok) => empty.close(ok));
  rmSync(dir, { recursive: true, force: true });
});

describe('the connection Test', () => {
  it('fails a flag store that lists no environment', async () => {
    const url = `http://127.0.0.1:${(empty.address() as AddressInfo).port}`;
    await call('connections:save', {
      connection: {
        id: 'ldx',
        name: 'Not LaunchDarkly',
        kind: 'launchdarkly',
        url,
        project: 'x',
        tokenEnv: 'RAMPART_ANY_TOKEN',
      },
    });
    const t = await call('connections:test', { id: 'ldx' });
    expect(t.ok).toBe(false);
    expect(t.checks?.find((k) => k.name === 'environments')).toMatchObject({ ok: false });
    expect(t.message).toMatch(/no environment readable with this token/);
  });

  it('counts the flags Rampart cannot interpret, and does not promise a rollback it would refuse', async () => {
    const file = join(dir, 'odd.json');
    const good = { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: 'off' };
    writeFileSync(file, JSON.stringify({ flags: { good, f1: 'hello' } }));
    await call('connections:save', {
      connection: { id: 'odd', name: 'Odd file', kind: 'flagd', file, environment: 'production' },
    });
    const t = await call('connections:test', { id: 'odd' });
    expect(t.checks?.find((k) => k.name === 'flags')?.detail).toBe(
      '2 flag(s) listed; 1 Rampart cannot interpret (f1): see `rampart flags show`',
    );
    const f1 = await call('flags:get', { connectionId: 'odd', flagKey: 'f1' });
    expect(f1.flag.envs.production.targeting).toMatch(/neither a ramp nor a rollback can change it/);
    expect(f1.flag.envs.production.targeting).not.toMatch(/a rollback turns it off/);
  });
});
