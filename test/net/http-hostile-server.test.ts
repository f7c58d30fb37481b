/**
 * The one HTTP client against hostile local servers (real sockets, Node's own fetch): a redirect must not carry a
 * connection's credentials to another origin — fetch itself strips only `Authorization`, so Datadog's `DD-API-KEY`
 * would follow — and a server that echoes a secret at the end of a long error message must not leave a fragment of
 * it in the message, where the cut used to happen before the masking.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RampartError } from '../../shared/errors';
import { httpJson } from '../../main/net/http-client';

const KEY = 'dd-key-7f3a9c1e5b2d4f6a8c0e';
const APP_KEY = 'dd-app-0c9b8a7f6e5d4c3b2a19';
const headers = { 'dd-api-key': KEY, 'dd-application-key': APP_KEY };

let sink: Server;
let sinkOrigin = '';
const sinkSaw: IncomingHttpHeaders[] = [];
let hostile: Server;
let origin = '';

function listen(s: Server): Promise<string> {
  return new Promise((r) => s.listen(0, '127.0.0.1', () => r(`http://127.0.0.1:${(s.address() as AddressInfo).port}`)));
}

beforeAll(async () => {
  sink = createServer((req, res) => {
    sinkSaw.push(req.headers);
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
  sinkOrigin = await listen(sink);
  hostile = createServer((req, res) => {
    const echoed = String(req.headers['dd-api-key'] ?? '');
    if (req.url === '/away') res.writeHead(302, { location: `${sinkOrigin}/steal` }).end();
    else if (req.url === '/old') res.writeHead(301, { location: '/new' }).end();
    else if (req.url === '/new') res.writeHead(200, { 'content-type': 'application/json' }).end('{"moved":true}');
    else if (req.url === '/loop') res.writeHead(302, { location: '/loop' }).end();
    else if (req.url === '/bad-location') res.writeHead(302, { location: 'http://[::1' }).end();
    else if (req.url === '/hang')
      return; // never answers: each attempt runs into its deadline
    else if (req.url === '/echo-cut') {
      // The secret straddles the 300th character, where the message is cut.
      const message = 'x'.repeat(300 - Math.floor(echoed.length / 2)) + echoed;
      res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ message }));
    } else res.writeHead(404).end();
  });
  origin = await listen(hostile);
});

afterAll(async () => {
  await new Promise((r) => sink.close(r));
  await new Promise((r) => hostile.close(r));
});

async function failure(p: Promise<unknown>): Promise<RampartError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof RampartError) return e;
    throw e;
  }
  throw new Error('expected the call to fail');
}

const get = (path: string, method: 'GET' | 'PUT' = 'GET') =>
  httpJson({ vendor: 'Datadog', method, url: `${origin}${path}`, headers, timeoutMs: 5_000, idempotent: true });

describe('the HTTP client against a hostile server', () => {
  it('does not follow a redirect to another origin, and says where it pointed', async () => {
    const e = await failure(get('/away'));
    expect(e.code).toBe('vendor_error');
    expect(e.message).toContain(`redirected (HTTP 302 on GET ${origin}/away) to ${sinkOrigin}/steal, another origin`);
    expect(sinkSaw).toHaveLength(0); // nothing reached the other origin, with or without keys
  });

  it('follows a redirect within the origin for a read, not for a write, and not forever', async () => {
    const ok = await get('/old');
    expect(ok.body).toEqual({ moved: true });
    const write = await failure(get('/old', 'PUT'));
    expect(write.message).toContain('only reads follow redirects');
    const loop = await failure(get('/loop'));
    expect(loop.message).toContain('past 5 hops');
  });

  it('a Location that is not a URL is named as the server’s answer, not reported as unreachable', async () => {
    const e = await failure(get('/bad-location'));
    expect(e.code).toBe('vendor_error');
    expect(e.message).toContain(
      `redirected (HTTP 302 on GET ${origin}/bad-location) to a Location header that is not a URL`,
    );
  });

  it('a timeout after retries says how many attempts it made, not only the per-attempt deadline', async () => {
    const call = { vendor: 'Datadog', method: 'GET' as const, url: `${origin}/hang`, headers, timeoutMs: 150 };
    const once = await failure(httpJson({ ...call, idempotent: true, maxAttempts: 1 }));
    expect(once.message).toMatch(/timed out after 150 ms \(GET [^)]*\/hang\)$/);
    const retried = await failure(httpJson({ ...call, idempotent: true, maxAttempts: 2 }));
    expect(retried.code).toBe('timeout');
    expect(retried.message).toMatch(/timed out after 150 ms \(GET [^)]*\/hang\); 2 attempts over \d+(\.\d)? s$/);
  });

  it('masks an echoed secret before cutting the message, so no fragment of it survives', async () => {
    const e = await failure(get('/echo-cut'));
    expect(e.code).toBe('bad_request');
    const text = `${e.message} ${JSON.stringify(e.details)}`;
    for (let n = 6; n <= KEY.length; n++) expect(text).not.toContain(KEY.slice(0, n));
    expect(e.message).toContain('[redacted]');
  });
});
