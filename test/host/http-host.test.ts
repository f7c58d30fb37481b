import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpHost, type HttpHost } from '../../main/host/http';
import { createEventBus, createRegistrar, type Handlers } from '../../main/host/registrar';
import { REQUEST_CHANNELS } from '../../shared/contract';

let host: HttpHost;
let dir: string;
const bus = createEventBus();
let ran = 0;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rampart-host-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Rampart</title>');
  writeFileSync(join(tmpdir(), 'rampart-secret.txt'), 'outside');
  const handlers = Object.fromEntries(
    REQUEST_CHANNELS.map((c) => [c, async () => (ran++, { ok: c })]),
  ) as unknown as Handlers;
  host = await startHttpHost({ registrar: createRegistrar(handlers), bus, staticDir: dir, port: 0 });
});
afterAll(async () => {
  await host.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Raw HTTP so the test controls Host and Origin exactly (fetch would not let it forge Host). */
function raw(
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: host.port, method, path, headers: { host: `127.0.0.1:${host.port}`, ...headers } },
      (res) => {
        let data = '';
        res.on('data', (c) => (data += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: data }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
const auth = () => ({ authorization: `Bearer ${host.token}` });
const json = { 'content-type': 'application/json' };

describe('the browser host', () => {
  it('binds loopback and refuses a non-loopback address unless asked', async () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const handlers = Object.fromEntries(REQUEST_CHANNELS.map((c) => [c, async () => null])) as unknown as Handlers;
    await expect(
      startHttpHost({ registrar: createRegistrar(handlers), bus, staticDir: dir, host: '0.0.0.0' }),
    ).rejects.toThrow(/loopback only/);
  });

  it('refuses a call without a credential, or with a wrong one, before any handler runs; the page itself needs none', async () => {
    const before = ran;
    expect((await raw('POST', '/rpc/watches:list', json, '{}')).status).toBe(401);
    expect((await raw('POST', '/rpc/watches:list', { ...json, authorization: 'Bearer nope' }, '{}')).status).toBe(401);
    expect((await raw('GET', '/events')).status).toBe(401);
    expect((await raw('POST', '/auth/ticket', json, '{}')).status).toBe(401);
    expect((await raw('POST', '/auth/launch', json, '{}')).status).toBe(401);
    // The renderer holds no secret: it loads without one, with the CSP, and never sets a cookie.
    const page = await raw('GET', '/');
    expect(page.status).toBe(200);
    expect(page.headers['set-cookie']).toBeUndefined();
    expect(page.headers['content-security-policy']).toMatch(/default-src 'none'/);
    expect(page.headers['content-security-policy']).not.toMatch(/unsafe-(eval|inline)/);
    expect(ran).toBe(before);
  });

  it('never takes a credential from a URL: ?token= is refused outright, even the right one', async () => {
    for (const path of [
      `/?token=${encodeURIComponent(host.token)}`,
      `/rpc/watches:list?token=${encodeURIComponent(host.token)}`,
      '/events?token=x',
    ]) {
      const res = path.startsWith('/rpc') ? await raw('POST', path, json, '{}') : await raw('GET', path);
      expect(res.status, path).toBe(400);
      expect(res.body).not.toContain(host.token);
    }
  });

  it('trades a launch code for a session exactly once; the session authenticates as a Bearer header, never a cookie', async () => {
    const code = new URL(host.launchUrl).hash.replace('#launch=', '');
    expect(host.launchUrl).not.toContain(host.token);
    expect(code.length).toBeGreaterThanOrEqual(40);
    const first = await raw('POST', '/auth/session', json, JSON.stringify({ code }));
    expect(first.status).toBe(200);
    expect(first.headers['set-cookie']).toBeUndefined();
    const { session } = JSON.parse(first.body) as { session: string };
    expect(session).not.toBe(host.token);
    const replay = await raw('POST', '/auth/session', json, JSON.stringify({ code }));
    expect(replay.status).toBe(401);
    expect(replay.body).toMatch(/already used or has expired/);
    for (const bad of ['{}', '{"code": 5}', '{"code": "nope"}', '[]', 'null'])
      expect((await raw('POST', '/auth/session', json, bad)).status, bad).toBe(401);
    const ok = await raw('POST', '/rpc/watches:list', { ...json, authorization: `Bearer ${session}` }, '{}');
    expect(JSON.parse(ok.body)).toEqual({ result: { ok: 'watches:list' } });
    // A fresh link (for another tab) is minted only for a holder of a credential, and works once too.
    const minted = JSON.parse(
      (await raw('POST', '/auth/launch', { ...json, authorization: `Bearer ${session}` }, '{}')).body,
    ) as { launchUrl: string };
    const code2 = new URL(minted.launchUrl).hash.replace('#launch=', '');
    expect((await raw('POST', '/auth/session', json, JSON.stringify({ code: code2 }))).status).toBe(200);
    expect((await raw('POST', '/auth/session', json, JSON.stringify({ code: code2 }))).status).toBe(401);
  });

  it('opens the event stream with a single-use ticket', async () => {
    const { ticket } = JSON.parse((await raw('POST', '/auth/ticket', { ...json, ...auth() }, '{}')).body) as {
      ticket: string;
    };
    const stream = await new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: host.port,
          path: `/events?ticket=${ticket}`,
          headers: { host: `127.0.0.1:${host.port}` },
        },
        (res) => {
          resolve(res.statusCode ?? 0);
          req.destroy();
        },
      );
      req.on('error', (e) => ((e as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(e)));
      req.end();
    });
    expect(stream).toBe(200);
    expect((await raw('GET', `/events?ticket=${ticket}`)).status).toBe(401);
  });

  it('answers rpc with the envelope, same origin accepted', async () => {
    const ok = await raw(
      'POST',
      '/rpc/watches:list',
      { ...json, ...auth(), origin: `http://127.0.0.1:${host.port}` },
      '{}',
    );
    expect(JSON.parse(ok.body)).toEqual({ result: { ok: 'watches:list' } });
    const bad = await raw('POST', '/rpc/flags:ramp', { ...json, ...auth() }, '{"to": "lots"}');
    expect(JSON.parse(bad.body).error.code).toBe('bad_request');
    const malformed = await raw('POST', '/rpc/watches:list', { ...json, ...auth() }, '{not json');
    expect(malformed.status).toBe(400);
    expect(JSON.parse(malformed.body).error).toMatchObject({
      code: 'bad_request',
      message: expect.stringMatching(/Malformed JSON/),
    });
  });

  it('answers an oversized body with 413 and the envelope, before any handler runs', async () => {
    const before = ran;
    const big = await raw(
      'POST',
      '/rpc/watches:list',
      { ...json, ...auth() },
      JSON.stringify({ pad: 'x'.repeat((1 << 20) + 10) }),
    );
    expect(big.status).toBe(413);
    expect(JSON.parse(big.body).error.code).toBe('bad_request');
    expect(ran).toBe(before);
  });

  it('accepts only JSON bodies on rpc (an HTML form cannot post one)', async () => {
    const form = await raw(
      'POST',
      '/rpc/watches:list',
      { ...auth(), 'content-type': 'application/x-www-form-urlencoded' },
      'a=1',
    );
    expect(form.status).toBe(415);
  });

  it('never serves files outside the renderer folder', async () => {
    for (const p of ['/../rampart-secret.txt', '/%2e%2e/rampart-secret.txt', '/..%2frampart-secret.txt']) {
      const res = await raw('GET', p, auth());
      expect(res.body).not.toContain('outside');
    }
  });

  it('streams push events over SSE', async () => {
    const got = await new Promise<string>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: host.port, path: '/events', headers: { host: `127.0.0.1:${host.port}`, ...auth() } },
        (res) => {
          let data = '';
          res.on('data', (c) => {
            data += c;
            if (data.includes('series:tick')) {
              req.destroy();
              resolve(data);
            }
          });
          setTimeout(() => bus.emit('series:tick', { at: 42 }), 50);
        },
      );
      req.on('error', (e) =>
        e.message.includes('aborted') || (e as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(e),
      );
      req.end();
    });
    expect(got).toContain('event: series:tick\ndata: {"at":42}');
  });
});
