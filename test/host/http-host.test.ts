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
  const handlers = Object.fromEntries(REQUEST_CHANNELS.map((c) => [c, async () => (ran++, { ok: c })])) as unknown as Handlers;
  host = await startHttpHost({ registrar: createRegistrar(handlers), bus, staticDir: dir, port: 0 });
});
afterAll(async () => {
  await host.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Raw HTTP so the test controls Host and Origin exactly (fetch would not let it forge Host). */
function raw(method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: host.port, method, path, headers: { host: `127.0.0.1:${host.port}`, ...headers } }, (res) => {
      let data = '';
      res.on('data', (c) => (data += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: data }));
    });
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
    await expect(startHttpHost({ registrar: createRegistrar(handlers), bus, staticDir: dir, host: '0.0.0.0' })).rejects.toThrow(/loopback only/);
  });

  it('refuses a request without the token, and one with a wrong token, before any handler runs', async () => {
    const before = ran;
    expect((await raw('POST', '/rpc/watches:list', json, '{}')).status).toBe(401);
    expect((await raw('POST', '/rpc/watches:list', { ...json, authorization: 'Bearer nope' }, '{}')).status).toBe(401);
    expect((await raw('GET', '/')).status).toBe(401);
    expect((await raw('GET', '/?token=wrong')).status).toBe(401);
    expect(ran).toBe(before);
  });

  it('refuses a foreign Origin and a foreign Host (DNS rebinding), even with the token', async () => {
    const before = ran;
    const foreign = await raw('POST', '/rpc/watches:list', { ...json, ...auth(), origin: 'http://evil.example' }, '{}');
    expect(foreign.status).toBe(403);
    expect(foreign.body).toMatch(/cross-origin/);
    const rebinding = await raw('POST', '/rpc/watches:list', { ...json, ...auth(), host: `evil.example:${host.port}` }, '{}');
    expect(rebinding.status).toBe(403);
    expect((await raw('GET', '/events', { ...auth(), 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect(ran).toBe(before);
  });

  it('trades the launch token for an HttpOnly SameSite=Strict cookie that then authenticates', async () => {
    const launch = await raw('GET', `/?token=${encodeURIComponent(host.token)}`);
    expect(launch.status).toBe(303);
    const cookie = String(launch.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const page = await raw('GET', '/', { cookie: cookie.split(';')[0] });
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toMatch(/default-src 'none'/);
    expect(page.headers['content-security-policy']).not.toMatch(/unsafe-(eval|inline)/);
  });

  it('answers rpc with the envelope, same origin accepted', async () => {
    const ok = await raw('POST', '/rpc/watches:list', { ...json, ...auth(), origin: `http://127.0.0.1:${host.port}` }, '{}');
    expect(JSON.parse(ok.body)).toEqual({ result: { ok: 'watches:list' } });
    const bad = await raw('POST', '/rpc/flags:ramp', { ...json, ...auth() }, '{"to": "lots"}');
    expect(JSON.parse(bad.body).error.code).toBe('bad_request');
    const malformed = await raw('POST', '/rpc/watches:list', { ...json, ...auth() }, '{not json');
    expect(JSON.parse(malformed.body).error.message).toMatch(/Malformed JSON/);
  });

  it('accepts only JSON bodies on rpc (an HTML form cannot post one)', async () => {
    const form = await raw('POST', '/rpc/watches:list', { ...auth(), 'content-type': 'application/x-www-form-urlencoded' }, 'a=1');
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
      const req = request({ host: '127.0.0.1', port: host.port, path: '/events', headers: { host: `127.0.0.1:${host.port}`, ...auth() } }, (res) => {
        let data = '';
        res.on('data', (c) => {
          data += c;
          if (data.includes('series:tick')) {
            req.destroy();
            resolve(data);
          }
        });
        setTimeout(() => bus.emit('series:tick', { at: 42 }), 50);
      });
      req.on('error', (e) => (e.message.includes('aborted') || (e as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(e)));
      req.end();
    });
    expect(got).toContain('event: series:tick\ndata: {"at":42}');
  });
});
