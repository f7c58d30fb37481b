import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../main/host/cli';
import { openRuntime } from '../../main/host/cli/runtime';
import { allowedEnvNames, envSecretResolver } from '../../main/host/env-secrets';
import { envVarRefusal, type Connection } from '../../shared/domain/connections';
import { startEchoProxy, type EchoProxy } from './support/echo-proxy';
import { startFakeUnleash, type FakeUnleash } from '../support/vendor-servers/fake-unleash-strict';

/**
 * docs/security.md: "only variables the user opted in may be named (a RAMPART_ prefix or an allowlist given at
 * launch) — otherwise 'Test' on a server that echoes credentials reads out any variable of the process". The rule
 * (shared/domain/connections.ts), the resolver that never reads another variable, connections:save refusing one up
 * front, and the attack itself: a connection naming a foreign variable, tested against an echoing server.
 */
const FOREIGN = 'AWS_SECRET_ACCESS_KEY';
const FOREIGN_VALUE = 'aws-secret-that-rampart-must-not-read-42';
const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'rampart-envopt-'));
  dirs.push(d);
  return d;
};
let unleash: FakeUnleash;
let echo: EchoProxy;

beforeAll(async () => {
  unleash = await startFakeUnleash({ tokens: [FOREIGN_VALUE] });
  echo = await startEchoProxy(unleash.url);
});
afterAll(async () => {
  await echo?.stop();
  await unleash?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const unleashConnection = (tokenEnv: string): Connection => ({
  id: 'u',
  name: 'Prod Unleash',
  kind: 'unleash',
  url: echo.url,
  project: 'default',
  rollbackMode: 'off',
  tokenEnv,
});

describe('the env-var rule', () => {
  it('allows RAMPART_… and names opted in at launch; refuses the rest, saying how to opt in', () => {
    expect(envVarRefusal('RAMPART_UNLEASH_TOKEN', [])).toBeNull();
    expect(envVarRefusal('UNLEASH_TOKEN', ['UNLEASH_TOKEN'])).toBeNull();
    for (const name of [
      'UNLEASH_TOKEN',
      'HOME',
      'AWS_SECRET_ACCESS_KEY',
      'RAMPART_',
      'rampart_token',
      'XRAMPART_TOKEN',
    ]) {
      expect(envVarRefusal(name, ['OTHER']), name).toMatch(
        new RegExp(`${name} is neither: rename it .* RAMPART_ALLOW_ENV=${name} \\(or --allow-env ${name}\\)`),
      );
    }
  });

  it('the launch allowlist: RAMPART_ALLOW_ENV and --allow-env, comma-separated, names only', () => {
    expect(allowedEnvNames({ RAMPART_ALLOW_ENV: ' A_TOKEN, B ,,bad-name' }, ['C,D', 'E'])).toEqual([
      'A_TOKEN',
      'B',
      'C',
      'D',
      'E',
    ]);
    expect(allowedEnvNames({})).toEqual([]);
  });

  it('the resolver never reads a variable that is not opted in (and never throws)', () => {
    const env = { [FOREIGN]: FOREIGN_VALUE, RAMPART_OK: 'ok-value', LISTED: 'listed-value' };
    const byName = (tokenEnv: string) => () => unleashConnection(tokenEnv);
    expect(envSecretResolver(byName(FOREIGN), env)('u', 'token')).toBeUndefined();
    expect(envSecretResolver(byName('RAMPART_OK'), env)('u', 'token')).toBe('ok-value');
    expect(envSecretResolver(byName('LISTED'), env, ['LISTED'])('u', 'token')).toBe('listed-value');
    expect(envSecretResolver(byName('LISTED'), { ...env, RAMPART_ALLOW_ENV: 'LISTED' })('u', 'token')).toBe(
      'listed-value',
    );
  });
});

describe('a connection naming a variable the user did not opt in', () => {
  it('connections:save refuses it up front (tokenEnv and appKeyEnv), naming the variable and the way to opt in', async () => {
    const { core, registrar } = openRuntime(tmp(), { env: { [FOREIGN]: FOREIGN_VALUE } });
    try {
      const refused = await registrar.dispatch(
        'connections:save',
        { connection: unleashConnection(FOREIGN) },
        { door: 'http' },
      );
      expect(refused).toEqual({
        error: {
          code: 'bad_request',
          message: expect.stringMatching(/Connection 'Prod Unleash': .*AWS_SECRET_ACCESS_KEY is neither/),
          details: { field: 'tokenEnv' },
        },
      });
      const dd = await registrar.dispatch(
        'connections:save',
        {
          connection: {
            id: 'dd',
            name: 'DD',
            kind: 'datadog',
            site: 'datadoghq.com',
            tokenEnv: 'RAMPART_DD',
            appKeyEnv: 'DD_APP_KEY',
          },
        },
        { door: 'http' },
      );
      expect(dd).toMatchObject({
        error: {
          code: 'bad_request',
          message: expect.stringMatching(/DD_APP_KEY is neither/),
          details: { field: 'appKeyEnv' },
        },
      });
      expect(core.connections.list().some((c) => c.id === 'u' || c.id === 'dd')).toBe(false);
    } finally {
      core.close();
    }
  });

  it('one saved before the rule (or written by hand) is never read: Test says why, and the echoing server never sees the value', async () => {
    const { core, registrar } = openRuntime(tmp(), { env: { [FOREIGN]: FOREIGN_VALUE } });
    try {
      core.connections.save(unleashConnection(FOREIGN)); // below the door: what an old database could hold
      const before = echo.seen.length;
      const tested = await registrar.dispatch('connections:test', { id: 'u' }, { door: 'http' });
      const text = JSON.stringify(tested);
      expect(text).toMatch(/AWS_SECRET_ACCESS_KEY is neither/);
      expect(text).not.toContain(FOREIGN_VALUE);
      expect(echo.seen.slice(before).join('\n')).not.toContain(FOREIGN_VALUE);
      const listed = await registrar.dispatch('connections:list', {}, { door: 'http' });
      expect(listed).toMatchObject({
        result: expect.arrayContaining([
          expect.objectContaining({ connection: expect.objectContaining({ id: 'u' }), secretAvailable: false }),
        ]),
      });
    } finally {
      core.close();
    }
  });

  it('opted in at launch (--allow-env or RAMPART_ALLOW_ENV), the same connection is saved and its token used', async () => {
    for (const opt of [
      { allowEnv: [FOREIGN], env: { [FOREIGN]: FOREIGN_VALUE } },
      { env: { [FOREIGN]: FOREIGN_VALUE, RAMPART_ALLOW_ENV: FOREIGN } },
    ]) {
      const { core, registrar } = openRuntime(tmp(), opt);
      try {
        echo.mode = 'echo';
        const saved = await registrar.dispatch(
          'connections:save',
          { connection: { ...unleashConnection(FOREIGN), url: unleash.url } },
          { door: 'http' },
        );
        expect(saved).toMatchObject({ result: { secretAvailable: true } });
        const tested = await registrar.dispatch('connections:test', { id: 'u' }, { door: 'http' });
        expect(tested).toMatchObject({ result: { ok: true } });
      } finally {
        core.close();
      }
    }
  });

  it('through the CLI: refused in one line with exit 2; accepted with --allow-env', async () => {
    const dataDir = tmp();
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (s: string) => out.push(s), err: (s: string) => err.push(s) };
    const add = [
      'connections',
      'add',
      '--kind',
      'unleash',
      '--name',
      'Prod Unleash',
      '--url',
      unleash.url,
      '--token-env',
      'UNLEASH_TOKEN',
      '--data-dir',
      dataDir,
    ];
    expect(await main(add, io)).toBe(2);
    expect(err.join('\n').split('\n')).toHaveLength(1);
    expect(err[0]).toMatch(/UNLEASH_TOKEN is neither: rename it \(e\.g\. RAMPART_UNLEASH_TOKEN\)/);
    err.length = 0;
    expect(await main([...add, '--allow-env', 'UNLEASH_TOKEN'], io), err.join('\n')).toBe(0);
  });
});

describe('the repository follows the rule', () => {
  it('the CLI examples name RAMPART_ variables', async () => {
    const { connectionCommands } = await import('../../main/host/cli/commands-connections');
    const examples = JSON.stringify((connectionCommands['connections add'] as { examples?: string[] }).examples ?? []);
    const named = [...examples.matchAll(/--(?:token|app-key)-env ([A-Z_]+)/g)].map((m) => m[1]);
    expect(named.length).toBeGreaterThan(0);
    for (const name of named) expect(name).toMatch(/^RAMPART_/);
  });
});
