import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REQUEST_CHANNELS, type Channel } from '../../shared/contract';
import { startHttpHost, type HttpHost } from '../../main/host/http';
import { startFuzzRuntime, type FuzzRuntime } from './support/fuzz-runtime';
import { accepts, httpBodyFor, VALID_EXAMPLES } from './support/payloads';
import { secretsIn } from './support/planted-secrets';
import { eachLimited, rawRequest, rawRequestLine } from './support/raw-http';

/**
 * The browser host as a door: the same fuzz as ipc-fuzz.test.ts in a smaller sample, sent over real HTTP to the
 * real host in front of the real core — the door itself must never answer 5xx (413 past 1 MiB, 400 for JSON it cannot
 * parse, the envelope either way), and must run a handler exactly for the payloads the schema accepts. Then hostile Host/Origin headers (DNS rebinding, cross-site pages): all refused
 * with 403 before any handler runs, even with the right token.
 *
 * RAMPART_HTTP_FUZZ_RUNS overrides the per-channel sample (default 500).
 */
const RUNS = Number(process.env.RAMPART_HTTP_FUZZ_RUNS ?? 500);
const MAX_BODY = 1 << 20;

let rt: FuzzRuntime;
let host: HttpHost;
let staticDir: string;
const agent = new Agent({ keepAlive: true, maxSockets: 4 });
const totalCalls = () => Object.values(rt.calls).reduce((s, n) => s + n, 0);

beforeAll(async () => {
  rt = await startFuzzRuntime();
  staticDir = mkdtempSync(join(tmpdir(), 'rampart-door-static-'));
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Rampart</title>');
  host = await startHttpHost({ registrar: rt.registrar, bus: rt.core.bus, staticDir, port: 0 });
});
afterAll(async () => {
  agent.destroy();
  await host?.close();
  await rt?.close();
  rmSync(staticDir, { recursive: true, force: true });
});

const auth = () => ({ authorization: `Bearer ${host.token}` });
const jsonType = { 'content-type': 'application/json' };

