import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { envSecretResolver } from '../../main/host/env-secrets';
import { closeAll, DAY, demoCore } from './support';

/**
 * The stale-flag reminder (issue 14): weekly by default, off in the demo. When due it announces the stale flags not
 * announced before — a desktop notice (the `lifecycle:stale` push event) and a POST to each webhook target — once.
 */
let server: Server;
let url: string;
const posts: { auth: string | undefined; body: Record<string, unknown> }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let text = '';
    req.on('data', (d: Buffer) => (text += d.toString()));
    req.on('end', () => {
      // A hostile target that echoes the credential it was sent.
      if (req.url === '/echo')
        return void res
          .writeHead(401, { 'content-type': 'text/plain' })
          .end(`rejected token ${req.headers.authorization}`);
      posts.push({ auth: req.headers.authorization, body: JSON.parse(text) });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/rampart`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
afterEach(closeAll);

describe('the stale-flag reminder', () => {
  it('is off in the demo, and when on, announces newly stale flags once, on schedule', async () => {
    let clock = Date.now();
    const { core, call } = demoCore({ now: () => clock });
    expect(await core.lifecycle.reminder.runIfDue()).toBeNull(); // the demo turns it off
    await call('connections:save', { connection: { id: 'hook', kind: 'webhook', name: 'Cleanup hook', url } });
    await call('lifecycle:saveSettings', { reminder: { enabled: true } });
    const notices: unknown[] = [];
    const off = core.bus.subscribe((name, payload) => name === 'lifecycle:stale' && notices.push(payload));

    const first = await core.lifecycle.reminder.runIfDue();
    expect(first).toMatchObject({
      stale: 1,
      announced: [{ connectionId: 'demo-flags', flagKey: 'onboarding-v2', env: 'production' }],
      failures: [],
    });
    expect(first!.delivered.sort()).toEqual(['Cleanup hook', 'desktop']);
    expect(posts).toHaveLength(1);
    expect(posts[0].body).toMatchObject({
      source: 'rampart',
      version: 1,
      reminder: {
        kind: 'stale-flags',
        flags: [
          { flagKey: 'onboarding-v2', env: 'production', reason: expect.stringContaining('unchanged for 45 days') },
        ],
      },
    });
    expect(JSON.stringify(posts[0].body)).not.toContain('onboarding.ts'); // code references never leave the machine
    expect(notices).toHaveLength(1);

    clock += 3 * DAY;
    expect(await core.lifecycle.reminder.runIfDue()).toBeNull(); // weekly: not due yet
    clock += 5 * DAY;
    const again = await core.lifecycle.reminder.runIfDue();
    expect(again).toMatchObject({ announced: [] }); // already told; but dark-mode is now 8 days older, still fresh
    expect(posts).toHaveLength(1);

    clock += 30 * DAY; // dark-mode, released on install day, has now been unchanged for 38 days
    const later = await core.lifecycle.reminder.runIfDue();
    expect(later!.announced.map((a) => a.flagKey)).toEqual(['dark-mode']);
    expect(posts).toHaveLength(2);
    off();
  });

  it('reports a failing target without its secret, and still tells the desktop', async () => {
    const env = { RAMPART_TEST_HOOK_TOKEN: 'hook-secret-123456' };
    const { core, call } = demoCore({
      secrets: (c) => envSecretResolver((id) => c().store.records.connections.get(id), env),
    });
    await call('connections:save', {
      connection: {
        id: 'dead',
        kind: 'webhook',
        name: 'Dead hook',
        url: new URL('/echo', url).href,
        tokenEnv: 'RAMPART_TEST_HOOK_TOKEN',
      },
    });
    await call('lifecycle:saveSettings', { reminder: { enabled: true, everyDays: 1 } });
    const out = await core.lifecycle.reminder.run();
    expect(out.delivered).toEqual(['desktop']);
    expect(out.failures).toHaveLength(1);
    expect(out.failures[0]).toMatch(/^Dead hook \(webhook\): /);
    expect(out.failures[0]).toMatch(/401/);
    expect(out.failures[0]).not.toContain('hook-secret-123456');
  });
});
