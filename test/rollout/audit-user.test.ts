import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../main/core/core';
import { createHandlers } from '../../main/core/handlers';
import { createRegistrar, type Registrar } from '../../main/host/registrar';

/** Who is audited: the `user.name` setting, else the OS user — the same name app:info shows; and the door used. */
let dir: string;
let core: Core;
let r: Registrar;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rampart-user-'));
  core = createCore({
    dataDir: dir,
    resourcesDir: join(__dirname, '..', '..', 'resources'),
    secrets: () => undefined,
    version: 'test',
  });
  r = createRegistrar(createHandlers(core));
});
afterAll(() => {
  core.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the audited user', () => {
  it('is the OS user until user.name is set, then that name, in app:info and in every audit row', async () => {
    expect((await r.call('app:info', {}, { door: 'http' })).user).toBe(userInfo().username);
    expect(await r.call('app:setUser', { name: '  Alice Example ' }, { door: 'http' })).toEqual({
      user: 'Alice Example',
    });
    expect((await r.call('app:info', {}, { door: 'cli' })).user).toBe('Alice Example');
    const flag = await r.call('flags:get', { connectionId: 'demo-flags', flagKey: 'checkout-v2' }, { door: 'cli' });
    const expected = flag.flag.envs.production.exposure;
    await r.call(
      'flags:ramp',
      {
        connectionId: 'demo-flags',
        flagKey: 'checkout-v2',
        env: 'production',
        to: 30,
        expected,
        comment: 'audited as Alice',
        override: true,
      },
      { door: 'cli' },
    );
    const [entry] = await r.call('audit:list', { limit: 1 }, { door: 'http' });
    expect(entry).toMatchObject({ user: 'Alice Example', door: 'cli', result: 'done', owner: { pid: process.pid } });
    expect(await r.call('app:setUser', { name: null }, { door: 'http' })).toEqual({ user: userInfo().username });
    await expect(r.call('app:setUser', { name: '   ' }, { door: 'http' })).rejects.toMatchObject({
      code: 'bad_request',
    });
  });
});