describe('the browser host under fuzzed payloads', () => {
  it(`${RUNS} payloads per channel over HTTP → never 5xx, a handler run exactly per valid payload, 0 secrets`, async () => {
    const summary: string[] = [];
    for (const [index, channel] of REQUEST_CHANNELS.entries()) {
      const bodies = fc.sample(httpBodyFor(channel), { numRuns: RUNS, seed: 4242 + index });
      const before = rt.calls[channel];
      let expectedRuns = 0;
      let malformed = 0;
      await eachLimited(bodies, 4, async (body) => {
        const size = Buffer.byteLength(body);
        let parsed: unknown;
        let parses = true;
        try {
          parsed = body.length ? JSON.parse(body) : {};
        } catch {
          parses = false;
        }
        const valid = size <= MAX_BODY && parses && accepts(channel, parsed);
        if (valid) expectedRuns++;
        else malformed++;
        let res;
        res = await rawRequest(host.port, {
          method: 'POST',
          path: `/rpc/${channel}`,
          headers: { ...auth(), ...jsonType },
          body,
          agent: size > MAX_BODY ? false : agent,
        });
        // 413 for an oversized body, 400 for one JSON cannot parse, 200 for the rest: always the envelope.
        expect(res.status, body.slice(0, 200)).toBe(size > MAX_BODY ? 413 : parses ? 200 : 400);
        const envelope = JSON.parse(res.body) as { result?: unknown; error?: { code: string } };
        if (!valid) expect(envelope.error?.code, body.slice(0, 200)).toBe('bad_request');
        expect(secretsIn(res.body)).toEqual([]);
      });
      expect(rt.calls[channel] - before, channel).toBe(expectedRuns);
      summary.push(`${channel}: ${malformed} malformed, ${expectedRuns} valid`);
    }
    console.log(`[http-door] ${REQUEST_CHANNELS.length * RUNS} requests\n  ${summary.join('\n  ')}`);
  }, 180_000);

  it('odd requests (unknown channels, bad encodings, methods, content types, cookies, request lines) never 5xx', async () => {
    const before = totalCalls();
    const authed: { method: string; path: string; headers?: Record<string, string>; body?: string | Buffer }[] = [
      ...[
        '__proto__',
        'constructor',
        'toString',
        'hasOwnProperty',
        '',
        'x'.repeat(5000),
        '%E0%A4%A',
        '%',
        '..%2F..%2Fetc%2Fpasswd',
        'app:info%00',
      ].map((c) => ({
        method: 'POST',
        path: `/rpc/${c}`,
        headers: jsonType,
        body: '{}',
      })),
      { method: 'GET', path: '/rpc/app:info' },
      { method: 'PUT', path: '/rpc/app:info', headers: jsonType, body: '{}' },
      { method: 'POST', path: '/rpc/app:info', headers: { 'content-type': 'text/plain' }, body: '{}' },
      {
        method: 'POST',
        path: '/rpc/app:info',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'a=1',
      },
      { method: 'POST', path: '/rpc/app:info', headers: jsonType, body: Buffer.from([0xff, 0xfe, 0x00, 0x7b]) },
      { method: 'GET', path: '/%E0%A4%A' },
      { method: 'GET', path: '/..%2F..%2F..%2Fetc%2Fpasswd' },
      { method: 'DELETE', path: '/' },
    ];
    for (const r of authed) {
      const res = await rawRequest(host.port, { ...r, headers: { ...auth(), ...r.headers }, agent: false });
      expect(res.status, `${r.method} ${r.path.slice(0, 60)}`).toBeLessThan(500);
      expect(res.body).not.toMatch(/root:x:0:0/);
    }
    // Before authentication: a malformed cookie or Authorization header is "no credential" (401), not an exception;
    // and no cookie is a credential at all, whatever it holds (cookies are not port-scoped).
    const malformedAuth: Record<string, string>[] = [
      { cookie: 'rampart_token=%E0%A4%A' },
      { cookie: 'rampart_token=' },
      { cookie: `rampart_token=${host.token}` },
      { cookie: `rampart_session=${host.token}; rampart_token=${encodeURIComponent(host.token)}` },
      { cookie: `rampart_token; a=${'b'.repeat(4000)}` },
      { authorization: 'Bearer' },
      { authorization: `Bearer ${host.token}x` },
      { authorization: `Basic ${Buffer.from(`x:${host.token}`).toString('base64')}` },
    ];
    for (const headers of malformedAuth) {
      const res = await rawRequest(host.port, {
        method: 'POST',
        path: '/rpc/app:info',
        headers: { ...jsonType, ...headers },
        body: '{}',
        agent: false,
      });
      expect(res.status, JSON.stringify(headers).slice(0, 80)).toBe(401);
    }
    for (const line of [
      'GET http://[ HTTP/1.1',
      'GET http://a:b@[::1 HTTP/1.1',
      'GET * HTTP/1.1',
      'OPTIONS * HTTP/1.1',
      'GET //[ HTTP/1.1',
      'GET /%E0%A4%A HTTP/1.1',
    ]) {
      const { statusLine } = await rawRequestLine(
        host.port,
        `${line}\r\nHost: 127.0.0.1:${host.port}\r\nAuthorization: Bearer ${host.token}`,
      );
      expect(statusLine, line).toMatch(/^HTTP\/1\.1 [1-4]\d\d /);
    }
    // Only app:info%00 → unknown channel; none of these may have run a handler.
    expect(totalCalls()).toBe(before);
  });
});

describe('the browser host under hostile Host and Origin headers', () => {
  it('refuses every hostile Host / Origin / Sec-Fetch-Site with 403 before any handler runs, even with the token', async () => {
    const p = host.port;
    const q = p === 65535 ? p - 1 : p + 1;
    const hostileHosts = [
      'evil.com',
      `evil.com:${p}`,
      `127.0.0.1.evil.com:${p}`,
      `localhost.evil.com:${p}`,
      `127.0.0.1:${q}`,
      '127.0.0.1',
      'localhost',
      `[::1]:${p}`,
      `0.0.0.0:${p}`,
      `127.0.0.2:${p}`,
      `2130706433:${p}`,
      `0x7f000001:${p}`,
      `127.1:${p}`,
      `user@127.0.0.1:${p}`,
      `127.0.0.1:${p}.evil.com`,
      `127.0.0.1:${p}/evil`,
      `127.0.0.1.:${p}`,
      `localhost.:${p}`,
      `127.0.0.1:0${p}`,
      `rampart:${p}`,
    ];
    const hostileOrigins = [
      'http://evil.com',
      'null',
      `http://127.0.0.1:${q}`,
      `https://127.0.0.1:${p}`,
      `http://localhost:${p}`,
      `http://127.0.0.1:${p}.evil.com`,
      `http://127.0.0.1.evil.com:${p}`,
      'file://',
      'app://rampart',
      'chrome-extension://abcdefghijklmnop',
      `http://127.0.0.1:${p}/`,
      `HTTP://127.0.0.1:${p}`,
      `http://user@127.0.0.1:${p}`,
      `ws://127.0.0.1:${p}`,
      '',
    ];
    const cases = [
      ...hostileHosts.map((h) => ({ host: h, extra: '' })),
      ...hostileOrigins.map((o) => ({ host: `127.0.0.1:${p}`, extra: `\r\nOrigin: ${o}` })),
      { host: `127.0.0.1:${p}`, extra: '\r\nSec-Fetch-Site: cross-site' },
      // Another port on 127.0.0.1 is the same *site*: an <img> there sends no Origin, only this.
      { host: `127.0.0.1:${p}`, extra: '\r\nSec-Fetch-Site: same-site' },
      { host: `127.0.0.1:${p}`, extra: `\r\nOrigin: http://evil.com\r\nSec-Fetch-Site: cross-site` },
    ];
    const ramp = JSON.stringify(VALID_EXAMPLES['flags:ramp']);
    const requests = [
      `POST /rpc/flags:ramp HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(ramp)}`,
      'POST /rpc/connections:list HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 2',
      'GET /events HTTP/1.1',
      'POST /auth/session HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 2',
      'POST /auth/ticket HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 2',
      'GET / HTTP/1.1',
      `GET /?token=${host.token} HTTP/1.1`,
    ];
    const before = totalCalls();
    let refused = 0;
    for (const c of cases) {
      for (const r of requests) {
        const [line, ...headers] = r.split('\r\n');
        const head =
          [line, `Host: ${c.host}`, `Authorization: Bearer ${host.token}`, ...headers].join('\r\n') + c.extra;
        const body = r.includes('flags:ramp') ? ramp : r.includes('Content-Length: 2') ? '{}' : '';
        const { statusLine } = await rawRequestLine(host.port, head, body);
        if (/^HTTP\/1\.1 403 /.test(statusLine)) refused++;
        else
          expect.fail(
            `${r.split('\r\n')[0]} with Host '${c.host}'${c.extra.replace(/\r\n/g, ' | ')} answered ${statusLine}`,
          );
      }
    }
    expect(refused).toBe(cases.length * requests.length);
    expect(totalCalls()).toBe(before);

    // The control, so the test can fail the other way: the same requests from the page itself are served.
    const ok = await rawRequest(p, {
      method: 'POST',
      path: '/rpc/connections:list',
      headers: { ...auth(), ...jsonType, origin: `http://127.0.0.1:${p}` },
      body: '{}',
    });
    expect(ok.status).toBe(200);
    expect(totalCalls()).toBe(before + 1);
    const channel: Channel = 'connections:list';
    expect(rt.calls[channel]).toBeGreaterThan(0);
  });
});
